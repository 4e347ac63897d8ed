// The fan's holds on this showtime: the live ones, soonest to end first, and those that ran out while the
// page was open (kept to say so until dismissed). Their seats are marked as the fan's on the map.
import { skipToken, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { useTRPC } from "../../_trpc/client";
import { heldItem } from "./held-item";
import type { LiveSeats } from "./live-seats";
import type { HoldResult, MyHold } from "./use-admission";

export function useMyHolds(showtimeId: string, signedIn: boolean, live: LiveSeats) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const holdsQuery = useQuery(trpc.holds.mine.queryOptions(signedIn ? { showtimeId, status: "ACTIVE" } : skipToken, { staleTime: 10_000 }));
  // Let go or run out here: out of the list at once, before the server's list says so.
  const [gone, setGone] = useState<ReadonlySet<string>>(() => new Set());
  const [ended, setEnded] = useState<MyHold[]>([]);
  const holds = useMemo(
    () =>
      (holdsQuery.data?.items ?? []).filter((h) => h.live && !gone.has(h.id)).sort((a, b) => a.heldUntil.getTime() - b.heldUntil.getTime()),
    [holdsQuery.data, gone],
  );
  const heldByMe = holds.reduce((n, h) => n + h.seats.length, 0);

  useEffect(() => {
    live.setMine(holds.flatMap((h) => h.seats.map((s) => s.id)));
  }, [live, holds]);

  const refetch = () => void queryClient.invalidateQueries({ queryKey: trpc.holds.mine.queryKey() });

  /**
   * A hold just made. The answer says all the list needs: written in, not read again (a read per hold, in a
   * surge). A read already under way could land after and drop it, so it is called off first.
   */
  const add = (hold: HoldResult) => {
    const { data, model } = live;
    if (!data || !model) return;
    const mine = trpc.holds.mine.queryKey({ showtimeId, status: "ACTIVE" });
    void queryClient.cancelQueries({ queryKey: mine });
    queryClient.setQueryData(mine, (old) => ({
      items: [heldItem(hold, data, model), ...(old?.items ?? []).filter((h) => h.id !== hold.holdId)],
      nextCursor: old?.nextCursor ?? null,
    }));
  };

  const end = (hold: MyHold) => {
    setGone((prev) => new Set(prev).add(hold.id));
    setEnded((prev) => (prev.some((h) => h.id === hold.id) ? prev : [...prev, hold]));
    // The worker frees the seats and the stream says so; the list drops the hold once it is marked.
    refetch();
  };

  const release = (hold: MyHold) => {
    setGone((prev) => new Set(prev).add(hold.id));
    refetch();
  };

  const dismiss = (holdId: string) => setEnded((prev) => prev.filter((h) => h.id !== holdId));

  return { holds, ended, heldByMe, add, end, release, dismiss };
}
