import { describe, expect, it } from "vitest";
import { minorToInput, parseMoneyInput } from "./money-input";

describe("parseMoneyInput", () => {
  it("turns major units into minor units by the currency", () => {
    expect(parseMoneyInput("129.50", "USD")).toEqual({ ok: true, minor: 12950 });
    expect(parseMoneyInput("129.5", "USD")).toEqual({ ok: true, minor: 12950 });
    expect(parseMoneyInput("129", "USD")).toEqual({ ok: true, minor: 12900 });
    expect(parseMoneyInput("0.07", "USD")).toEqual({ ok: true, minor: 7 });
    expect(parseMoneyInput("95,000", "KRW")).toEqual({ ok: true, minor: 95000 });
    expect(parseMoneyInput(" 95000 ", "KRW")).toEqual({ ok: true, minor: 95000 });
    expect(parseMoneyInput("95000.00", "KRW")).toEqual({ ok: true, minor: 95000 });
    expect(parseMoneyInput("0", "KRW")).toEqual({ ok: true, minor: 0 });
  });

  it("says what is wrong with amounts it cannot take", () => {
    expect(parseMoneyInput("", "USD")).toEqual({ ok: false, message: "Enter an amount." });
    expect(parseMoneyInput("-5", "USD")).toEqual({ ok: false, message: "An amount cannot be negative." });
    expect(parseMoneyInput("12.345", "USD")).toEqual({ ok: false, message: "Use at most 2 decimals." });
    expect(parseMoneyInput("950.5", "KRW")).toEqual({ ok: false, message: "KRW has no minor units; enter a whole amount." });
    expect(parseMoneyInput("ten", "USD").ok).toBe(false);
    expect(parseMoneyInput("1e5", "USD").ok).toBe(false);
  });
});

describe("minorToInput", () => {
  it("writes minor units back as the amount an admin types", () => {
    expect(minorToInput(12950, "USD")).toBe("129.50");
    expect(minorToInput(7, "USD")).toBe("0.07");
    expect(minorToInput(0, "USD")).toBe("0.00");
    expect(minorToInput(95000, "KRW")).toBe("95000");
    for (const minor of [0, 1, 99, 100, 18950, 123456789]) {
      expect(parseMoneyInput(minorToInput(minor, "USD"), "USD")).toEqual({ ok: true, minor });
    }
  });
});
