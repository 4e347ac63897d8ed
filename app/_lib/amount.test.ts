import { describe, expect, it } from "vitest";
import { formatAmountInput, keyForAttempt, parseAmount, shortfallMinor } from "./amount";

const ok = (minor: number) => ({ ok: true, minor });
const error = (text: string) => ({ ok: false, error: text });

describe("parseAmount", () => {
  it("reads won as whole units, with or without commas and the sign", () => {
    expect(parseAmount("50,000", "KRW")).toEqual(ok(50_000));
    expect(parseAmount("50000", "KRW")).toEqual(ok(50_000));
    expect(parseAmount(" ₩1,250,000 ", "KRW")).toEqual(ok(1_250_000));
    expect(parseAmount("30000원", "KRW")).toEqual(ok(30_000));
    expect(parseAmount("007", "KRW")).toEqual(ok(7));
  });

  it("reads dollars into cents without floating point", () => {
    expect(parseAmount("12.50", "USD")).toEqual(ok(1_250));
    expect(parseAmount("12.5", "USD")).toEqual(ok(1_250));
    expect(parseAmount("$1,000", "USD")).toEqual(ok(100_000));
    expect(parseAmount("0.29", "USD")).toEqual(ok(29));
    expect(parseAmount(".5", "USD")).toEqual(ok(50));
    expect(parseAmount("12.", "USD")).toEqual(ok(1_200));
    // 0.1 + 0.2 style traps: the digits are joined, not multiplied.
    expect(parseAmount("1.15", "USD")).toEqual(ok(115));
    expect(parseAmount("4.35", "USD")).toEqual(ok(435));
  });

  it("accepts trailing zeros past the currency's decimals", () => {
    expect(parseAmount("12.500", "USD")).toEqual(ok(1_250));
    expect(parseAmount("50,000.00", "KRW")).toEqual(ok(50_000));
  });

  it("says when there is nothing, or not a number", () => {
    expect(parseAmount("", "KRW")).toEqual(error("Enter an amount."));
    expect(parseAmount("   ", "USD")).toEqual(error("Enter an amount."));
    expect(parseAmount("ten", "KRW")).toEqual(error("Enter the amount as a number, like 50,000."));
    expect(parseAmount("12.50.1", "USD")).toEqual(error("Enter the amount as a number, like 12.50."));
    expect(parseAmount("1e5", "KRW")).toEqual(error("Enter the amount as a number, like 50,000."));
    // Another currency's sign is not this one's.
    expect(parseAmount("$50", "KRW")).toEqual(error("Enter the amount as a number, like 50,000."));
  });

  it("says where commas go", () => {
    expect(parseAmount("5,0000", "KRW")).toEqual(error("Put commas only between groups of three digits, like 50,000."));
    expect(parseAmount("12,50", "USD")).toEqual(error("Put commas only between groups of three digits, like 12.50."));
  });

  it("refuses zero and negative amounts", () => {
    expect(parseAmount("0", "KRW")).toEqual(error("Enter an amount above zero."));
    expect(parseAmount("0.00", "USD")).toEqual(error("Enter an amount above zero."));
    expect(parseAmount("-5,000", "KRW")).toEqual(error("Enter an amount above zero."));
    expect(parseAmount("−12.50", "USD")).toEqual(error("Enter an amount above zero."));
    expect(parseAmount("$-1", "USD")).toEqual(error("Enter an amount above zero."));
  });

  it("refuses more decimals than the currency has", () => {
    expect(parseAmount("12.505", "USD")).toEqual(error("Use at most 2 decimal places, like 12.50."));
    expect(parseAmount("50,000.5", "KRW")).toEqual(error("Won amounts are whole numbers: leave out the decimals."));
  });

  it("refuses more than one top-up may add", () => {
    expect(parseAmount("2,000,000", "KRW", { maxMinor: 2_000_000 })).toEqual(ok(2_000_000));
    expect(parseAmount("2,000,001", "KRW", { maxMinor: 2_000_000 })).toEqual(error("You can top up at most ₩2,000,000 at a time."));
    expect(parseAmount("2000.01", "USD", { maxMinor: 200_000 })).toEqual(error("You can top up at most $2,000.00 at a time."));
    expect(parseAmount("99999999999999999999", "KRW", { maxMinor: 2_000_000 })).toEqual(
      error("You can top up at most ₩2,000,000 at a time."),
    );
    expect(parseAmount("99999999999999999999", "KRW")).toEqual(error("That amount is too large."));
  });
});

