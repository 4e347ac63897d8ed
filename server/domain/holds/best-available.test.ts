import { describe, expect, it } from "vitest";
import { pickBestBlock, type FreeSeat } from "./best-available.ts";

/** A row of free seats along y = `y`, numbers as given, 10 apart (an aisle adds a gap of 10 after `aisleAfter`). */
function row(rowId: string, y: number, numbers: number[], aisleAfter?: number): FreeSeat[] {
  return numbers.map((n) => ({
    id: Number(`${rowId.charCodeAt(0)}${String(n).padStart(2, "0")}`),
    rowId,
    number: n,
    x: n * 10 + (aisleAfter && n > aisleAfter ? 10 : 0),
    y,
  }));
}
const stage = { x: 55, y: 0 };

describe("pickBestBlock", () => {
  it("takes the block nearest the stage: front row, centre", () => {
    const seats = [...row("A", 10, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), ...row("B", 20, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])];
    expect(pickBestBlock(seats, 2, stage)).toEqual([6505, 6506]);
    expect(pickBestBlock(seats, 1, stage)).toEqual([6505]);
  });

  it("never spans a taken seat, a row end or an aisle", () => {
    // Row A has 5 taken; seats 4 and 6 are not adjacent. Row B has an aisle after seat 5.
    const a = row("A", 10, [1, 2, 3, 4, 6, 7, 8]);
    const b = row("B", 20, [4, 5, 6, 7], 5);
    const block = pickBestBlock([...a, ...b], 3, stage)!;
    expect(block).toHaveLength(3);
    expect(block).not.toEqual(expect.arrayContaining([6504, 6506]));
    // Best of row A's runs 1-4 and 6-8 for three seats: 6-8 (centre x = 70) beats 2-4 (centre 30) for a stage at 55.
    expect(block).toEqual([6506, 6507, 6508]);
    // Four together exist only in row A (1-4): row B's 4-7 crosses the aisle.
    expect(pickBestBlock([...a, ...b], 4, stage)).toEqual([6501, 6502, 6503, 6504]);
  });

  it("answers null when no block of that size is free", () => {
    expect(pickBestBlock(row("A", 10, [1, 3, 5]), 2, stage)).toBeNull();
    expect(pickBestBlock([], 1, stage)).toBeNull();
    expect(pickBestBlock(row("A", 10, [1, 2]), 3, stage)).toBeNull();
  });
});
