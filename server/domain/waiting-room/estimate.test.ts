import { describe, expect, it } from "vitest";
import { estimateWait, FAR_POLLS_PER_SECOND } from "./queue";

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
    expect(estimateWait(1_000, room).pollIntervalMs).toBe(10_010);
    expect(estimateWait(100_000, room).pollIntervalMs).toBe(60_000);
  });

  it("stretches far-back polls so a long line stays within its poll budget, never past half a fan's wait", () => {
    // 5,000 in line, admitted 250 a second: without the budget, 4,500 fans would poll every 3 s (1,500/s).
    const fast = { batch: 250, intervalMs: 1_000, maxActive: 1_000_000, accessMs: 900_000 };
    const far = estimateWait(4_000, fast, 5_000);
    expect(far.estimatedWaitMs).toBe(16_004);
    expect(far.pollIntervalMs).toBe(8_002);
    const slow = { ...fast, batch: 10 };
    const budgeted = estimateWait(4_000, slow, 5_000);
    expect(budgeted.pollIntervalMs).toBe((5_000 * 1000) / FAR_POLLS_PER_SECOND);
    // Up to 6,000 in line (the budget × the 60 s longest interval), waiting fans far from the front poll
    // about FAR_POLLS_PER_SECOND times a second in all (those a few seconds from their turn ask more often).
    const line = 6_000;
    const rate = Array.from({ length: line }, (_, ahead) => ahead)
      .filter((ahead) => ahead >= slow.batch * 2)
      .reduce((sum, ahead) => sum + 1000 / estimateWait(ahead, slow, line).pollIntervalMs, 0);
    expect(rate).toBeLessThanOrEqual(FAR_POLLS_PER_SECOND * 2);
    expect(estimateWait(49_000, slow, 50_000).pollIntervalMs).toBe(60_000);
  });
});
