// The seat map the page draws, from its three sources: the showtime's overview (rendered with the page),
// its layout (GET /api/seat-layout/{id}, cached by the browser and revalidated with its ETag) and the
// statuses (one byte per seat in the layout's order, at a seat version).
import type { SeatLayout } from "@/server/domain/seatmap/layout";
import type { SeatMap, ShowtimeOverview } from "@/server/domain/seatmap/seat-map";
import { seatSectionsOf } from "@/server/domain/seatmap/tuples";
import type { SeatStatusVector } from "@/server/domain/seatmap/status";

export function seatMapOf(overview: ShowtimeOverview, layout: SeatLayout, status: SeatStatusVector): SeatMap {
  return { ...overview, venue: { ...overview.venue, ...layout.venue }, tiers: layout.tiers, ...seatSectionsOf(layout, status) };
}

/** The layout, through the browser's HTTP cache: a 304 when the browser has this version already. */
export async function fetchSeatLayout(showtimeId: string, signal?: AbortSignal): Promise<SeatLayout> {
  const res = await fetch(`/api/seat-layout/${encodeURIComponent(showtimeId)}`, { signal, headers: { accept: "application/json" } });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `The seat map could not be loaded (HTTP ${res.status}).`);
  }
  return (await res.json()) as SeatLayout;
}
