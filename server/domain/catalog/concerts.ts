// Reading the catalog: home listings, search, a concert with its showtimes.
import { prisma, type DbTx } from "../../db.ts";
import type { Currency } from "../../generated/prisma/enums.ts";
import { Prisma } from "../../generated/prisma/client.ts";
import { AppError } from "../errors.ts";
import { saleStatus, nextSaleOpensAt, SALE_WINDOW_SELECT, type SaleStatus, type SeatCounts } from "./sale-status.ts";
import { ZSearchConcertsInput, ZSlug, type TSearchConcertsInput } from "./schemas.ts";

export type PriceRange = { min: number; max: number; currency: Currency } | null;

export type ShowtimeSummary = {
  id: string;
  startsAt: Date;
  doorsAt: Date;
  venue: { name: string; city: string; country: string; timezone: string };
  saleStatus: SaleStatus;
  saleOpensAt: Date | null;
  priceRange: PriceRange;
  seats: SeatCounts;
};

export type ConcertCard = {
  id: string;
  slug: string;
  title: string;
  artist: string;
  category: string;
  imageUrl: string;
  cities: string[];
  firstShow: Date | null;
  lastShow: Date | null;
  /** Venue time zones of the first and last show, so their days read as local days. */
  firstShowTimezone: string | null;
  lastShowTimezone: string | null;
  showtimeCount: number;
  priceRange: PriceRange;
  saleStatus: SaleStatus;
};

/** A showtime's price tiers as the seat map and the admin's editor show them, in their order. */
export const PRICE_TIERS_SELECT = {
  orderBy: { sortOrder: "asc" },
  select: { id: true, name: true, priceMinor: true, feeMinor: true, currency: true, color: true },
} as const;

const showtimeSelect = {
  id: true,
  concertId: true,
  ...SALE_WINDOW_SELECT,
  doorsAt: true,
  venue: { select: { name: true, city: true, country: true, timezone: true } },
  priceTiers: { select: { priceMinor: true, currency: true } },
} satisfies Prisma.ShowtimeSelect;

type ShowtimeRow = Prisma.ShowtimeGetPayload<{ select: typeof showtimeSelect }>;

/** Seat counts by status for many showtimes in one grouped query. */
export async function countSeats(showtimeIds: string[], db: DbTx = prisma()): Promise<Map<string, SeatCounts>> {
  const counts = new Map<string, SeatCounts>(showtimeIds.map((id) => [id, { available: 0, held: 0, sold: 0, total: 0 }]));
  if (showtimeIds.length === 0) return counts;
  const groups = await db.seat.groupBy({
    by: ["showtimeId", "status"],
    where: { showtimeId: { in: showtimeIds } },
    _count: { _all: true },
  });
  for (const g of groups) {
    const c = counts.get(g.showtimeId);
    if (!c) continue;
    const n = g._count._all;
    c.total += n;
    if (g.status === "AVAILABLE") c.available += n;
    else if (g.status === "HELD") c.held += n;
    else c.sold += n;
  }
  return counts;
}

function priceRangeOf(tiers: { priceMinor: number; currency: Currency }[]): PriceRange {
  const first = tiers[0];
  if (!first) return null;
  // A showtime sells in one currency; mixed tiers would be an admin error caught at creation.
  const prices = tiers.map((t) => t.priceMinor);
  return { min: Math.min(...prices), max: Math.max(...prices), currency: first.currency };
}

function summarise(row: ShowtimeRow, counts: SeatCounts, now: Date): ShowtimeSummary {
  return {
    id: row.id,
    startsAt: row.startsAt,
    doorsAt: row.doorsAt,
    venue: row.venue,
    saleStatus: saleStatus(row, counts, now),
    saleOpensAt: nextSaleOpensAt(row, now),
    priceRange: priceRangeOf(row.priceTiers),
    seats: counts,
  };
}

/** The best status to advertise for a concert across its showtimes. */
const STATUS_RANK: SaleStatus[] = ["ON_SALE", "PRESALE", "UPCOMING", "SOLD_OUT", "ENDED", "CANCELLED"];
function bestStatus(statuses: SaleStatus[]): SaleStatus {
  return STATUS_RANK.find((s) => statuses.includes(s)) ?? "ENDED";
}

function mergeRanges(ranges: PriceRange[]): PriceRange {
  const present = ranges.filter((r): r is NonNullable<PriceRange> => r !== null);
  const first = present[0];
  if (!first) return null;
  const same = present.filter((r) => r.currency === first.currency);
  return {
    min: Math.min(...same.map((r) => r.min)),
    max: Math.max(...same.map((r) => r.max)),
    currency: first.currency,
  };
}

