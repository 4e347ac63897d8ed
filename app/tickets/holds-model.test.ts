import { describe, expect, it } from "vitest";
import { formatTimeLeft, holdStanding, holdsHref, holdStatusOf, readHoldFilter } from "./holds-model";

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

  it("asks for released and expired holds in one query when ended", () => {
    expect(holdStatusOf("ended")).toBe("ENDED");
    expect(holdStatusOf("active")).toBe("ACTIVE");
    expect(holdStatusOf("all")).toBeUndefined();
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
