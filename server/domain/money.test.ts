import { describe, expect, it } from "vitest";
import { formatMoney, formatMoneyRange } from "./money";

describe("formatMoney", () => {
  it("formats KRW without decimals", () => {
    expect(formatMoney(95000, "KRW")).toBe("₩95,000");
    expect(formatMoney(0, "KRW")).toBe("₩0");
  });

  it("formats USD minor units as dollars and cents", () => {
    expect(formatMoney(12950, "USD")).toBe("$129.50");
    expect(formatMoney(5, "USD")).toBe("$0.05");
    expect(formatMoney(100000, "USD")).toBe("$1,000.00");
  });

  it("refuses fractional minor units", () => {
    expect(() => formatMoney(10.5, "USD")).toThrow(RangeError);
  });

  it("collapses equal ends of a range", () => {
    expect(formatMoneyRange(5000, 5000, "USD")).toBe("$50.00");
    expect(formatMoneyRange(5000, 12950, "USD")).toBe("$50.00 – $129.50");
  });
});
