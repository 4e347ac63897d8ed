// Where a showtime stands in its sale, from its windows, lifecycle and stock. One rule for every page.

export type SaleStatus = "UPCOMING" | "PRESALE" | "ON_SALE" | "SOLD_OUT" | "ENDED" | "CANCELLED";

export type SaleWindowInput = {
  status: "DRAFT" | "PUBLISHED" | "CANCELLED";
  startsAt: Date;
  presaleStartsAt: Date | null;
  presaleEndsAt: Date | null;
  generalSaleStartsAt: Date;
  saleEndsAt: Date;
};

/** What saleStatus reads of a showtime, for a query's select. */
export const SALE_WINDOW_SELECT = {
  status: true,
  startsAt: true,
  presaleStartsAt: true,
  presaleEndsAt: true,
  generalSaleStartsAt: true,
  saleEndsAt: true,
} as const;

export type SeatCounts = { available: number; held: number; sold: number; total: number };

export function saleStatus(showtime: SaleWindowInput, counts: SeatCounts, now: Date = new Date()): SaleStatus {
  if (showtime.status === "CANCELLED") return "CANCELLED";
  const t = now.getTime();
  if (t >= showtime.saleEndsAt.getTime() || t >= showtime.startsAt.getTime()) return "ENDED";
  const inPresale =
    showtime.presaleStartsAt !== null &&
    showtime.presaleEndsAt !== null &&
    t >= showtime.presaleStartsAt.getTime() &&
    t < showtime.presaleEndsAt.getTime();
  const inGeneral = t >= showtime.generalSaleStartsAt.getTime();
  if (!inPresale && !inGeneral) return "UPCOMING";
  // Held seats may come back when holds expire, so a showtime is sold out only when every seat is sold.
  if (counts.total > 0 && counts.sold >= counts.total) return "SOLD_OUT";
  return inGeneral ? "ON_SALE" : "PRESALE";
}

/** Tickets one account may have for the showtime now: the presale's own limit while the presale runs. */
export function ticketLimitOf(sale: SaleStatus, limits: { perUserLimit: number; presaleLimit: number | null }): number {
  return sale === "PRESALE" && limits.presaleLimit !== null ? Math.min(limits.presaleLimit, limits.perUserLimit) : limits.perUserLimit;
}

/** When the next sale window opens, for "on sale from …" labels; null once selling has begun. */
export function nextSaleOpensAt(showtime: SaleWindowInput, now: Date = new Date()): Date | null {
  const opens = [showtime.presaleStartsAt, showtime.generalSaleStartsAt]
    .filter((d): d is Date => d !== null && d.getTime() > now.getTime())
    .sort((a, b) => a.getTime() - b.getTime());
  return opens[0] ?? null;
}

export const SALE_STATUS_LABEL: Record<SaleStatus, string> = {
  UPCOMING: "Coming soon",
  PRESALE: "Presale",
  ON_SALE: "On sale",
  SOLD_OUT: "Sold out",
  ENDED: "Sales ended",
  CANCELLED: "Cancelled",
};