async function toCards(
  concerts: { id: string; slug: string; title: string; artist: string; category: string; imageUrl: string; showtimes: ShowtimeRow[] }[],
  db: DbTx,
  now: Date,
): Promise<ConcertCard[]> {
  const counts = await countSeats(
    concerts.flatMap((c) => c.showtimes.map((s) => s.id)),
    db,
  );
  return concerts.map((c) => {
    const summaries = c.showtimes.map((s) => summarise(s, counts.get(s.id)!, now));
    return {
      id: c.id,
      slug: c.slug,
      title: c.title,
      artist: c.artist,
      category: c.category,
      imageUrl: c.imageUrl,
      cities: [...new Set(summaries.map((s) => s.venue.city))],
      firstShow: summaries[0]?.startsAt ?? null,
      lastShow: summaries.at(-1)?.startsAt ?? null,
      firstShowTimezone: summaries[0]?.venue.timezone ?? null,
      lastShowTimezone: summaries.at(-1)?.venue.timezone ?? null,
      showtimeCount: summaries.length,
      priceRange: mergeRanges(summaries.map((s) => s.priceRange)),
      saleStatus: bestStatus(summaries.map((s) => s.saleStatus)),
    };
  });
}

const visibleShowtime = (now: Date) => ({ status: "PUBLISHED", startsAt: { gt: now } }) satisfies Prisma.ShowtimeWhereInput;

const cardSelect = (showtimeWhere: Prisma.ShowtimeWhereInput) =>
  ({
    id: true,
    slug: true,
    title: true,
    artist: true,
    category: true,
    imageUrl: true,
    showtimes: { where: showtimeWhere, orderBy: { startsAt: "asc" }, select: showtimeSelect },
  }) satisfies Prisma.ConcertSelect;

/** Home page: concerts selling now, and concerts whose sale opens later. */
export async function listHomeConcerts({ db = prisma(), now = new Date() }: { db?: DbTx; now?: Date } = {}) {
  const concerts = await db.concert.findMany({
    where: { status: "PUBLISHED", showtimes: { some: visibleShowtime(now) } },
    orderBy: { title: "asc" },
    select: cardSelect(visibleShowtime(now)),
  });
  const cards = await toCards(concerts, db, now);
  return {
    onSale: cards.filter((c) => c.saleStatus === "ON_SALE" || c.saleStatus === "PRESALE" || c.saleStatus === "SOLD_OUT"),
    upcoming: cards.filter((c) => c.saleStatus === "UPCOMING"),
  };
}

/** pg_trgm's word similarity at or above which a word counts as a typo of the text (0..1): pg_trgm's own default. */
const FUZZY_THRESHOLD = 0.6;

/**
 * Concerts with an upcoming published showtime matching the filters, a page at a time. The text matches
 * the title, artist, category, venue name or city as typed (any case), or, when nothing does, with a typo
 * (pg_trgm word similarity). Sorted by the first matching show's date, its cheapest ticket price (the
 * "from" price its card shows; currencies are not converted, so each sorts within its own, KRW before
 * USD), or the title.
 */
