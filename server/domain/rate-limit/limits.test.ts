import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, limitsFrom } from "./limits.ts";

describe("limitsFrom", () => {
  it("uses the defaults, merges overrides per class, and can switch limits off", () => {
    expect(limitsFrom(undefined)).toEqual(DEFAULT_LIMITS);
    const limits = limitsFrom('{"holds":{"perUser":3}}');
    expect(limits).not.toBe("off");
    if (limits === "off") return;
    expect(limits.holds).toEqual({ perUser: 3, perIp: DEFAULT_LIMITS.holds.perIp });
    expect(limits.search).toEqual(DEFAULT_LIMITS.search);
    expect(limitsFrom("off")).toBe("off");
  });

  it("refuses unknown classes and bad numbers", () => {
    expect(() => limitsFrom('{"holdz":{"perUser":3}}')).toThrow();
    expect(() => limitsFrom('{"holds":{"perUser":0}}')).toThrow();
    expect(() => limitsFrom("not json")).toThrow();
  });
});
