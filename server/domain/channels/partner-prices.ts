// The partner channel price API (DESIGN.md, APIs): prices of a product (a showtime) per option (a price
// tier), in the partner's own format: currency codes "1" KRW / "2" USD, and the price in major units as a
// string with exactly five decimals.
import { prisma, type DbTx } from "../../db.ts";
import type { Currency } from "../../generated/prisma/enums.ts";
import { CURRENCY_EXPONENT } from "../money.ts";

export const PARTNER_CURRENCY_CODE: Record<Currency, string> = { KRW: "1", USD: "2" };

/** 12345678 KRW → "12345678.00000"; 12950 USD (cents) → "129.50000". Integer arithmetic only. */
export function partnerPrice(minor: number, currency: Currency): string {
  const exponent = CURRENCY_EXPONENT[currency];
  const unit = 10 ** exponent;
  const major = Math.floor(minor / unit);
  const fraction = String(minor % unit).padStart(exponent, "0");
  return `${major}.${fraction.padEnd(5, "0")}`;
}

export type PartnerPrices = Record<string, { currency: string; price: string }>;

/** The prices of a product partners may sell (a published showtime of a published concert), or null. */
export async function getPartnerPrices(productId: string, { db = prisma() }: { db?: DbTx } = {}): Promise<PartnerPrices | null> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(productId)) return null;
  const showtime = await db.showtime.findFirst({
    where: { id: productId, status: "PUBLISHED", concert: { status: "PUBLISHED" } },
    select: { priceTiers: { orderBy: { sortOrder: "asc" }, select: { id: true, priceMinor: true, currency: true } } },
  });
  if (!showtime) return null;
  return Object.fromEntries(
    showtime.priceTiers.map((t) => [t.id, { currency: PARTNER_CURRENCY_CODE[t.currency], price: partnerPrice(t.priceMinor, t.currency) }]),
  );
}
