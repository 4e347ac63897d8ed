// Demo data that looks real: three venues in three cities, seven concerts, showtimes on sale, upcoming and
// sold out. Idempotent: users, venues and concerts that already exist (by email or slug) are left alone.
import type { Db } from "../server/db.ts";
import type { Currency } from "../server/generated/prisma/enums.ts";
import { hashPassword } from "../server/domain/auth/passwords.ts";
import { newTicketCode } from "../server/domain/checkout/checkout.ts";
import { createShowtimeInventory } from "../server/domain/showtimes/inventory.ts";
import type { TSectionSpec } from "../server/domain/venues/layout.ts";
import { createVenue, type TCreateVenueInput } from "../server/domain/venues/venues.ts";

export const DEMO_ACCOUNTS = [
  { email: "admin@onsale.test", password: "backstage-pass-2026", name: "Ada Admin", role: "ADMIN" },
  { email: "fan1@onsale.test", password: "onsale-fan-2026", name: "Mina Park", role: "USER" },
  { email: "fan2@onsale.test", password: "onsale-fan-2026", name: "Jordan Lee", role: "USER" },
  { email: "fan3@onsale.test", password: "onsale-fan-2026", name: "Sam Rivera", role: "USER" },
] as const;

/** The demo presale's shared access code (README). */
export const DEMO_PRESALE_CODE = "FANCLUB-2026";

function arenaSections(): TSectionSpec[] {
  const floor = (name: string, x: number, y: number): TSectionSpec => ({
    name,
    rows: 20,
    seatsPerRow: 25,
    x,
    y,
    seatSpacing: 8,
    rowSpacing: 9,
    aisleEvery: 0,
  });
  const bowl = (prefix: number, radius: number, rows: number): TSectionSpec[] =>
    Array.from({ length: 16 }, (_, i) => {
      // Sections fan around the floor from 40° to 320°, leaving the stage end open.
      const phi = 40 + (280 / 15) * i;
      const rad = (phi * Math.PI) / 180;
      return {
        name: String(prefix + i + 1),
        rows,
        seatsPerRow: 25,
        x: Math.round(1200 + radius * Math.sin(rad)),
        y: Math.round(1100 - radius * Math.cos(rad)),
        rotation: (phi + 180) % 360, // the same angle, within the ±360° the schema allows
        curve: 6,
        seatSpacing: 8,
        rowSpacing: 10,
        rowLabels: "numbers" as const,
      };
    });
  return [
    floor("Floor A", 1090, 540),
    floor("Floor B", 1310, 540),
    floor("Floor C", 1090, 760),
    floor("Floor D", 1310, 760),
    ...bowl(100, 700, 20),
    ...bowl(200, 960, 14),
  ];
}

const VENUES: TCreateVenueInput[] = [
  {
    slug: "rolling-hall",
    name: "Rolling Hall",
    city: "Seoul",
    country: "KR",
    address: "35 Eoulmadang-ro, Mapo-gu, Seoul",
    timezone: "Asia/Seoul",
    width: 400,
    height: 380,
    stage: { x: 100, y: 20, w: 200, h: 50 },
    sections: [
      { name: "Floor", rows: 12, seatsPerRow: 20, x: 200, y: 110, seatSpacing: 14, rowSpacing: 16, aisleEvery: 10 },
      { name: "Balcony", rows: 3, seatsPerRow: 20, x: 200, y: 320, seatSpacing: 14, rowSpacing: 16, curve: 8 },
    ],
  },
  {
    slug: "dream-theatre",
    name: "Dream Theatre",
    city: "Busan",
    country: "KR",
    address: "30 Munhyeongeumyung-ro, Nam-gu, Busan",
    timezone: "Asia/Seoul",
    width: 800,
    height: 860,
    stage: { x: 250, y: 30, w: 300, h: 60 },
    sections: [
      { name: "Orchestra", rows: 25, seatsPerRow: 40, x: 400, y: 130, seatSpacing: 14, rowSpacing: 12, aisleEvery: 10, curve: 20 },
      { name: "Mezzanine", rows: 15, seatsPerRow: 40, x: 400, y: 470, seatSpacing: 14, rowSpacing: 12, aisleEvery: 10, curve: 24 },
      { name: "Balcony", rows: 10, seatsPerRow: 40, x: 400, y: 690, seatSpacing: 14, rowSpacing: 12, aisleEvery: 20, curve: 28 },
    ],
  },
  {
    slug: "harbor-arena",
    name: "Harbor Arena",
    city: "New York",
    country: "US",
    address: "4 Pennsylvania Plaza, New York, NY",
    timezone: "America/New_York",
    width: 2400,
    height: 2300,
    stage: { x: 1000, y: 330, w: 400, h: 110 },
    sections: arenaSections(),
  },
];

