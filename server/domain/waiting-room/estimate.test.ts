import { describe, expect, it } from "vitest";
import { estimateWait } from "./queue";

describe("estimateWait", () => {
  const room = { batch: 100, intervalMs: 5_000, maxActive: 1_000_000, accessMs: 900_000 };

  it("counts ticks while batches limit admission", () => {
    expect(estimateWait(0, room).estimatedWaitMs).toBe(5_000);
    expect(estimateWait(999, room).estimatedWaitMs).toBe(50_000);
  });

  it("is bounded by slots freeing up when shopper slots limit admission", () => {
    // One slot, 60 s access: the fan behind the current shopper may wait a whole access window.
    expect(estimateWait(0, { ...room, maxActive: 1, accessMs: 60_000 }).estimatedWaitMs).toBe(60_000);
    expect(estimateWait(9, { ...room, maxActive: 10, accessMs: 60_000 }).estimatedWaitMs).toBe(60_000);
  });

  it("polls often near the front and rarely far back", () => {
    expect(estimateWait(10, room).pollIntervalMs).toBe(2_000);
    expect(estimateWait(100_000, room).pollIntervalMs).toBe(15_000);
  });
});
