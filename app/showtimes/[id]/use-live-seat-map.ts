// The seat map's data, kept live: the layout and the statuses read at once, beside the stream of changes,
// all held in one LiveSeats store the page's parts subscribe to.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useCallback, useEffect, useLayoutEffect, useMemo, useState, useSyncExternalStore } from "react";
import type { ShowtimeOverview } from "@/server/domain/seatmap/seat-map";
import { useTRPC } from "../../_trpc/client";
import { LiveSeats } from "./live-seats";
import { fetchSeatLayout, fetchSeatStatus, paintedAt, seatMapOf, takeStartedRead } from "./seat-data";

export type LiveState = "connecting" | "on" | "reconnecting";

export function useLiveSeatMap(showtimeId: string, overview: ShowtimeOverview) {
  const trpc = useTRPC();
  // The layout (a 304 from the browser's cache after the first read) and the statuses at a seat version,
  // both read at once, beside the stream: the map shows without waiting for the stream to listen. Its
  // "ready" names the version it listens from, and the map reads the statuses again only when behind it
  // (live-seats.ts). The layout is revalidated with every later read, sharing a fetch under way.
  const queryClient = useQueryClient();
  const layoutQuery = useMemo(
    () => ({
      queryKey: ["seat-layout", showtimeId],
      queryFn: ({ signal }: { signal: AbortSignal }) => takeStartedRead(showtimeId, "layout") ?? fetchSeatLayout(showtimeId, signal),
      staleTime: 5_000,
    }),
    [showtimeId],
  );
  useEffect(() => {
    void queryClient.prefetchQuery(layoutQuery);
  }, [queryClient, layoutQuery]);
  const query = useQuery({
    queryKey: ["seat-map", showtimeId],
    queryFn: async ({ signal }) => {
      const [layout, status] = await Promise.all([
        queryClient.fetchQuery(layoutQuery),
        takeStartedRead(showtimeId, "status") ?? fetchSeatStatus(showtimeId, signal),
      ]);
      // The painter (seat-paint.ts) drew these very reads: start from its parts rather than build them again.
      const painted = paintedAt(showtimeId, status.version);
      if (painted) {
        const map = {
          ...overview,
          venue: { ...overview.venue, ...layout.venue },
          tiers: layout.tiers,
          sections: painted.sections,
          counts: painted.counts,
        };
        return { map, seatVersion: status.version, model: painted.model };
      }
      return { map: seatMapOf(overview, layout, status), seatVersion: status.version, model: undefined };
    },
    // The stream keeps the map current; it is read again on every (re)connect and when the fan asks.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    // Comparing 15,000 seats with the last answer costs more than it saves.
    structuralSharing: false,
  });
  const [live] = useState(() => new LiveSeats());
  useSyncExternalStore(live.subscribe, live.getVersion, live.getVersion);

  const { refetch } = query;
  const resync = useCallback(() => {
    live.beginResync();
    void refetch();
  }, [live, refetch]);

  const stream = useSubscription(
    trpc.showtimes.seatChanges.subscriptionOptions(
      { showtimeId },
      {
        onData: (event) => {
          if (live.receive(event).resync) resync();
        },
      },
    ),
  );
  // A dropped connection retries by itself; until a "ready" comes back, the map may be behind.
  const reconnecting = stream.status === "error" || (stream.status === "connecting" && stream.error !== null);
  const liveState: LiveState = reconnecting ? "reconnecting" : live.readyCount > 0 ? "on" : "connecting";

  // Before paint, so a new snapshot never shows without the changes that arrived while it loaded.
  useLayoutEffect(() => {
    if (query.data && live.setData(query.data.map, query.data.seatVersion, query.data.model).resync) resync();
  }, [live, query.data, resync]);

  return { live, liveState, query, resync };
}
