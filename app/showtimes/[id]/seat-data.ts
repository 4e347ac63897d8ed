// The seat map the page draws, from its three sources: the showtime's overview (rendered with the page),
// its layout (GET /api/seat-layout/{id}, cached by the browser and revalidated with its ETag) and the
// statuses (one byte per seat in the layout's order, at a seat version).
import type { SeatLayout } from "@/server/domain/seatmap/layout";
import type { SeatMap, SeatTuple, ShowtimeOverview } from "@/server/domain/seatmap/seat-map";
import type { SeatStatusVector } from "@/server/domain/seatmap/status";

export function seatMapOf(overview: ShowtimeOverview, layout: SeatLayout, status: SeatStatusVector): SeatMap {
  return { ...overview, venue: { ...overview.venue, ...layout.venue }, tiers: layout.tiers, ...seatSectionsOf(layout, status) };
}

/** The layout's sections with each seat's status in its tuple, and the counts of each status. */
export function seatSectionsOf(layout: SeatLayout, status: SeatStatusVector): Pick<SeatMap, "sections" | "counts"> {
  const codes = decodeStatuses(status.seats);
  const counts = { available: 0, held: 0, sold: 0, total: 0 };
  let i = 0;
  const sections = layout.sections.map((section) => ({
    id: section.id,
    name: section.name,
    rows: section.rows.map((row) => ({
      label: row.label,
      seats: row.seats.map(([id, number, x, y, tier]): SeatTuple => {
        const code = (codes[i++] ?? 0) as 0 | 1 | 2;
        counts[code === 0 ? "available" : code === 1 ? "held" : "sold"]++;
        counts.total++;
        return [id, number, x, y, tier, code];
      }),
    })),
  }));
  return { sections, counts };
}

export function decodeStatuses(base64: string): Uint8Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
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
