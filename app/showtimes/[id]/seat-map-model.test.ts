import { describe, expect, it } from "vitest";
import { smallMap } from "./seat-map.fixture";
import { applySeatChanges, buildSeatModel, seatLabel } from "./seat-map-model";

describe("buildSeatModel", () => {
  it("maps seat ids to indices and back, and knows each section's seats", () => {
    const m = buildSeatModel(smallMap());
    expect(m.count).toBe(12);
    expect(m.ids[m.index.get(7)!]).toBe(7);
    expect(m.sections.map((s) => [s.from, s.to])).toEqual([
      [0, 6],
      [6, 12],
    ]);
    expect(seatLabel(m, m.index.get(5)!)).toBe("Section A, row 2, seat 2");
    expect(seatLabel(m, m.index.get(12)!)).toBe("Floor B, row 2, seat 3");
  });
});

describe("applySeatChanges", () => {
  it("updates statuses and every count incrementally, and reports what changed", () => {
    const m = buildSeatModel(smallMap());
    const changed = applySeatChanges(m, [
      [1, 1], // A: available → held
      [5, 0], // A: held → available
      [7, 2], // B: available → sold
      [8, 0], // already available: no change
      [999, 1], // not on this map
    ]);
    expect(changed.map((i) => m.ids[i])).toEqual([1, 5, 7]);
    expect(m.counts).toEqual({ available: 9, held: 1, sold: 2, total: 12 });
    const [a, b] = m.sections;
    expect([a?.available, a?.held, a?.sold]).toEqual([5, 1, 0]);
    expect([b?.available, b?.held, b?.sold]).toEqual([4, 0, 2]);
    expect(m.tierCounts).toEqual([
      { available: 5, total: 6 },
      { available: 4, total: 6 },
    ]);
  });

  it("gives the same counts as building the model from the changed data", () => {
    const m = buildSeatModel(smallMap());
    const batch: [number, 0 | 1 | 2][] = [
      [2, 1],
      [3, 2],
      [5, 2],
      [12, 0],
      [2, 0],
    ];
    applySeatChanges(m, batch);
    const data = smallMap();
    const last = new Map(batch);
    for (const s of data.sections) for (const r of s.rows) for (const seat of r.seats) seat[5] = last.get(seat[0]) ?? seat[5];
    const rebuilt = buildSeatModel(data);
    expect(m.counts).toEqual(rebuilt.counts);
    expect(m.tierCounts).toEqual(rebuilt.tierCounts);
    expect(m.sections.map((s) => [s.available, s.held, s.sold])).toEqual(rebuilt.sections.map((s) => [s.available, s.held, s.sold]));
    expect([...m.status]).toEqual([...rebuilt.status]);
  });
});
