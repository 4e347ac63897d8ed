import { describe, expect, it } from "vitest";
import { refundStateOf } from "./[id]/refund-state";
import { isFiltered, orderSearchHref, readOrderSearch, searchInput } from "./order-search-params";

describe("order search in the URL", () => {
  it("reads what is set and drops what cannot be", () => {
    expect(readOrderSearch({ q: "  mina@ ", showtime: "st_1", status: "refunded" })).toEqual({ q: "mina@", showtimeId: "st_1", status: "REFUNDED" });
    expect(readOrderSearch({ q: ["a", "b"], showtime: "../x", status: "lost" })).toEqual({ q: "a", showtimeId: "", status: "" });
    expect(readOrderSearch({})).toEqual({ q: "", showtimeId: "", status: "" });
  });
  it("writes only the filters that are set, and reads back the same", () => {
    expect(orderSearchHref({ q: "", showtimeId: "", status: "" })).toBe("/admin/orders");
    const search = { q: "fan+1@onsale.test", showtimeId: "st_1", status: "PAID" as const };
    const href = orderSearchHref(search);
    expect(href).toBe("/admin/orders?q=fan%2B1%40onsale.test&showtime=st_1&status=paid");
    expect(readOrderSearch(Object.fromEntries(new URL(href, "http://x").searchParams))).toEqual(search);
  });
  it("asks the server only for the filters that are set", () => {
    expect(searchInput({ q: "", showtimeId: "", status: "" }, 20)).toEqual({ limit: 20 });
    expect(searchInput({ q: "a", showtimeId: "b", status: "PAID" }, 5)).toEqual({ limit: 5, query: "a", showtimeId: "b", status: "PAID" });
    expect(isFiltered({ q: "", showtimeId: "", status: "" })).toBe(false);
    expect(isFiltered({ q: "", showtimeId: "", status: "REFUNDED" })).toBe(true);
  });
});

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
