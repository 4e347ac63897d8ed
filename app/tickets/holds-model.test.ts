import { describe, expect, it } from "vitest";
import { formatTimeLeft, holdStanding, holdsHref, mergeNewestFirst, readHoldFilter, statusesOf } from "./holds-model";

const at = (minute: number, id: string) => ({ id, createdAt: new Date(Date.UTC(2026, 0, 1, 12, minute)) });
const ids = (items: { id: string }[]) => items.map((i) => i.id);

describe("the filter in the URL", () => {
  it("reads active and ended, and shows everything for anything else", () => {
    expect(readHoldFilter("active")).toBe("active");
    expect(readHoldFilter(["ENDED", "active"])).toBe("ended");
    expect(readHoldFilter(undefined)).toBe("all");
    expect(readHoldFilter("RELEASED")).toBe("all");
  });

  it("round-trips through the link, with no query string for all", () => {
    for (const f of ["all", "active", "ended"] as const) {
      const qs = new URL(holdsHref(f), "http://x").searchParams.get("status") ?? undefined;
      expect(readHoldFilter(qs)).toBe(f);
    }
    expect(holdsHref("all")).toBe("/tickets");
  });

  it("asks for released and expired holds apart when ended", () => {
    expect(statusesOf("ended")).toEqual(["RELEASED", "EXPIRED"]);
    expect(statusesOf("active")).toEqual(["ACTIVE"]);
    expect(statusesOf("all")).toEqual([undefined]);
  });
});

describe("mergeNewestFirst", () => {
  it("interleaves complete lists newest first", () => {
    const a = { items: [at(9, "a9"), at(5, "a5"), at(1, "a1")], hasMore: false };
    const b = { items: [at(8, "b8"), at(2, "b2")], hasMore: false };
    expect(ids(mergeNewestFirst([a, b]))).toEqual(["a9", "b8", "a5", "b2", "a1"]);
  });

  it("holds back what a list with more pages could still slot something above", () => {
    const a = { items: [at(9, "a9"), at(5, "a5"), at(1, "a1")], hasMore: false };
    const b = { items: [at(8, "b8"), at(4, "b4")], hasMore: true };
    // b's next page may hold minute 3 or 2, which belong above a1.
    expect(ids(mergeNewestFirst([a, b]))).toEqual(["a9", "b8", "a5", "b4"]);
    const bMore = { items: [...b.items, at(2, "b2")], hasMore: false };
    expect(ids(mergeNewestFirst([a, bMore]))).toEqual(["a9", "b8", "a5", "b4", "b2", "a1"]);
  });

  it("breaks ties in creation time by id, descending, and drops repeats", () => {
    const a = { items: [at(5, "x"), at(5, "m")], hasMore: false };
    const b = { items: [at(5, "z"), at(5, "x")], hasMore: false };
    expect(ids(mergeNewestFirst([a, b]))).toEqual(["z", "x", "m"]);
  });

  it("is one list as it is", () => {
    const one = { items: [at(3, "c"), at(2, "b")], hasMore: true };
    expect(ids(mergeNewestFirst([one]))).toEqual(["c", "b"]);
    expect(mergeNewestFirst([{ items: [], hasMore: false }])).toEqual([]);
  });
});

describe("holdStanding", () => {
  const heldUntil = new Date(Date.UTC(2026, 0, 1, 12, 10));
  const now = heldUntil.getTime() - 192_000;

  it("counts down a live hold and reads it as expired once its time is up", () => {
    expect(holdStanding({ status: "ACTIVE", live: true, heldUntil }, now)).toEqual({ state: "live", msLeft: 192_000 });
    expect(holdStanding({ status: "ACTIVE", live: true, heldUntil }, heldUntil.getTime())).toEqual({ state: "expired" });
    expect(holdStanding({ status: "ACTIVE", live: true, heldUntil }, 0)).toEqual({ state: "live", msLeft: null });
  });

  it("takes the ended states as the server says", () => {
    expect(holdStanding({ status: "RELEASED", live: false, heldUntil }, now).state).toBe("released");
    expect(holdStanding({ status: "EXPIRED", live: false, heldUntil }, now).state).toBe("expired");
    expect(holdStanding({ status: "CONVERTED", live: false, heldUntil }, now).state).toBe("paid");
  });
});

describe("formatTimeLeft", () => {
  it("reads m:ss, rounding up, and h:mm:ss past an hour", () => {
    expect(formatTimeLeft(192_000)).toBe("3:12");
    expect(formatTimeLeft(191_001)).toBe("3:12");
    expect(formatTimeLeft(400)).toBe("0:01");
    expect(formatTimeLeft(-5)).toBe("0:00");
    expect(formatTimeLeft(3_725_000)).toBe("1:02:05");
  });
});
