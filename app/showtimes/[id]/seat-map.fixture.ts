// A tiny seat map for the unit tests of the seat map's pure parts.
import type { SeatMap, SeatTuple } from "@/server/domain/seatmap/seat-map";

/** Two sections of two rows of three seats; seat ids 1..12, tier 0 in A and tier 1 in B; seat 5 held, 12 sold. */
export function smallMap(): SeatMap {
  let id = 0;
  const row = (label: string, y: number, tier: number): { label: string; seats: SeatTuple[] } => ({
    label,
    seats: [1, 2, 3].map((n): SeatTuple => {
      id++;
      return [id, n, n * 10, y, tier, id === 5 ? 1 : id === 12 ? 2 : 0];
    }),
  });
  return {
    showtime: {
      id: "s1",
      startsAt: new Date(0),
      doorsAt: new Date(0),
      saleStatus: "ON_SALE",
      saleOpensAt: null,
      presale: null,
      perUserLimit: 4,
      holdSeconds: 300,
      holdExtendSeconds: 120,
      concert: { slug: "c", title: "C", artist: "A", imageUrl: "/x.svg" },
    },
    venue: { name: "V", city: "X", timezone: "UTC", width: 100, height: 100, stage: { x: 0, y: 0, w: 40, h: 5 } },
    tiers: [
      { id: "t0", name: "Gold", priceMinor: 95_000, feeMinor: 5_000, currency: "KRW", color: "#f00" },
      { id: "t1", name: "Silver", priceMinor: 60_000, feeMinor: 3_000, currency: "KRW", color: "#0f0" },
    ],
    counts: { available: 10, held: 1, sold: 1, total: 12 },
    sections: [
      { id: "a", name: "A", rows: [row("1", 20, 0), row("2", 30, 0)] },
      { id: "b", name: "Floor B", rows: [row("1", 60, 1), row("2", 70, 1)] },
    ],
  };
}
