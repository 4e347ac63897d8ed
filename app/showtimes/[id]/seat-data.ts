// The seat map the page draws, from its three sources: the showtime's overview (rendered with the page),
// its layout (GET /api/seat-layout/{id}, cached by the browser and revalidated with its ETag) and the
// statuses (GET /api/seat-status/{id}: one byte per seat in the layout's order, at a seat version). The page
// preloads both with its HTML, so they arrive while its scripts load; each read after the first goes to the server.
import type { SeatLayout } from "@/server/domain/seatmap/layout";
import type { SeatMap, ShowtimeOverview } from "@/server/domain/seatmap/seat-map";
import { seatSectionsOf } from "@/server/domain/seatmap/tuples";
import type { SeatStatusVector } from "@/server/domain/seatmap/status";

export function seatMapOf(overview: ShowtimeOverview, layout: SeatLayout, status: SeatStatusVector): SeatMap {
  return { ...overview, venue: { ...overview.venue, ...layout.venue }, tiers: layout.tiers, ...seatSectionsOf(layout, status) };
}

export const seatLayoutUrl = (showtimeId: string) => `/api/seat-layout/${encodeURIComponent(showtimeId)}`;
export const seatStatusUrl = (showtimeId: string) => `/api/seat-status/${encodeURIComponent(showtimeId)}`;

/** The layout, through the browser's HTTP cache: a 304 when the browser has this version already. */
export const fetchSeatLayout = (showtimeId: string, signal?: AbortSignal) => fetchJson<SeatLayout>(seatLayoutUrl(showtimeId), signal);

/** The statuses now (never cached; the first read of a page view takes its preload). */
export const fetchSeatStatus = (showtimeId: string, signal?: AbortSignal) => fetchJson<SeatStatusVector>(seatStatusUrl(showtimeId), signal);

// The same request as the page's preload (page.tsx), so the browser hands that one over.
async function fetchJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, { signal, headers: { accept: "application/json" } });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `The seat map could not be loaded (HTTP ${res.status}).`);
  }
  return (await res.json()) as T;
}
