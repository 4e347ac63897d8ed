// Money typed by a fan in major units ("50,000" won, "12.50" dollars), read as integer minor units with the
// currency's exponent, or a plain reason why it cannot be. No floats: the digits are combined as strings.
import { CURRENCY_EXPONENT, formatMoney } from "@/server/domain/money";
import type { Currency } from "@/server/generated/prisma/enums";

export type ParsedAmount = { ok: true; minor: number } | { ok: false; error: string };

const EXAMPLE: Record<Currency, string> = { KRW: "50,000", USD: "12.50" };
// The currency's own sign or code, before or after the number.
const PREFIX: Record<Currency, RegExp> = { KRW: /^(?:₩|KRW)/i, USD: /^(?:US\$|\$|USD)/i };
const SUFFIX: Record<Currency, RegExp> = { KRW: /(?:₩|KRW|원)$/i, USD: /(?:\$|USD)$/i };
// Whole part with commas between groups of three (or none at all), then an optional fraction.
const NUMBER = /^(?:(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d*))?|\.(\d+))$/;

/**
 * The one reading of money typed in the browser (a fan's top-up, an admin's prices and fees): "50,000",
 * "₩50,000", "12.5" or "$12.50". `allowZero` takes 0 (a free ticket, no fee); `maxMinor` is the most one
 * top-up may add (the server's TOP_UP_MAX). The messages say what is wrong in the typist's terms.
 */
export function parseAmount(
  text: string,
  currency: Currency,
  { maxMinor, allowZero = false }: { maxMinor?: number; allowZero?: boolean } = {},
): ParsedAmount {
  let s = text.replace(/[\s\u00a0\u202f]/g, "");
  if (s === "") return { ok: false, error: "Enter an amount." };
  let negative = false;
  if (/^[-−]/.test(s)) {
    negative = true;
    s = s.slice(1);
  }
  s = s.replace(PREFIX[currency], "").replace(SUFFIX[currency], "");
  if (/^[-−]/.test(s)) {
    // "₩-5000"
    negative = true;
    s = s.slice(1);
  }
  const match = NUMBER.exec(s);
  if (!match) {
    if (/^[\d,]+(?:\.\d*)?$/.test(s)) {
      return { ok: false, error: `Put commas only between groups of three digits, like ${EXAMPLE[currency]}.` };
    }
    return { ok: false, error: `Enter the amount as a number, like ${EXAMPLE[currency]}.` };
  }
  const whole = (match[1] ?? "0").replace(/,/g, "");
  const fraction = match[2] ?? match[3] ?? "";
  const exponent = CURRENCY_EXPONENT[currency];
  // "12.500" is still 12.50; "12.505" is not an amount of money.
  const significant = fraction.replace(/0+$/, "");
  if (significant.length > exponent) {
    return {
      ok: false,
      error:
        exponent === 0
          ? "Won amounts are whole numbers: leave out the decimals."
          : `Use at most ${exponent} decimal places, like ${EXAMPLE[currency]}.`,
    };
  }
  const digits = (whole + significant.padEnd(exponent, "0")).replace(/^0+(?=\d)/, "");
  if (negative && allowZero) return { ok: false, error: "An amount cannot be negative." };
  if (negative || (!allowZero && !/[1-9]/.test(digits))) return { ok: false, error: "Enter an amount above zero." };
  // Longer than any safe integer is certainly over any limit; say so rather than lose digits.
  const minor = digits.length > 15 ? Number.POSITIVE_INFINITY : Number(digits);
  if (maxMinor !== undefined && minor > maxMinor) {
    return { ok: false, error: `You can top up at most ${formatMoney(maxMinor, currency)} at a time.` };
  }
  if (!Number.isSafeInteger(minor)) return { ok: false, error: "That amount is too large." };
  return { ok: true, minor };
}

/** The other way: 50000 KRW → "50,000", 1250 USD → "12.50" (for filling in an amount field). */
export function formatAmountInput(minor: number, currency: Currency): string {
  const exponent = CURRENCY_EXPONENT[currency];
  return new Intl.NumberFormat("en-US", { minimumFractionDigits: exponent, maximumFractionDigits: exponent }).format(
    minor / 10 ** exponent,
  );
}

/** Quick amounts on the top-up form, per currency (minor units). */
export const QUICK_AMOUNTS: Record<Currency, number[]> = {
  KRW: [10_000, 50_000, 100_000, 200_000],
  USD: [1_000, 2_500, 5_000, 10_000],
};

export type TopUpRequest = { currency: Currency; amountMinor: number };
export type TopUpAttempt = TopUpRequest & { idempotencyKey: string };

/**
 * The key for a top-up about to be sent: the previous attempt's key when that attempt got no answer (a
 * network error) and this is the same request again, so the server does it at most once; a fresh key for
 * anything else.
 */
export function keyForAttempt(
  request: TopUpRequest,
  unanswered: TopUpAttempt | null,
  newKey: () => string = () => crypto.randomUUID(),
): string {
  if (unanswered && unanswered.currency === request.currency && unanswered.amountMinor === request.amountMinor) {
    return unanswered.idempotencyKey;
  }
  return newKey();
}

/** How much more the wallet needs to pay `totalMinor`; 0 when it has enough. */
export function shortfallMinor(balanceMinor: number, totalMinor: number): number {
  return Math.max(0, totalMinor - balanceMinor);
}
