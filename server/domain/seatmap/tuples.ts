// The seat map's tuples from the layout and the status vector: pure (types only), so the page, the server
// and the simulator share it without the page's bundle pulling in server code.
import type { SeatLayout } from "./layout.ts";
import type { SeatMap, SeatTuple } from "./seat-map.ts";
import type { SeatStatusVector } from "./status.ts";

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

/** The status vector's base64 as one byte per seat (atob: the same in the browser and in Node). */
export function decodeStatuses(base64: string): Uint8Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
