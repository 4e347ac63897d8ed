import { describe, expect, it } from "vitest";
import type { SeatLayout } from "@/server/domain/seatmap/layout";
import { smallMap } from "./seat-map.fixture";
import { decodeStatuses } from "@/server/domain/seatmap/tuples";
import { seatMapOf } from "./seat-data";

describe("seatMapOf", () => {
  it("puts the statuses, in the layout's seat order, into the map's seat tuples, and counts them", () => {
    const map = smallMap();
    const layout: SeatLayout = {
      showtimeId: map.showtime.id,
      venue: { name: map.venue.name, width: 100, height: 100, stage: map.venue.stage },
      tiers: map.tiers,
      sections: map.sections.map((s) => ({
        id: s.id,
        name: s.name,
        rows: s.rows.map((r) => ({ label: r.label, seats: r.seats.map(([id, n, x, y, t]) => [id, n, x, y, t]) })),
      })),
    };
    const codes = map.sections.flatMap((s) => s.rows.flatMap((r) => r.seats.map((seat) => seat[5])));
    const overview = { showtime: map.showtime, venue: map.venue, tiers: map.tiers, counts: { available: 0, held: 0, sold: 0, total: 0 } };
    const built = seatMapOf(overview, layout, { version: 3, seats: Buffer.from(codes).toString("base64") });
    expect(built).toEqual(map);
  });

  it("decodes base64 statuses to one byte per seat", () => {
    expect([...decodeStatuses(Buffer.from([0, 1, 2, 0]).toString("base64"))]).toEqual([0, 1, 2, 0]);
  });
});
