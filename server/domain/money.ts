// Money is integer minor units plus a currency; this is the one place that knows each currency's exponent.
import type { Currency } from "../generated/prisma/enums.ts";

export const CURRENCY_EXPONENT: Record<Currency, number> = { KRW: 0, USD: 2 };

const LOCALE: Record<Currency, string> = { KRW: "ko-KR", USD: "en-US" };

/** 95000 KRW → "₩95,000"; 12950 USD → "$129.50". */
export function formatMoney(minor: number, currency: Currency): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`money must be integer minor units, got ${minor}`);
  const exponent = CURRENCY_EXPONENT[currency];
  return new Intl.NumberFormat(LOCALE[currency], {
    style: "currency",
    currency,
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  }).format(minor / 10 ** exponent);
}

/** Formats a min–max range, or a single price when both ends are equal. */
export function formatMoneyRange(min: number, max: number, currency: Currency): string {
  return min === max ? formatMoney(min, currency) : `${formatMoney(min, currency)} – ${formatMoney(max, currency)}`;
}
