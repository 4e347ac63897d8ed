"use client";
// Publish a draft concert or showtime, or cancel one (final: a cancelled one never changes state again).
// What differs between the two is their words and their mutation; the flow is this one.
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { appErrorOf } from "../../_components/app-error";
import type { Lifecycle } from "./badges";
import { ConfirmButton } from "./confirm-button";
import { problemsOf } from "./form-errors";
import adminStyles from "./admin.module.css";

type Props = {
  status: Lifecycle;
  /** "concert" or "showtime", for the buttons. */
  kind: string;
  /** How the confirmation names it. */
  name: string;
  change: (next: "PUBLISHED" | "CANCELLED") => Promise<unknown>;
  cancelledNote: string;
  publishNote: ReactNode;
  cancelNote: ReactNode;
};

export function LifecycleActions({ status, kind, name, change, cancelledNote, publishNote, cancelNote }: Props) {
  const router = useRouter();
  const [error, setError] = useState<string>();

  async function run(next: "PUBLISHED" | "CANCELLED") {
    setError(undefined);
    try {
      await change(next);
      router.refresh();
    } catch (e) {
      setError(problemsOf(appErrorOf(e)).form);
    }
  }

  if (status === "CANCELLED") return <p className={`muted ${adminStyles.adminStatusNote}`}>{cancelledNote}</p>;
  return (
    <div className={adminStyles.adminStatusActions}>
      {status === "DRAFT" ? (
        <ConfirmButton label={`Publish ${kind}`} title={`Publish ${name}?`} confirmLabel="Publish" onConfirm={() => run("PUBLISHED")}>
          <p>{publishNote}</p>
        </ConfirmButton>
      ) : null}
      <ConfirmButton
        label={`Cancel ${kind}`}
        title={`Cancel ${name}?`}
        confirmLabel={`Cancel ${kind}`}
        danger
        className={`button button-secondary button-small ${adminStyles.adminDangerOutline}`}
        onConfirm={() => run("CANCELLED")}
      >
        <p>
          {cancelNote} <strong>This can’t be undone.</strong>
        </p>
      </ConfirmButton>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
