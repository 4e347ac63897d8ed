import { describe, expect, it } from "vitest";
import { refundStateOf } from "./refund-state";

describe("refundStateOf", () => {
  const until = new Date("2030-01-01T00:00:00Z");
  const valid = { status: "VALID", receivedByTransfer: false };
  const paid = { status: "PAID" as const, canRefund: true, refundableUntil: until, tickets: [valid, valid] };

  it("allows a paid order before the cutoff", () => {
    expect(refundStateOf(paid, until.getTime() - 1)).toEqual({ kind: "refundable", until });
  });
  it("refuses once the cutoff has passed", () => {
    expect(refundStateOf(paid, until.getTime())).toEqual({ kind: "cutoff", cutoff: until });
    expect(refundStateOf({ ...paid, canRefund: false }, 0)).toEqual({ kind: "cutoff", cutoff: until });
  });
  it("refuses an order already refunded", () => {
    expect(refundStateOf({ ...paid, status: "REFUNDED", refundableUntil: null, canRefund: false }, 0)).toEqual({ kind: "refunded" });
  });
  it("refuses when a ticket now belongs to someone else, whatever the time", () => {
    const order = { ...paid, canRefund: false, tickets: [valid, { status: "VALID", receivedByTransfer: true }] };
    expect(refundStateOf(order, 0)).toEqual({ kind: "transferred", count: 1 });
  });
});
