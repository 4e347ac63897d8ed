"use client";
// Publish a draft concert, or cancel one.
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "../../../_trpc/client";
import type { Lifecycle } from "../../_components/badges";
import { LifecycleActions } from "../../_components/lifecycle-actions";

type Props = { concertId: string; title: string; status: Lifecycle; showtimeCount: number };

export function ConcertStatusActions({ concertId, title, status, showtimeCount }: Props) {
  const trpc = useTRPC();
  const setStatus = useMutation(trpc.admin.concerts.setStatus.mutationOptions());
  return (
    <LifecycleActions
      status={status}
      kind="concert"
      name={`“${title}”`}
      change={(next) => setStatus.mutateAsync({ concertId, status: next })}
      cancelledNote="This concert was cancelled. That is final: it can’t be published or edited again."
      publishNote="Fans will see the concert and its published showtimes. Draft showtimes stay hidden until you publish them too."
      cancelNote={`Its ${showtimeCount === 1 ? "showtime stops" : `${showtimeCount} showtimes stop`} selling. Paid orders stay for refunds.`}
    />
  );
}
