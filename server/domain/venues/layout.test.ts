import { describe, expect, it } from "vitest";
import { layoutSection, rowLabel } from "./layout";

describe("rowLabel", () => {
  it("counts A…Z then AA…", () => {
    expect([0, 1, 25, 26, 27, 51, 52].map((i) => rowLabel(i, "letters"))).toEqual(["A", "B", "Z", "AA", "AB", "AZ", "BA"]);
    expect(rowLabel(9, "numbers")).toBe("10");
  });
});

describe("layoutSection", () => {
  it("makes rows × seats, numbered from 1, front row nearest the stage", () => {
    const rows = layoutSection({ name: "A", rows: 3, seatsPerRow: 4, x: 100, y: 50 });
    expect(rows.map((r) => r.label)).toEqual(["A", "B", "C"]);
    expect(rows[0]!.seats.map((s) => s.number)).toEqual([1, 2, 3, 4]);
    expect(rows[0]!.seats[0]!.y).toBe(50);
    expect(rows[2]!.seats[0]!.y).toBe(74);
    // centred on x, 10 units apart
    expect(rows[0]!.seats.map((s) => s.x)).toEqual([85, 95, 105, 115]);
  });

  it("leaves an aisle gap and rotates the block", () => {
    const aisle = layoutSection({ name: "A", rows: 1, seatsPerRow: 4, x: 0, y: 0, aisleEvery: 2 })[0]!.seats;
    expect(aisle[2]!.x - aisle[1]!.x).toBe(20);
    const turned = layoutSection({ name: "A", rows: 2, seatsPerRow: 1, x: 0, y: 0, rotation: 90 });
    expect(turned[1]!.seats[0]!.x).toBe(-12);
  });

  it("keeps every seat distinct", () => {
    const rows = layoutSection({ name: "A", rows: 20, seatsPerRow: 25, x: 0, y: 0, curve: 30, rotation: 33 });
    const points = new Set(rows.flatMap((r) => r.seats.map((s) => `${s.x},${s.y}`)));
    expect(points.size).toBe(500);
  });
});