export async function searchConcerts(input: TSearchConcertsInput, { db = prisma(), now = new Date() }: { db?: DbTx; now?: Date } = {}) {
  const { q, city, from, to, sort, page, pageSize } = ZSearchConcertsInput.parse(input);
  const fromAt = from ? new Date(`${from}T00:00:00Z`) : null;
  const toEnd = to ? new Date(new Date(`${to}T00:00:00Z`).getTime() + 86_400_000) : null;
  const showtimeWhere: Prisma.ShowtimeWhereInput = {
    ...visibleShowtime(now),
    ...(city ? { venue: { city: { equals: city, mode: "insensitive" } } } : {}),
    ...(fromAt || toEnd ? { startsAt: { gt: now, ...(fromAt ? { gte: fromAt } : {}), ...(toEnd ? { lt: toEnd } : {}) } } : {}),
  };
  const text = q || null;
  const pattern = text ? `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const order =
    sort === "price"
      ? Prisma.sql`p.currency NULLS LAST, p.price NULLS LAST, k.title, k.id`
      : sort === "title"
        ? Prisma.sql`k.title, k.id`
        : Prisma.sql`k.first_at, k.title, k.id`;
  // The text as typed; typos only when nothing matches as typed (a common word shared with the text would
  // otherwise bring in every concert that has it).
  const textMatch = (typos: boolean) =>
    !text
      ? Prisma.empty
      : typos
        ? Prisma.sql`AND (word_similarity(${text}, c.title) >= ${FUZZY_THRESHOLD} OR word_similarity(${text}, c.artist) >= ${FUZZY_THRESHOLD}
            OR word_similarity(${text}, v.name) >= ${FUZZY_THRESHOLD} OR word_similarity(${text}, v.city) >= ${FUZZY_THRESHOLD})`
        : Prisma.sql`AND (c.title ILIKE ${pattern} OR c.artist ILIKE ${pattern} OR c.category ILIKE ${pattern}
            OR v.name ILIKE ${pattern} OR v.city ILIKE ${pattern})`;
  // The matching showtimes; per concert its first date and its cheapest ticket in its first currency.
  const pageOf = (typos: boolean, at: number, size: number) => db.$queryRaw<{ id: string; total: bigint }[]>`
    WITH matched AS (
      SELECT c.id, c.title, s.id AS showtime_id, s."startsAt" AS starts_at
      FROM "Concert" c
      JOIN "Showtime" s ON s."concertId" = c.id
      JOIN "Venue" v ON v.id = s."venueId"
      WHERE c.status = 'PUBLISHED' AND s.status = 'PUBLISHED' AND s."startsAt" > ${now}
        ${city ? Prisma.sql`AND lower(v.city) = lower(${city})` : Prisma.empty}
        ${fromAt ? Prisma.sql`AND s."startsAt" >= ${fromAt}` : Prisma.empty}
        ${toEnd ? Prisma.sql`AND s."startsAt" < ${toEnd}` : Prisma.empty}
        ${textMatch(typos)}
    ),
    concerts AS (SELECT id, title, min(starts_at) AS first_at FROM matched GROUP BY id, title),
    cheapest AS (
      SELECT DISTINCT ON (m.id) m.id, pt.currency::text AS currency, pt."priceMinor" AS price
      FROM matched m JOIN "PriceTier" pt ON pt."showtimeId" = m.showtime_id
      ORDER BY m.id, pt.currency::text, pt."priceMinor"
    )
    SELECT k.id, count(*) OVER () AS total
    FROM concerts k LEFT JOIN cheapest p ON p.id = k.id
    ORDER BY ${order}
    LIMIT ${size} OFFSET ${(at - 1) * size}`;
  let rows = await pageOf(false, page, pageSize);
  // Nothing as typed on this page, nor (past page 1) on the first: look for typos.
  if (text && rows.length === 0 && (page === 1 || (await pageOf(false, 1, 1)).length === 0)) rows = await pageOf(true, page, pageSize);
  const total = rows.length > 0 ? Number(rows[0]!.total) : page === 1 ? 0 : await countMatches();
  const concerts = await db.concert.findMany({ where: { id: { in: rows.map((r) => r.id) } }, select: cardSelect(showtimeWhere) });
  const byId = new Map(concerts.map((c) => [c.id, c]));
  return {
    items: await toCards(
      rows.flatMap((r) => byId.get(r.id) ?? []),
      db,
      now,
    ),
    page,
    pageSize,
    total,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
  };

  // A page past the end has no rows to carry the total: count once more without the page.
  async function countMatches(): Promise<number> {
    return Number((await searchConcerts({ ...input, page: 1, pageSize: 1 }, { db, now })).total);
  }
}

/** Cities with upcoming published showtimes, for the search filter. */
export async function listCities({ db = prisma(), now = new Date() }: { db?: DbTx; now?: Date } = {}) {
  const venues = await db.venue.findMany({
    where: { showtimes: { some: { ...visibleShowtime(now), concert: { status: "PUBLISHED" } } } },
    distinct: ["city"],
    orderBy: { city: "asc" },
    select: { city: true },
  });
  return venues.map((v) => v.city);
}

export async function getConcert(slug: string, { db = prisma(), now = new Date() }: { db?: DbTx; now?: Date } = {}) {
  const concert = await db.concert.findFirst({
    where: { slug: ZSlug.parse(slug), status: "PUBLISHED" },
    select: {
      id: true,
      slug: true,
      title: true,
      artist: true,
      description: true,
      imageUrl: true,
      category: true,
      showtimes: { where: { status: { not: "DRAFT" } }, orderBy: { startsAt: "asc" }, select: showtimeSelect },
    },
  });
  if (!concert) throw new AppError("NOT_FOUND", "We couldn't find that concert.");
  const counts = await countSeats(
    concert.showtimes.map((s) => s.id),
    db,
  );
  const { showtimes, ...rest } = concert;
  return { ...rest, showtimes: showtimes.map((s) => summarise(s, counts.get(s.id)!, now)) };
}
