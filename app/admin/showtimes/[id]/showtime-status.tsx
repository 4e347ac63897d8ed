"use client";
// Publish a draft showtime, or cancel one (final; paid orders stay for refunds).
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { appErrorOf } from "../../../_components/app-error";
import { useTRPC } from "../../../_trpc/client";
import type { Lifecycle } from "../../_components/badges";
import { ConfirmButton } from "../../_components/confirm-button";
import { problemsOf } from "../../_components/form-errors";
import adminStyles from "../../_components/admin.module.css";

export function ShowtimeStatusActions({
  showtimeId,
  status,
  label,
  concertPublished,
}: {
  showtimeId: string;
  status: Lifecycle;
  label: string;
  concertPublished: boolean;
}) {
  const router = useRouter();
  const trpc = useTRPC();
  const setStatus = useMutation(trpc.admin.showtimes.setStatus.mutationOptions());
  const [error, setError] = useState<string>();

  async function change(next: "PUBLISHED" | "CANCELLED") {
    setError(undefined);
    try {
      await setStatus.mutateAsync({ showtimeId, status: next });
      router.refresh();
    } catch (e) {
      setError(problemsOf(appErrorOf(e)).form);
    }
  }

  if (status === "CANCELLED") return <p className={`muted ${adminStyles.adminStatusNote}`}>This showtime was cancelled; that is final.</p>;
  return (
    <div className={adminStyles.adminStatusActions}>
      {status === "DRAFT" ? (
        <ConfirmButton label="Publish showtime" title={`Publish ${label}?`} confirmLabel="Publish" onConfirm={() => change("PUBLISHED")}>
          <p>
            {concertPublished
              ? "Fans will see it on the concert’s page, and sales open as the windows say."
              : "It becomes public as soon as the concert is published."}
          </p>
        </ConfirmButton>
      ) : null}
      <ConfirmButton
        label="Cancel showtime"
        title={`Cancel ${label}?`}
        confirmLabel="Cancel showtime"
        danger
        className={`button button-secondary button-small ${adminStyles.adminDangerOutline}`}
        onConfirm={() => change("CANCELLED")}
      >
        <p>
          Sales stop at once. Paid orders stay, to be refunded. <strong>This can’t be undone.</strong>
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
