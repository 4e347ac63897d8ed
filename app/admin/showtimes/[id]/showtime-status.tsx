"use client";
// Publish a draft showtime, or cancel one (paid orders stay for refunds).
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "../../../_trpc/client";
import type { Lifecycle } from "../../_components/badges";
import { LifecycleActions } from "../../_components/lifecycle-actions";

type Props = { showtimeId: string; status: Lifecycle; label: string; concertPublished: boolean };

export function ShowtimeStatusActions({ showtimeId, status, label, concertPublished }: Props) {
  const trpc = useTRPC();
  const setStatus = useMutation(trpc.admin.showtimes.setStatus.mutationOptions());
  return (
    <LifecycleActions
      status={status}
      kind="showtime"
      name={label}
      change={(next) => setStatus.mutateAsync({ showtimeId, status: next })}
      cancelledNote="This showtime was cancelled; that is final."
      publishNote={
        concertPublished
          ? "Fans will see it on the concert’s page, and sales open as the windows say."
          : "It becomes public as soon as the concert is published."
      }
      cancelNote="Sales stop at once. Paid orders stay, to be refunded."
    />
  );
}
