// The dashboard's home: revenue per currency (never added across currencies), and the showtimes an admin
// asks for (words in the concert or venue, where the sale stands, upcoming or past) with their seats sold
// and takings.
import { z } from "zod";
import { prisma, type DbTx } from "../../db.ts";
import type { Currency } from "../../generated/prisma/enums.ts";
import { countSeats } from "../catalog/concerts.ts";
import { SALE_WINDOW_SELECT, saleStatus, type SaleStatus } from "../catalog/sale-status.ts";

/** Where a showtime stands for the dashboard: not yet public (it or its concert a draft), or its sale status. */
export type DashboardStatus = "DRAFT" | SaleStatus;
export const DASHBOARD_STATUSES = [
  "DRAFT",
  "UPCOMING",
  "PRESALE",
  "ON_SALE",
  "SOLD_OUT",
  "ENDED",
  "CANCELLED",
] as const satisfies readonly DashboardStatus[];

export const ZDashboardInput = z.strictObject({
  /** Words in the concert's title or artist, or the venue's name or city. */
  query: z.string().trim().max(200).optional(),
  status: z.enum(DASHBOARD_STATUSES).optional(),
  /** Upcoming: not started yet (soonest first); past: started (latest first). */
  when: z.enum(["upcoming", "past", "all"]).default("upcoming"),
});
export type TDashboardInput = z.input<typeof ZDashboardInput>;

/** Takings in one currency: paid orders' totals (fees included; a refunded order is no longer paid). */
export type Revenue = { currency: Currency; minor: number; orders: number };

export async function getDashboard(input: TDashboardInput = {}, { db = prisma(), now = new Date() }: { db?: DbTx; now?: Date } = {}) {
  const { query, status, when } = ZDashboardInput.parse(input);
  const text = query ? { contains: query, mode: "insensitive" as const } : undefined;
  const showtimes = await db.showtime.findMany({
    where: {
      ...(when === "upcoming" ? { startsAt: { gt: now } } : when === "past" ? { startsAt: { lte: now } } : {}),
      ...(text
        ? { OR: [{ concert: { title: text } }, { concert: { artist: text } }, { venue: { name: text } }, { venue: { city: text } }] }
        : {}),
    },
    orderBy: [{ startsAt: when === "past" ? "desc" : "asc" }, { id: "asc" }],
    select: {
      id: true,
      ...SALE_WINDOW_SELECT,
      concert: { select: { id: true, title: true, artist: true, status: true } },
      venue: { select: { name: true, city: true, timezone: true } },
    },
  });
  const ids = showtimes.map((s) => s.id);
  const [seats, takings, revenue, concertCount, venueCount] = await Promise.all([
    countSeats(ids, db),
    db.order.groupBy({
      by: ["showtimeId", "currency"],
      where: { status: "PAID", showtimeId: { in: ids } },
      _sum: { totalMinor: true },
      _count: { _all: true },
    }),
    db.order.groupBy({
      by: ["currency"],
      where: { status: "PAID" },
      _sum: { totalMinor: true },
      _count: { _all: true },
      orderBy: { currency: "asc" },
    }),
    db.concert.count(),
    db.venue.count(),
  ]);
  const takingsOf = new Map<string, Revenue[]>();
  for (const t of takings) {
    const list = takingsOf.get(t.showtimeId) ?? [];
    list.push({ currency: t.currency, minor: t._sum.totalMinor ?? 0, orders: t._count._all });
    takingsOf.set(t.showtimeId, list);
  }
  const rows = showtimes
    .map(({ presaleStartsAt, presaleEndsAt, generalSaleStartsAt, saleEndsAt, ...s }) => {
      const counts = seats.get(s.id) ?? { available: 0, held: 0, sold: 0, total: 0 };
      const sale = saleStatus({ ...s, presaleStartsAt, presaleEndsAt, generalSaleStartsAt, saleEndsAt }, counts, now);
      const cancelled = s.status === "CANCELLED" || s.concert.status === "CANCELLED";
      const draft = s.status === "DRAFT" || s.concert.status === "DRAFT";
      const standing: DashboardStatus = cancelled ? "CANCELLED" : draft ? "DRAFT" : sale;
      return { ...s, status: standing, showtimeStatus: s.status, seats: counts, revenue: takingsOf.get(s.id) ?? [] };
    })
    .filter((r) => !status || r.status === status);
  return {
    rows,
    revenue: revenue.map((r): Revenue => ({ currency: r.currency, minor: r._sum.totalMinor ?? 0, orders: r._count._all })),
    concertCount,
    venueCount,
  };
}

export type DashboardRow = Awaited<ReturnType<typeof getDashboard>>["rows"][number];