type TierSpec = { name: string; price: number; fee: number; color: string; sections: string[] };

const CURRENCY_BY_VENUE: Record<string, Currency> = { "rolling-hall": "KRW", "dream-theatre": "KRW", "harbor-arena": "USD" };

const TIERS_BY_VENUE: Record<string, TierSpec[]> = {
  "rolling-hall": [
    { name: "Floor", price: 77_000, fee: 3_000, color: "#e4572e", sections: ["Floor"] },
    { name: "Balcony", price: 55_000, fee: 2_000, color: "#17bebb", sections: ["Balcony"] },
  ],
  "dream-theatre": [
    { name: "R", price: 132_000, fee: 4_000, color: "#9c27b0", sections: ["Orchestra"] },
    { name: "S", price: 99_000, fee: 3_000, color: "#2e86de", sections: ["Mezzanine"] },
    { name: "A", price: 66_000, fee: 2_000, color: "#20bf6b", sections: ["Balcony"] },
  ],
  "harbor-arena": [
    { name: "Floor", price: 189_50, fee: 18_95, color: "#e84393", sections: ["Floor A", "Floor B", "Floor C", "Floor D"] },
    { name: "Lower Bowl", price: 129_50, fee: 12_95, color: "#0984e3", sections: Array.from({ length: 16 }, (_, i) => String(101 + i)) },
    { name: "Upper Bowl", price: 69_50, fee: 7_25, color: "#00b894", sections: Array.from({ length: 16 }, (_, i) => String(201 + i)) },
  ],
};

/** How a demo showtime stands relative to now. */
type Phase = "on-sale" | "presale" | "upcoming" | "sold-out";

type ShowtimeSpec = { venue: string; inDays: number; phase: Phase };

const CONCERTS: {
  slug: string;
  title: string;
  artist: string;
  category: string;
  description: string;
  showtimes: ShowtimeSpec[];
}[] = [
  {
    slug: "aurora-skies-world-tour",
    title: "Aurora Skies World Tour",
    artist: "Aurora Skies",
    category: "Pop",
    description:
      "The synth-pop duo brings its northern-lights stage show to arenas worldwide: two hours of new songs from 'Polar Daylight', the hits, and a light rig the size of a small town.",
    showtimes: [
      { venue: "harbor-arena", inDays: 24, phase: "on-sale" },
      { venue: "harbor-arena", inDays: 25, phase: "on-sale" },
      { venue: "dream-theatre", inDays: 40, phase: "on-sale" },
    ],
  },
  {
    slug: "neon-harbor-live",
    title: "Neon Harbor Live",
    artist: "Neon Harbor",
    category: "Rock",
    description:
      "Loud guitars, louder crowds. Neon Harbor return after three years with a set built for singing along, opened by local heroes The Tidelines.",
    showtimes: [
      { venue: "harbor-arena", inDays: 52, phase: "presale" },
      { venue: "dream-theatre", inDays: 33, phase: "on-sale" },
    ],
  },
  {
    slug: "seoul-philharmonic-winter-gala",
    title: "Seoul Philharmonic Winter Gala",
    artist: "Seoul Philharmonic Orchestra",
    category: "Classical",
    description:
      "Tchaikovsky's Nutcracker suite, Rachmaninoff's Second Piano Concerto and a snowy encore. A seasonal evening for the whole family.",
    showtimes: [
      { venue: "dream-theatre", inDays: 26, phase: "on-sale" },
      { venue: "dream-theatre", inDays: 27, phase: "on-sale" },
    ],
  },
  {
    slug: "midnight-jazz-collective",
    title: "Midnight Jazz Collective",
    artist: "Midnight Jazz Collective",
    category: "Jazz",
    description: "Late sets in a small room: a rotating ten-piece band playing standards and new compositions until well past midnight.",
    showtimes: [
      { venue: "rolling-hall", inDays: 45, phase: "upcoming" },
      { venue: "rolling-hall", inDays: 46, phase: "upcoming" },
    ],
  },
  {
    slug: "the-velvet-echoes-reunion",
    title: "The Velvet Echoes Reunion",
    artist: "The Velvet Echoes",
    category: "Indie",
    description: "Ten years after their last show, the Velvet Echoes play their debut album front to back in the club where they started.",
    showtimes: [
      { venue: "rolling-hall", inDays: 18, phase: "sold-out" },
      { venue: "rolling-hall", inDays: 19, phase: "on-sale" },
    ],
  },
  {
    slug: "k-wave-festival-night",
    title: "K-Wave Festival Night",
    artist: "Various artists",
    category: "K-pop",
    description: "Six acts, one night: a festival line-up of rising K-pop groups with a finale you will talk about for weeks.",
    showtimes: [
      { venue: "harbor-arena", inDays: 60, phase: "upcoming" },
      { venue: "dream-theatre", inDays: 35, phase: "on-sale" },
    ],
  },
  {
    slug: "indie-garden-sessions",
    title: "Indie Garden Sessions",
    artist: "Hazel & The Ferns",
    category: "Folk",
    description: "Acoustic songs and string arrangements, with guests from Busan's folk scene.",
    showtimes: [
      { venue: "rolling-hall", inDays: 29, phase: "on-sale" },
      { venue: "dream-theatre", inDays: 58, phase: "upcoming" },
    ],
  },
];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Evening show times in UTC: 19:30 in Seoul, 20:00 in New York. */
const SHOW_HOUR_UTC: Record<string, number> = { "rolling-hall": 10.5, "dream-theatre": 10.5, "harbor-arena": 25 };

