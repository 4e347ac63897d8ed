import { describe, expect, it } from "vitest";
import {
  actionLabel,
  auditFilterProblems,
  auditHref,
  auditListInput,
  describeEntry,
  diffSnapshots,
  entityHref,
  flatten,
  formatValue,
  parseDay,
  readAuditFilter,
} from "./audit-model";

describe("flatten", () => {
  it("reaches leaves by dotted paths, objects in arrays by index", () => {
    const flat = flatten({ a: 1, b: { c: true, d: [1, 2] }, tiers: [{ name: "VIP", price: 5 }], empty: {}, none: null });
    expect([...flat]).toEqual([
      ["a", 1],
      ["b.c", true],
      ["b.d", [1, 2]],
      ["tiers[0].name", "VIP"],
      ["tiers[0].price", 5],
      ["empty", {}],
      ["none", null],
    ]);
  });
  it("keeps deep values whole", () => {
    expect([...flatten({ a: { b: { c: { d: 1 } } } })]).toEqual([["a.b.c", { d: 1 }]]);
  });
  it("keeps a bare value under the empty path", () => {
    expect([...flatten("x")]).toEqual([["", "x"]]);
  });
});

describe("diffSnapshots", () => {
  it("marks each field changed, same, added or removed", () => {
    const rows = diffSnapshots({ paused: false, batchSize: 50, gone: 1 }, { paused: true, batchSize: 50, added: "x" });
    expect(rows).toEqual([
      { path: "paused", before: false, after: true, change: "changed" },
      { path: "batchSize", before: 50, after: 50, change: "same" },
      { path: "added", before: undefined, after: "x", change: "added" },
      { path: "gone", before: 1, after: undefined, change: "removed" },
    ]);
  });
  it("treats a missing snapshot as empty (a create, or a delete)", () => {
    expect(diffSnapshots(null, { id: "a" })).toEqual([{ path: "id", before: undefined, after: "a", change: "added" }]);
    expect(diffSnapshots({ id: "a" }, undefined)).toEqual([{ path: "id", before: "a", after: undefined, change: "removed" }]);
    expect(diffSnapshots(null, null)).toEqual([]);
  });
  it("compares nested arrays and objects by value", () => {
    const rows = diffSnapshots(
      { tiers: [{ id: "t", priceMinor: 100 }], tags: ["a"] },
      { tiers: [{ id: "t", priceMinor: 120 }], tags: ["a"] },
    );
    expect(rows.filter((r) => r.change !== "same")).toEqual([{ path: "tiers[0].priceMinor", before: 100, after: 120, change: "changed" }]);
  });
});

describe("values and labels", () => {
  it("formats snapshot values", () => {
    expect(formatValue(undefined)).toBe("—");
    expect(formatValue(null)).toBe("none");
    expect(formatValue("")).toBe("(empty)");
    expect(formatValue(false)).toBe("false");
    expect(formatValue(1500)).toBe("1500");
    expect(formatValue([1, 2])).toBe("[1,2]");
    expect(formatValue("2026-03-03T20:00:00.000Z")).toBe("Mar 3, 2026, 8:00:00 PM UTC");
    expect(formatValue("2026-03-03")).toBe("2026-03-03");
  });
  it("names actions, and says pause or resume for a waiting-room change of just that", () => {
    expect(actionLabel("order.refund")).toBe("Refunded an order");
    expect(actionLabel("something.new")).toBe("something.new");
    expect(describeEntry("waitingRoom.update", { paused: false, batchSize: 5 }, { paused: true, batchSize: 5 })).toBe("Paused admission");
    expect(describeEntry("waitingRoom.update", { paused: true }, { paused: false })).toBe("Resumed admission");
    expect(describeEntry("waitingRoom.update", { paused: true, batchSize: 5 }, { paused: false, batchSize: 6 })).toBe(
      "Changed waiting-room settings",
    );
    expect(describeEntry("waitingRoom.update", { paused: false, pauseNote: null }, { paused: true, pauseNote: "Back soon." })).toBe(
      "Paused admission",
    );
    expect(describeEntry("waitingRoom.update", { paused: true, pauseNote: "Back soon." }, { paused: false, pauseNote: null })).toBe(
      "Resumed admission",
    );
    expect(describeEntry("waitingRoom.update", { paused: true, pauseNote: null }, { paused: true, pauseNote: "Back at 8." })).toBe(
      "Changed the pause message",
    );
  });
  it("links orders and showtimes to their pages", () => {
    expect(entityHref("Order", "o1")).toBe("/admin/orders/o1");
    expect(entityHref("Showtime", "s1")).toBe("/admin/showtimes/s1");
    expect(entityHref("ApiKey", "k1")).toBe("/admin/channels");
    expect(entityHref("Concert", "c1")).toBeNull();
  });
});

describe("audit filter in the URL", () => {
  const none = { q: "", from: "", to: "" };
  it("reads a type and an id, and drops what cannot be", () => {
    expect(readAuditFilter({ entityType: "Order", entityId: "o_1" })).toEqual({ entityType: "Order", entityId: "o_1", ...none });
    expect(readAuditFilter({ entityType: "Order; drop", entityId: "o_1" })).toEqual({ entityType: "", entityId: "", ...none });
    expect(readAuditFilter({ entityId: "o_1" })).toEqual({ entityType: "", entityId: "", ...none });
  });
  it("reads the words and days as typed, trimmed", () => {
    expect(readAuditFilter({ q: "  aurora ", from: "2026-12-01", to: "yesterday" })).toEqual({
      entityType: "",
      entityId: "",
      q: "aurora",
      from: "2026-12-01",
      to: "yesterday",
    });
  });
  it("writes it back", () => {
    expect(auditHref({ entityType: "", entityId: "" })).toBe("/admin/audit");
    expect(auditHref({ entityType: "Order", entityId: "" })).toBe("/admin/audit?entityType=Order");
    expect(auditHref({ entityType: "Order", entityId: "o1" })).toBe("/admin/audit?entityType=Order&entityId=o1");
    expect(auditHref({ entityType: "Order", q: "mina@", from: "2026-12-01", to: "2026-12-07" })).toBe(
      "/admin/audit?entityType=Order&q=mina%40&from=2026-12-01&to=2026-12-07",
    );
  });
});

describe("audit days", () => {
  const filter = { entityType: "", entityId: "", q: "" };
  it("accepts only days that exist", () => {
    expect(parseDay("2026-12-07")).toEqual([2026, 12, 7]);
    expect(parseDay("2026-02-30")).toBeNull();
    expect(parseDay("2026-12-7")).toBeNull();
    expect(parseDay("12/07/2026")).toBeNull();
  });
  it("names a bad day, and a span that runs backwards", () => {
    expect(auditFilterProblems({ ...filter, from: "2026-13-01", to: "" }).from).toMatch(/“2026-13-01” is not a date/);
    expect(auditFilterProblems({ ...filter, from: "", to: "soon" }).to).toMatch(/“soon” is not a date/);
    expect(auditFilterProblems({ ...filter, from: "2026-12-08", to: "2026-12-07" }).from).toMatch(/after the “to” day/);
    expect(auditFilterProblems({ ...filter, from: "2026-12-07", to: "2026-12-07" })).toEqual({});
  });
  it("asks for whole local days, the last one included", () => {
    const input = auditListInput({ ...filter, q: "x", from: "2026-12-01", to: "2026-12-07" }, 25);
    expect(input).toEqual({ limit: 25, query: "x", from: new Date(2026, 11, 1), to: new Date(2026, 11, 8) });
  });
});