describe("formatAmountInput", () => {
  it("writes minor units back as the fan would type them", () => {
    expect(formatAmountInput(50_000, "KRW")).toBe("50,000");
    expect(formatAmountInput(1_250, "USD")).toBe("12.50");
    expect(formatAmountInput(7, "USD")).toBe("0.07");
  });

  it("round-trips through parseAmount", () => {
    for (const [minor, currency] of [
      [1, "KRW"],
      [95_000, "KRW"],
      [1_999_999, "KRW"],
      [1, "USD"],
      [12_950, "USD"],
      [200_000, "USD"],
    ] as const) {
      expect(parseAmount(formatAmountInput(minor, currency), currency)).toEqual(ok(minor));
    }
  });
});

describe("keyForAttempt", () => {
  let n = 0;
  const fresh = () => `key-${++n}`;

  it("makes a fresh key for a new top-up", () => {
    expect(keyForAttempt({ currency: "KRW", amountMinor: 50_000 }, null, fresh)).toMatch(/^key-\d+$/);
  });

  it("reuses the key of the same top-up that got no answer", () => {
    const unanswered = { currency: "KRW" as const, amountMinor: 50_000, idempotencyKey: "first-key" };
    expect(keyForAttempt({ currency: "KRW", amountMinor: 50_000 }, unanswered, fresh)).toBe("first-key");
  });

  it("makes a fresh key once the amount or currency changed", () => {
    const unanswered = { currency: "KRW" as const, amountMinor: 50_000, idempotencyKey: "first-key" };
    expect(keyForAttempt({ currency: "KRW", amountMinor: 60_000 }, unanswered, fresh)).not.toBe("first-key");
    expect(keyForAttempt({ currency: "USD", amountMinor: 50_000 }, unanswered, fresh)).not.toBe("first-key");
  });

  it("makes UUIDs by default", () => {
    expect(keyForAttempt({ currency: "USD", amountMinor: 1 }, null)).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("shortfallMinor", () => {
  it("is what is missing, never negative", () => {
    expect(shortfallMinor(30_000, 95_000)).toBe(65_000);
    expect(shortfallMinor(95_000, 95_000)).toBe(0);
    expect(shortfallMinor(100_000, 95_000)).toBe(0);
  });
});

describe("parseAmount for prices and fees (zero allowed)", () => {
  const price = (text: string, currency: "KRW" | "USD") => parseAmount(text, currency, { allowZero: true });

  it("turns major units into minor units by the currency, zero included", () => {
    expect(price("129.50", "USD")).toEqual({ ok: true, minor: 12950 });
    expect(price("129.5", "USD")).toEqual({ ok: true, minor: 12950 });
    expect(price("0.07", "USD")).toEqual({ ok: true, minor: 7 });
    expect(price("95,000", "KRW")).toEqual({ ok: true, minor: 95000 });
    expect(price(" 95000 ", "KRW")).toEqual({ ok: true, minor: 95000 });
    expect(price("95000.00", "KRW")).toEqual({ ok: true, minor: 95000 });
    expect(price("0", "KRW")).toEqual({ ok: true, minor: 0 });
    // A fan's top-up is never zero.
    expect(parseAmount("0", "KRW")).toEqual({ ok: false, error: "Enter an amount above zero." });
  });

  it("says what is wrong with amounts it cannot take", () => {
    expect(price("", "USD")).toEqual({ ok: false, error: "Enter an amount." });
    expect(price("-5", "USD")).toEqual({ ok: false, error: "An amount cannot be negative." });
    expect(price("12.345", "USD")).toEqual({ ok: false, error: "Use at most 2 decimal places, like 12.50." });
    expect(price("950.5", "KRW")).toEqual({ ok: false, error: "Won amounts are whole numbers: leave out the decimals." });
    expect(price("ten", "USD").ok).toBe(false);
    expect(price("1e5", "USD").ok).toBe(false);
  });

  it("reads back every amount the form writes", () => {
    for (const minor of [0, 1, 99, 100, 18950, 123456789]) {
      expect(price(formatAmountInput(minor, "USD"), "USD")).toEqual({ ok: true, minor });
      expect(price(formatAmountInput(minor, "KRW"), "KRW")).toEqual({ ok: true, minor });
    }
  });
});