/** A presale runs now or opens before general sale: it is for the artist's fan club. */
const presaleAhead = (phase: Phase) => phase === "presale" || phase === "upcoming";

function showtimeDates(spec: ShowtimeSpec, now: Date) {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const startsAt = new Date(midnight + spec.inDays * DAY + SHOW_HOUR_UTC[spec.venue]! * HOUR);
  const at = (days: number) => new Date(now.getTime() + days * DAY);
  const windows: Record<Phase, { presale: [Date, Date] | null; general: Date }> = {
    "on-sale": { presale: [at(-4), at(-2)], general: at(-2) },
    "sold-out": { presale: [at(-10), at(-8)], general: at(-8) },
    presale: { presale: [at(-1), at(3)], general: at(3) },
    upcoming: { presale: [at(2), at(4)], general: at(4) },
  };
  const w = windows[spec.phase];
  return {
    startsAt,
    doorsAt: new Date(startsAt.getTime() - HOUR),
    presaleStartsAt: w.presale?.[0] ?? null,
    presaleEndsAt: w.presale?.[1] ?? null,
    generalSaleStartsAt: w.general,
    saleEndsAt: new Date(startsAt.getTime() - 2 * HOUR),
  };
}

export async function seed(db: Db, { now = new Date() }: { now?: Date } = {}): Promise<{ created: boolean }> {
  let created = false;

  for (const account of DEMO_ACCOUNTS) {
    const exists = await db.user.findUnique({ where: { email: account.email }, select: { id: true } });
    if (exists) continue;
    await db.user.create({
      data: { email: account.email, name: account.name, role: account.role, passwordHash: await hashPassword(account.password) },
    });
    created = true;
  }

  const venueIds = new Map<string, string>();
  for (const venue of VENUES) {
    const existing = await db.venue.findUnique({ where: { slug: venue.slug }, select: { id: true } });
    venueIds.set(venue.slug, existing?.id ?? (await createVenue(venue, { db })).id);
    created ||= !existing;
  }

  for (const concert of CONCERTS) {
    if (await db.concert.findUnique({ where: { slug: concert.slug }, select: { id: true } })) continue;
    created = true;
    await db.$transaction(
      async (tx) => {
        const { id: concertId } = await tx.concert.create({
          data: {
            slug: concert.slug,
            title: concert.title,
            artist: concert.artist,
            category: concert.category,
            description: concert.description,
            imageUrl: `/images/concerts/${concert.slug}.svg`,
            status: "PUBLISHED",
          },
          select: { id: true },
        });
        for (const spec of concert.showtimes) {
          const currency = CURRENCY_BY_VENUE[spec.venue]!;
          const tiers = TIERS_BY_VENUE[spec.venue]!;
          const showtime = await tx.showtime.create({
            data: {
              concertId,
              venueId: venueIds.get(spec.venue)!,
              status: "PUBLISHED",
              ...showtimeDates(spec, now),
              ...(presaleAhead(spec.phase) ? { presaleFor: `${concert.artist} fan club members`, presaleLimit: 4 } : {}),
              priceTiers: {
                create: tiers.map((t, i) => ({
                  name: t.name,
                  priceMinor: t.price,
                  feeMinor: t.fee,
                  currency,
                  color: t.color,
                  sortOrder: i,
                })),
              },
            },
            select: { id: true, priceTiers: { select: { id: true, name: true } } },
          });
          const tierId = new Map(showtime.priceTiers.map((t) => [t.name, t.id]));
          const tierBySection = Object.fromEntries(tiers.flatMap((t) => t.sections.map((s) => [s, tierId.get(t.name)!])));
          await createShowtimeInventory(showtime.id, tierBySection, { db: tx });
          if (spec.phase === "sold-out") await sellOutToBoxOffice(tx, showtime.id, currency);
          if (presaleAhead(spec.phase)) {
            // The fan club's shared code, and one demo fan already on the list.
            await tx.presaleCode.create({
              data: { showtimeId: showtime.id, code: DEMO_PRESALE_CODE, label: "Fan club newsletter", maxUses: 10_000 },
            });
            await tx.presaleListEntry.create({ data: { showtimeId: showtime.id, email: "fan1@onsale.test" } });
          }
        }
      },
      { timeout: 120_000 },
    );
  }

  return { created };
}

