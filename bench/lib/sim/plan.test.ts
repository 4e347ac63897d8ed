import { describe, expect, it } from "vitest";
import { sectionRows } from "./plan.ts";

describe("sectionRows", () => {
  it.each([10, 11, 25, 100, 123, 500, 1000, 4999, 15_600, 40_000])("lays out exactly %i seats, in sections a venue allows", (seats) => {
    const plan = sectionRows(seats);
    expect(plan.reduce((n, s) => n + s.rows * s.seatsPerRow, 0)).toBe(seats);
    for (const s of plan) {
      expect(s.rows).toBeGreaterThan(0);
      expect(s.rows).toBeLessThanOrEqual(100);
      expect(s.seatsPerRow).toBeLessThanOrEqual(200);
    }
  });
});
