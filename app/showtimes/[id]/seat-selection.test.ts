import { describe, expect, it } from "vitest";
import { allowanceOf, dropSeats, listWords, priceSeats, spokenMoney, toggleSeat } from "./seat-selection";

describe("allowanceOf", () => {
  it("is the limit less the seats already held, never below 0 nor above one request's cap", () => {
    expect(allowanceOf(8, 0)).toBe(8);
    expect(allowanceOf(8, 3)).toBe(5);
    expect(allowanceOf(8, 9)).toBe(0);
    expect(allowanceOf(50, 0)).toBe(20);
  });
});

describe("toggleSeat", () => {
  it("adds a free seat and removes a picked one", () => {
    expect(toggleSeat([1], 2, { available: true, allowance: 4 })).toEqual({ kind: "added", selection: [1, 2] });
    expect(toggleSeat([1, 2], 1, { available: true, allowance: 4 })).toEqual({ kind: "removed", selection: [2] });
  });

  it("refuses a seat that is not free", () => {
    expect(toggleSeat([], 3, { available: false, allowance: 4 })).toEqual({ kind: "unavailable" });
  });

  it("refuses the seat past the allowance, but still lets one be put back", () => {
    expect(toggleSeat([1, 2], 3, { available: true, allowance: 2 })).toEqual({ kind: "limit", allowance: 2 });
    expect(toggleSeat([1, 2], 2, { available: true, allowance: 0 })).toEqual({ kind: "removed", selection: [1] });
  });
});

describe("dropSeats", () => {
  it("takes out the named seats and says which were there", () => {
    expect(dropSeats([4, 1, 9], [9, 4, 7])).toEqual({ selection: [1], dropped: [4, 9] });
    expect(dropSeats([4, 1], [7])).toEqual({ selection: [4, 1], dropped: [] });
  });
});

describe("priceSeats", () => {
  const tiers = [
    { priceMinor: 95_000, feeMinor: 5_000, currency: "KRW" as const },
    { priceMinor: 60_000, feeMinor: 3_000, currency: "KRW" as const },
  ];

  it("adds prices and fees per seat", () => {
    expect(priceSeats([0, 1, 1], tiers)).toEqual({ subtotalMinor: 215_000, feesMinor: 11_000, totalMinor: 226_000, currency: "KRW" });
  });

  it("is null for no seats", () => {
    expect(priceSeats([], tiers)).toBeNull();
  });

  it("refuses to add up two currencies", () => {
    expect(() => priceSeats([0, 1], [tiers[0]!, { priceMinor: 1, feeMinor: 0, currency: "USD" }])).toThrow(/mixed currencies/);
  });
});

describe("spokenMoney", () => {
  it("says the amount with the currency's code", () => {
    expect(spokenMoney(95_000, "KRW")).toBe("95,000 KRW");
    expect(spokenMoney(12_950, "USD")).toBe("129.50 USD");
  });
});

describe("listWords", () => {
  it("joins like a sentence", () => {
    expect(listWords(["a"])).toBe("a");
    expect(listWords(["a", "b"])).toBe("a and b");
    expect(listWords(["a", "b", "c"])).toBe("a, b and c");
  });
});
