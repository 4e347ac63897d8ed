"use client";
// Publish a draft concert, or cancel one (final: a cancelled concert never changes state again).
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { appErrorOf } from "../../../_components/app-error";
import { useTRPC } from "../../../_trpc/client";
import type { Lifecycle } from "../../_components/badges";
import { ConfirmButton } from "../../_components/confirm-button";
import { problemsOf } from "../../_components/form-errors";
import adminStyles from "../../_components/admin.module.css";

export function ConcertStatusActions({
  concertId,
  title,
  status,
  showtimeCount,
}: {
  concertId: string;
  title: string;
  status: Lifecycle;
  showtimeCount: number;
}) {
  const router = useRouter();
  const trpc = useTRPC();
  const setStatus = useMutation(trpc.admin.concerts.setStatus.mutationOptions());
  const [error, setError] = useState<string>();

  async function change(next: "PUBLISHED" | "CANCELLED") {
    setError(undefined);
    try {
      await setStatus.mutateAsync({ concertId, status: next });
      router.refresh();
    } catch (e) {
      setError(problemsOf(appErrorOf(e)).form);
    }
  }

  if (status === "CANCELLED") {
    return (
      <p className={`muted ${adminStyles.adminStatusNote}`}>
        This concert was cancelled. That is final: it can’t be published or edited again.
      </p>
    );
  }
  return (
    <div className={adminStyles.adminStatusActions}>
      {status === "DRAFT" ? (
        <ConfirmButton label="Publish concert" title={`Publish “${title}”?`} confirmLabel="Publish" onConfirm={() => change("PUBLISHED")}>
          <p>Fans will see the concert and its published showtimes. Draft showtimes stay hidden until you publish them too.</p>
        </ConfirmButton>
      ) : null}
      <ConfirmButton
        label="Cancel concert"
        title={`Cancel “${title}”?`}
        confirmLabel="Cancel concert"
        danger
        className={`button button-secondary button-small ${adminStyles.adminDangerOutline}`}
        onConfirm={() => change("CANCELLED")}
      >
        <p>
          Its {showtimeCount === 1 ? "showtime stops" : `${showtimeCount} showtimes stop`} selling. Paid orders stay for refunds.{" "}
          <strong>This can’t be undone.</strong>
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