type SeedTx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * The demo's sold-out night, sold the way checkout records a sale, so the invariants hold in a seeded
 * database too (`npm run audit`): the box office (an account nobody can sign in to) was charged the
 * total, paid one order with one ticket per seat, and its wallet equals its ledger.
 */
async function sellOutToBoxOffice(tx: SeedTx, showtimeId: string, currency: Currency): Promise<void> {
  const buyer = await tx.user.upsert({
    where: { email: "boxoffice@onsale.test" },
    create: { email: "boxoffice@onsale.test", name: "Box office (demo sales)", role: "USER", passwordHash: "seed-no-password" },
    update: {},
    select: { id: true },
  });
  const seats = await tx.seat.findMany({
    where: { showtimeId },
    orderBy: { id: "asc" },
    select: { id: true, priceTier: { select: { priceMinor: true, feeMinor: true } } },
  });
  const subtotalMinor = seats.reduce((sum, s) => sum + s.priceTier.priceMinor, 0);
  const feesMinor = seats.reduce((sum, s) => sum + s.priceTier.feeMinor, 0);
  const totalMinor = subtotalMinor + feesMinor;
  const seatIds = seats.map((s) => s.id);
  const hold = await tx.hold.create({
    data: {
      showtimeId,
      userId: buyer.id,
      heldUntil: new Date(),
      seatCount: seats.length,
      seatIds,
      status: "CONVERTED",
      client: "seed",
      ip: "127.0.0.1",
    },
    select: { id: true },
  });
  await tx.seat.updateMany({ where: { showtimeId }, data: { status: "SOLD", holdId: hold.id } });
  const wallet = await tx.wallet.upsert({
    where: { userId_currency: { userId: buyer.id, currency } },
    create: { userId: buyer.id, currency },
    update: {},
    select: { id: true, balanceMinor: true },
  });
  const key = `seed-sold-out-${showtimeId}`;
  await tx.ledgerEntry.create({
    data: {
      walletId: wallet.id,
      userId: buyer.id,
      type: "CHARGE",
      amountMinor: totalMinor,
      balanceAfterMinor: wallet.balanceMinor + totalMinor,
      currency,
      idempotencyKey: key,
    },
  });
  const order = await tx.order.create({
    data: { userId: buyer.id, showtimeId, holdId: hold.id, subtotalMinor, feesMinor, totalMinor, currency, idempotencyKey: key },
    select: { id: true },
  });
  const paid = await tx.ledgerEntry.create({
    data: {
      walletId: wallet.id,
      userId: buyer.id,
      type: "PAYMENT",
      amountMinor: -totalMinor,
      balanceAfterMinor: wallet.balanceMinor,
      currency,
      orderId: order.id,
    },
    select: { id: true },
  });
  await tx.payment.create({ data: { orderId: order.id, userId: buyer.id, amountMinor: totalMinor, currency, ledgerEntryId: paid.id } });
  await tx.ticket.createMany({
    data: seats.map((s) => ({
      orderId: order.id,
      seatId: s.id,
      ownerId: buyer.id,
      code: newTicketCode(),
      priceMinor: s.priceTier.priceMinor,
      feeMinor: s.priceTier.feeMinor,
      currency,
    })),
  });
}
