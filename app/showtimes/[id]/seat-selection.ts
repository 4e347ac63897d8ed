// The fan's seat selection as plain rules: what may be added (free seats, within the per-user limit), what
// falls out when seats are taken, and what it costs. Seats are named by their server ids.
import type { Currency } from "@/server/generated/prisma/enums";
import { CURRENCY_EXPONENT } from "@/server/domain/money";

/** The server's cap on one hold request (MAX_SEATS_PER_HOLD in server/domain/holds/holds.ts). */
export const MAX_SEATS_PER_REQUEST = 20;

export type PriceTier = { priceMinor: number; feeMinor: number; currency: Currency };

/** How many more seats the fan may pick: the showtime's limit less what they already hold. */
export function allowanceOf(perUserLimit: number, heldByMe: number): number {
  return Math.max(0, Math.min(MAX_SEATS_PER_REQUEST, perUserLimit - heldByMe));
}

export type ToggleOutcome =
  | { kind: "added"; selection: number[] }
  | { kind: "removed"; selection: number[] }
  /** On hold or sold: nothing to pick. */
  | { kind: "unavailable" }
  /** Adding it would pass the per-user limit. */
  | { kind: "limit"; allowance: number };

/** Picks a seat, or puts it back when it is already picked. */
export function toggleSeat(
  selection: readonly number[],
  seatId: number,
  { available, allowance }: { available: boolean; allowance: number },
): ToggleOutcome {
  if (selection.includes(seatId)) return { kind: "removed", selection: selection.filter((id) => id !== seatId) };
  if (!available) return { kind: "unavailable" };
  if (selection.length >= allowance) return { kind: "limit", allowance };
  return { kind: "added", selection: [...selection, seatId] };
}

/** Takes `ids` out of the selection; `dropped` lists those that were in it, in selection order. */
export function dropSeats(selection: readonly number[], ids: Iterable<number>): { selection: number[]; dropped: number[] } {
  const out = new Set(ids);
  const dropped = selection.filter((id) => out.has(id));
  return { selection: dropped.length ? selection.filter((id) => !out.has(id)) : [...selection], dropped };
}

export type PriceTotals = { subtotalMinor: number; feesMinor: number; totalMinor: number; currency: Currency };

/** Price and booking fee of each seat (given by its tier), summed; null for no seats. */
export function priceSeats(tierOfSeat: readonly number[], tiers: readonly PriceTier[]): PriceTotals | null {
  let subtotalMinor = 0;
  let feesMinor = 0;
  let currency: Currency | null = null;
  for (const t of tierOfSeat) {
    const tier = tiers[t];
    if (!tier) continue;
    // A showtime sells in one currency; a mix would be a data error, not something to add up.
    if (currency && tier.currency !== currency) throw new Error(`mixed currencies: ${currency} and ${tier.currency}`);
    currency = tier.currency;
    subtotalMinor += tier.priceMinor;
    feesMinor += tier.feeMinor;
  }
  return currency ? { subtotalMinor, feesMinor, totalMinor: subtotalMinor + feesMinor, currency } : null;
}

const spokenFormats = new Map<number, Intl.NumberFormat>();

/** 95000 KRW → "95,000 KRW": an amount a screen reader says the same way in every language. */
export function spokenMoney(minor: number, currency: Currency): string {
  const exponent = CURRENCY_EXPONENT[currency];
  let format = spokenFormats.get(exponent);
  if (!format) {
    format = new Intl.NumberFormat("en-US", { minimumFractionDigits: exponent, maximumFractionDigits: exponent });
    spokenFormats.set(exponent, format);
  }
  return `${format.format(minor / 10 ** exponent)} ${currency}`;
}

/** "1 seat", "3 seats". */
export function seatsWord(n: number): string {
  return `${n} seat${n === 1 ? "" : "s"}`;
}

/** "A", "A and B", "A, B and C". */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
