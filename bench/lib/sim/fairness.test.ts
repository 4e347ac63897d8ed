import { describe, expect, it } from "vitest";
import type { FanRecord } from "./fan.ts";
import { checkAdmissionOrder } from "./fairness.ts";

const OFFSET = 1_000_000_000;
const fan = (userId: string, seq: number, extra: Partial<FanRecord> = {}): FanRecord => ({
  userId,
  state: "paid",
  seq,
  prequeued: false,
  seatsBought: 1,
  ...extra,
});

describe("checkAdmissionOrder", () => {
  it("accepts admissions in arrival order after a shuffled pre-queue", () => {
    const admissions = [
      { user: "p2", score: 1, atMs: 10 },
      { user: "p1", score: 2, atMs: 10 },
      { user: "a", score: OFFSET + 3, atMs: 20 },
      { user: "b", score: OFFSET + 4, atMs: 30 },
    ];
    const fans = [
      fan("p1", 1, { prequeued: true }),
      fan("p2", 2, { prequeued: true }),
      fan("a", 3),
      fan("b", 4),
      fan("c", 5, { state: "soldOut", leaveRequestedAt: 40 }),
    ];
    expect(checkAdmissionOrder(admissions, fans, OFFSET, 0)).toMatchObject({ ok: true, prequeueAdmissions: 2, arrivalAdmissions: 2 });
  });

  it("names a later arrival admitted first, a skipped fan and a wrong place", () => {
    const admissions = [
      { user: "b", score: OFFSET + 4, atMs: 20 },
      { user: "a", score: OFFSET + 3, atMs: 30 },
      { user: "d", score: OFFSET + 9, atMs: 50 },
    ];
    const fans = [fan("a", 3), fan("b", 4), fan("c", 5, { state: "soldOut", leaveRequestedAt: 60 }), fan("d", 6)];
    const result = checkAdmissionOrder(admissions, fans, OFFSET, 0);
    expect(result).toMatchObject({ ok: false, outOfOrder: 1, skipped: 1, seqMismatches: 1 });
  });

  it("does not count a fan who asked to leave before the later admission", () => {
    const admissions = [{ user: "b", score: OFFSET + 4, atMs: 50 }];
    const fans = [fan("a", 3, { state: "soldOut", leaveRequestedAt: 40 }), fan("b", 4)];
    expect(checkAdmissionOrder(admissions, fans, OFFSET, 0).skipped).toBe(0);
  });
});
