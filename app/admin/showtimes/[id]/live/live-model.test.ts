import { describe, expect, it } from "vitest";
import {
  admissionsPerMinute,
  describeRate,
  draftOf,
  formatAge,
  formatInterval,
  layoutBars,
  niceCeiling,
  readRateDraft,
  shares,
} from "./live-model";

describe("niceCeiling", () => {
  it("rounds up to 1, 2 or 5 times a power of ten", () => {
    expect([0, -3, 0.4, 1, 2, 3, 5, 6, 10, 11, 40, 51, 99, 100, 101, 2_001].map(niceCeiling)).toEqual([
      1, 1, 1, 1, 2, 5, 5, 10, 10, 20, 50, 100, 100, 100, 200, 5_000,
    ]);
  });
  it("never answers below the value", () => {
    for (let n = 1; n < 5_000; n += 7) expect(niceCeiling(n)).toBeGreaterThanOrEqual(n);
  });
});

describe("layoutBars", () => {
  it("puts each value in its slot, bottom-aligned and scaled to the maximum", () => {
    const bars = layoutBars([0, 5, 10], { width: 300, height: 100, max: 10, gap: 0 });
    expect(bars).toEqual([
      { x: 0, y: 100, width: 100, height: 0 },
      { x: 100, y: 50, width: 100, height: 50 },
      { x: 200, y: 0, width: 100, height: 100 },
    ]);
  });
  it("centres bars in their slot with the gap shared out, and keeps a tiny value visible", () => {
    const [bar] = layoutBars([1], { width: 100, height: 100, max: 1_000, gap: 0.2 });
    expect(bar).toEqual({ x: 10, y: 99, width: 80, height: 1 });
  });
  it("clips a value above the maximum to the box", () => {
    expect(layoutBars([50], { width: 10, height: 40, max: 10 })[0]!.height).toBe(40);
  });
  it("draws nothing for no values", () => {
    expect(layoutBars([], { width: 10, height: 10, max: 1 })).toEqual([]);
  });
});

describe("shares", () => {
  it("gives each part its percentage of the whole", () => {
    expect(shares({ sold: 1, held: 1, available: 2 })).toEqual({ sold: 25, held: 25, available: 50 });
  });
  it("is all zero when the whole is zero", () => {
    expect(shares({ sold: 0, held: 0 })).toEqual({ sold: 0, held: 0 });
  });
});

describe("rate in words", () => {
  it("formats intervals", () => {
    expect(formatInterval(2_000)).toBe("2 s");
    expect(formatInterval(500)).toBe("0.5 s");
    expect(formatInterval(1_250)).toBe("1.3 s");
    expect(formatInterval(60_000)).toBe("1 min");
    expect(formatInterval(90_000)).toBe("1 min 30 s");
  });
  it("counts admissions per minute", () => {
    expect(admissionsPerMinute(50, 2_000)).toBe(1_500);
    expect(admissionsPerMinute(1, 0)).toBe(0);
    expect(describeRate(50, 2_000)).toBe("50 fans every 2 s (up to 1,500 a minute)");
    expect(describeRate(1, 60_000)).toBe("1 fan every 1 min (up to 1 a minute)");
  });
  it("says how old the figures are", () => {
    expect(formatAge(400)).toBe("just now");
    expect(formatAge(2_300)).toBe("2 s ago");
    expect(formatAge(-50)).toBe("just now");
    expect(formatAge(125_000)).toBe("2 min ago");
  });
});

describe("readRateDraft", () => {
  const current = { batchSize: 50, intervalMs: 2_000, maxActive: 1_000 };

  it("round-trips the current settings as no change", () => {
    expect(readRateDraft(draftOf(current), current)).toEqual({ ok: true, patch: {} });
  });
  it("returns only the changed fields, the interval in milliseconds", () => {
    expect(readRateDraft({ batchSize: "80", intervalSeconds: "0.5", maxActive: "1000" }, current)).toEqual({
      ok: true,
      patch: { batchSize: 80, intervalMs: 500 },
    });
  });
  it("names every field outside the server's limits", () => {
    const result = readRateDraft({ batchSize: "0", intervalSeconds: "0.1", maxActive: "2.5" }, current);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.errors).sort()).toEqual(["batchSize", "intervalSeconds", "maxActive"]);
  });
  it("refuses blanks, words and negative numbers", () => {
    for (const bad of ["", " ", "ten", "-5", "1e3"]) {
      const result = readRateDraft({ batchSize: bad, intervalSeconds: bad, maxActive: bad }, current);
      expect(result.ok, JSON.stringify(bad)).toBe(false);
    }
  });
  it("accepts the limits themselves", () => {
    expect(readRateDraft({ batchSize: "10000", intervalSeconds: "600", maxActive: "1000000" }, current).ok).toBe(true);
    expect(readRateDraft({ batchSize: "1", intervalSeconds: ".2", maxActive: "1" }, current).ok).toBe(true);
  });
});
