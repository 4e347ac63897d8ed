import { describe, expect, it } from "vitest";
import { SANDBOX_CARDS } from "@/server/domain/payments/sandbox";
import {
  checkCardNumber,
  checkCvc,
  checkExpiry,
  formatCardNumber,
  luhnValid,
  NOT_A_TEST_CARD,
  TEST_CARDS,
  tokenizeCard,
} from "./sandbox-card";

// 15 June 2026, local time.
const NOW = new Date(2026, 5, 15, 12);

describe("test cards", () => {
  it("turns each test number into the sandbox's token", () => {
    expect(
      Object.fromEntries(["4242 4242 4242 4242", "5555 5555 5555 4444", "4000 0000 0000 3220"].map((n) => [n, checkCardNumber(n)])),
    ).toEqual({
      "4242 4242 4242 4242": { ok: true, value: "tok_visa" },
      "5555 5555 5555 4444": { ok: true, value: "tok_mastercard" },
      "4000 0000 0000 3220": { ok: true, value: "tok_visa_slow" },
    });
    expect(checkCardNumber("4000000000000002")).toEqual({ ok: true, value: "tok_chargeDeclined" });
    expect(checkCardNumber("4000-0000-0000-9995")).toEqual({ ok: true, value: "tok_chargeDeclinedInsufficientFunds" });
    expect(checkCardNumber(" 4000 0000 0000 0069 ")).toEqual({ ok: true, value: "tok_chargeDeclinedExpiredCard" });
    expect(checkCardNumber("4000000000000119")).toEqual({ ok: true, value: "tok_chargeDeclinedProcessingError" });
  });

  it("are valid numbers whose tokens the sandbox knows, with the same last four digits", () => {
    for (const card of TEST_CARDS) {
      expect(luhnValid(card.number), card.number).toBe(true);
      expect(SANDBOX_CARDS[card.token]?.last4, card.token).toBe(card.number.slice(-4));
      expect(SANDBOX_CARDS[card.token]?.brand, card.token).toBe(card.brand.toLowerCase());
    }
  });
});

describe("checkCardNumber", () => {
  it("asks for a number that is missing, not digits, or too short or long", () => {
    expect(checkCardNumber("  ")).toEqual({ ok: false, error: "Enter the card number." });
    expect(checkCardNumber("4242 4242 abcd 4242")).toEqual({ ok: false, error: "Use only digits in the card number." });
    expect(checkCardNumber("4242 4242")).toMatchObject({ ok: false, error: expect.stringMatching(/^A card number has 13 to 19 digits/) });
    expect(checkCardNumber("4".repeat(20))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^A card number has 13 to 19 digits/),
    });
  });

  it("refuses a number that fails the Luhn check", () => {
    expect(checkCardNumber("4242 4242 4242 4241")).toEqual({
      ok: false,
      error: "That card number isn’t valid: check it for a mistyped digit.",
    });
    // Two neighbouring digits swapped.
    expect(checkCardNumber("4242 4242 4242 2442")).toMatchObject({ ok: false });
  });

  it("sends a real card's valid number back to the test cards", () => {
    expect(luhnValid("4111111111111111")).toBe(true);
    expect(checkCardNumber("4111 1111 1111 1111")).toEqual({ ok: false, error: NOT_A_TEST_CARD });
    expect(checkCardNumber("378282246310005")).toEqual({ ok: false, error: NOT_A_TEST_CARD });
  });
});

describe("checkExpiry", () => {
  it("reads MM / YY and its usual spellings", () => {
    for (const typed of ["08 / 29", "08/29", "8/29", "0829", "08-29", "08/2029", "08 2029"]) {
      expect(checkExpiry(typed, NOW), typed).toEqual({ ok: true, value: { month: 8, year: 2029 } });
    }
  });

  it("takes this month, which runs to its end, and refuses last month", () => {
    expect(checkExpiry("06/26", NOW)).toEqual({ ok: true, value: { month: 6, year: 2026 } });
    expect(checkExpiry("05/26", NOW)).toEqual({ ok: false, error: "This card has expired: check the date, or use another card." });
    expect(checkExpiry("12/25", NOW)).toMatchObject({ ok: false, error: expect.stringMatching(/^This card has expired/) });
  });

  it("asks for a month from 1 to 12 and a readable date", () => {
    expect(checkExpiry("", NOW)).toEqual({ ok: false, error: "Enter the expiry date, like 08 / 29." });
    expect(checkExpiry("13/29", NOW)).toEqual({ ok: false, error: "The month must be from 01 to 12." });
    expect(checkExpiry("00/29", NOW)).toEqual({ ok: false, error: "The month must be from 01 to 12." });
    for (const typed of ["August 2029", "08/2", "08/202", "1/2/29"]) {
      expect(checkExpiry(typed, NOW), typed).toEqual({ ok: false, error: "Enter the expiry as MM / YY, like 08 / 29." });
    }
  });
});

describe("checkCvc", () => {
  it("takes 3 or 4 digits", () => {
    expect(checkCvc("123")).toEqual({ ok: true, value: "123" });
    expect(checkCvc(" 1234 ")).toEqual({ ok: true, value: "1234" });
    expect(checkCvc("")).toEqual({ ok: false, error: "Enter the security code (CVC)." });
    for (const typed of ["12", "12345", "12a"]) expect(checkCvc(typed), typed).toMatchObject({ ok: false });
  });
});

describe("tokenizeCard", () => {
  it("gives the token only when every field is right, else a message per field", () => {
    expect(tokenizeCard({ number: "4242424242424242", expiry: "12/30", cvc: "123" }, NOW)).toEqual({ ok: true, token: "tok_visa" });
    expect(tokenizeCard({ number: "4242424242424241", expiry: "12/30", cvc: "12" }, NOW)).toEqual({
      ok: false,
      errors: {
        number: "That card number isn’t valid: check it for a mistyped digit.",
        expiry: undefined,
        cvc: "The security code is 3 or 4 digits, on the back of the card.",
      },
    });
  });
});

describe("formatCardNumber", () => {
  it("groups digits by four and leaves anything else as typed", () => {
    expect(formatCardNumber("4242424242424242")).toBe("4242 4242 4242 4242");
    expect(formatCardNumber("4242-4242 42424242")).toBe("4242 4242 4242 4242");
    expect(formatCardNumber("378282246310005")).toBe("3782 8224 6310 005");
    expect(formatCardNumber(" 4242 abc ")).toBe("4242 abc");
    expect(formatCardNumber("")).toBe("");
  });
});
