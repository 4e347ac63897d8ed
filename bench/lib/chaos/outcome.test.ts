import { describe, expect, it } from "vitest";
import type { FanRecord } from "../sim/fan.ts";
import type { Fault } from "./faults.ts";
import { admissionStalls, reconcile, tabulateAnswers, type OrderRow } from "./outcome.ts";

const fan = (userId: string, extra: Partial<FanRecord>): FanRecord => ({ userId, state: "paid", seatsBought: 0, ...extra });
const order = (id: string, userId: string, key: string, tickets: number): OrderRow => ({
  id,
  userId,
  idempotencyKey: key,
  status: "PAID",
  tickets,
});

describe("reconcile", () => {
  it("settles unknown outcomes by key and accounts for every sold seat", () => {
    const records = [
      fan("a", { payKey: "ka", payOutcome: "paid", orderIds: ["o1"], holdSeats: 2 }),
      fan("b", { payKey: "kb", payOutcome: "unknown", holdSeats: 3 }),
      fan("c", { payKey: "kc", payOutcome: "unknown", holdSeats: 1 }),
      fan("d", { payKey: "kd", payOutcome: "refused", holdSeats: 1 }),
    ];
    const r = reconcile(records, ["a", "b", "c", "d"], [order("o1", "a", "ka", 2), order("o2", "b", "kb", 3)], 5);
    expect(r).toMatchObject({
      ok: true,
      confirmed: 1,
      confirmedSeats: 2,
      unknown: 2,
      unknownPaid: 1,
      unknownPaidSeats: 3,
      unknownNotPaid: 1,
    });
  });

  it("finds a fan told it paid without an order, a refused fan charged, and an order nobody made", () => {
    const records = [
      fan("a", { payKey: "ka", payOutcome: "paid", orderIds: ["o1"], holdSeats: 2 }),
      fan("d", { payKey: "kd", payOutcome: "refused", holdSeats: 1 }),
    ];
    const r = reconcile(records, ["a", "d", "e"], [order("o2", "d", "kd", 1), order("o3", "a", "other", 2)], 3);
    expect(r.ok).toBe(false);
    expect(r.violations.join("\n")).toMatch(/told it paid/);
    expect(r.violations.join("\n")).toMatch(/was refused/);
    expect(r.violations.join("\n")).toMatch(/matches no fan's payment key/);
    expect(r.violations.join("\n")).toMatch(/3 seats sold in the database/);
  });

  it("counts the orders of fans still hanging at the end apart", () => {
    const r = reconcile([], ["h"], [order("o1", "h", "kh", 2)], 2);
    expect(r).toMatchObject({ ok: true, ofHungFans: 1, seatsAccountedFor: 2 });
  });
});

describe("tabulateAnswers", () => {
  const faults: Fault[] = [
    { kind: "redis-restart", at: 1000, end: 5000, target: "", detail: "" },
    { kind: "pg-terminate", at: 6000, end: 6100, target: "", detail: "" },
  ];
  it("puts answers in the latest fault's window (with grace) and lists every 500", () => {
    const t = tabulateAnswers(
      [
        { step: "join", status: 503, code: "UNAVAILABLE", details: { reason: "redis" }, at: 2000 },
        { step: "topUp", status: 500, code: "INTERNAL", message: "boom", at: 6500 },
        { step: "status", status: 200, at: 20_000 },
      ],
      faults,
      0,
    );
    expect(t.byFaultKind["redis-restart"]).toEqual({ "503 UNAVAILABLE/redis": 1 });
    expect(t.byFaultKind["pg-terminate"]).toEqual({ "500 INTERNAL": 1 });
    expect(t.outsideFaults).toEqual({ "200": 1 });
    expect(t.serverErrors.count).toBe(1);
    expect(t.serverErrors.examples[0]).toMatchObject({ step: "topUp", fault: "pg-terminate at 6.0 s" });
  });
});

describe("admissionStalls", () => {
  it("reports a stretch with fans waiting and no admission", () => {
    const samples = Array.from({ length: 30 }, (_, i) => ({ t: i * 1000, waiting: 10, admissions: i < 5 ? i : 5, sold: 40 }));
    const stalls = admissionStalls(samples, 100, [], 15_000);
    expect(stalls).toHaveLength(1);
    expect(stalls[0]).toMatchObject({ from: 5000, to: 29_000, unsold: 60 });
  });
});
