// The sandbox processor's browser half, as Stripe.js is Stripe's: what the fan typed in the card form is
// checked here, and a test card's number becomes the sandbox's token without leaving the browser, so
// Onsale's server never receives a card number. The tokens are the sandbox's own (SANDBOX_CARDS in
// server/domain/payments/sandbox.ts); the numbers are Stripe's test numbers for the same behaviour.

export type TestCard = { number: string; token: string; brand: string; outcome: string };

/** The test cards the sandbox knows: a number, the token it becomes, and what happens when it is charged. */
export const TEST_CARDS: readonly TestCard[] = [
  { number: "4242424242424242", token: "tok_visa", brand: "Visa", outcome: "pays" },
  { number: "5555555555554444", token: "tok_mastercard", brand: "Mastercard", outcome: "pays" },
  { number: "4000000000003220", token: "tok_visa_slow", brand: "Visa", outcome: "pays after a few seconds" },
  { number: "4000000000000002", token: "tok_chargeDeclined", brand: "Visa", outcome: "declined" },
  { number: "4000000000009995", token: "tok_chargeDeclinedInsufficientFunds", brand: "Visa", outcome: "declined: insufficient funds" },
  { number: "4000000000000069", token: "tok_chargeDeclinedExpiredCard", brand: "Visa", outcome: "declined: expired card" },
  { number: "4000000000000119", token: "tok_chargeDeclinedProcessingError", brand: "Visa", outcome: "declined: processing error" },
];

export const CARD_FIELDS = ["number", "expiry", "cvc"] as const;
export type CardField = (typeof CARD_FIELDS)[number];
export type CardValues = Record<CardField, string>;
export type CardErrors = Partial<Record<CardField, string>>;

export const NOT_A_TEST_CARD = "This is a test processor: use a test card, e.g. 4242 4242 4242 4242.";

/** The digits of a card number typed with or without spaces and dashes; null when anything else is in it. */
function digitsOf(text: string): string | null {
  const digits = text.replace(/[\s-]/g, "");
  return /^\d*$/.test(digits) ? digits : null;
}

/** The Luhn checksum every card number carries: one mistyped digit, or two swapped, fails it. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** "4242 4242 4242 4242": a number in groups of four, as printed on the card; anything else as typed. */
export function formatCardNumber(text: string): string {
  const digits = digitsOf(text);
  if (!digits) return text.trim();
  return digits.replace(/(\d{4})(?=\d)/g, "$1 ");
}

type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

/** The sandbox token of a test card's number, or why the number cannot be used. */
export function checkCardNumber(text: string): Checked<string> {
  const digits = digitsOf(text);
  if (digits === "") return { ok: false, error: "Enter the card number." };
  if (digits === null) return { ok: false, error: "Use only digits in the card number." };
  if (digits.length < 13 || digits.length > 19)
    return { ok: false, error: "A card number has 13 to 19 digits: check that it is all there." };
  if (!luhnValid(digits)) return { ok: false, error: "That card number isn’t valid: check it for a mistyped digit." };
  const card = TEST_CARDS.find((c) => c.number === digits);
  return card ? { ok: true, value: card.token } : { ok: false, error: NOT_A_TEST_CARD };
}

/** MM / YY (also MM/YYYY, MMYY): a month from 1 to 12 and not over yet, as of `now` in the fan's time zone. */
export function checkExpiry(text: string, now: Date): Checked<{ month: number; year: number }> {
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, error: "Enter the expiry date, like 08 / 29." };
  const match = /^(\d{1,2})\s*[/.\- ]?\s*(\d{2}|\d{4})$/.exec(trimmed);
  if (!match) return { ok: false, error: "Enter the expiry as MM / YY, like 08 / 29." };
  const month = Number(match[1]);
  const year = match[2]!.length === 2 ? 2000 + Number(match[2]) : Number(match[2]);
  if (month < 1 || month > 12) return { ok: false, error: "The month must be from 01 to 12." };
  // A card works until the end of its month.
  if (year < now.getFullYear() || (year === now.getFullYear() && month < now.getMonth() + 1)) {
    return { ok: false, error: "This card has expired: check the date, or use another card." };
  }
  return { ok: true, value: { month, year } };
}

/** The security code: 3 digits (4 on American Express). */
export function checkCvc(text: string): Checked<string> {
  const cvc = text.trim();
  if (!cvc) return { ok: false, error: "Enter the security code (CVC)." };
  if (!/^\d{3,4}$/.test(cvc)) return { ok: false, error: "The security code is 3 or 4 digits, on the back of the card." };
  return { ok: true, value: cvc };
}

/** The whole form: the token to send, or a message for each field that has a problem. */
export function tokenizeCard(values: CardValues, now: Date): { ok: true; token: string } | { ok: false; errors: CardErrors } {
  const number = checkCardNumber(values.number);
  const expiry = checkExpiry(values.expiry, now);
  const cvc = checkCvc(values.cvc);
  if (number.ok && expiry.ok && cvc.ok) return { ok: true, token: number.value };
  return {
    ok: false,
    errors: {
      number: number.ok ? undefined : number.error,
      expiry: expiry.ok ? undefined : expiry.error,
      cvc: cvc.ok ? undefined : cvc.error,
    },
  };
}
