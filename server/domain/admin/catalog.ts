// Admin catalog work: concerts, and showtimes with their price tiers and seat inventory. Every change is
// audited in the same transaction. Validation messages name the field, for the dashboard's forms.
import { z } from "zod";
import { prisma, type Db, type DbTx } from "../../db.ts";
import { Prisma } from "../../generated/prisma/client.ts";
import { AppError } from "../errors.ts";
import { refuseInProduction, type Pause } from "../protections.ts";
import { ZId } from "../ids.ts";
import { createShowtimeInventory } from "../showtimes/inventory.ts";
import { redis } from "../../redis.ts";
import { syncSettings, ZWaitingRoomSettingsInput } from "../waiting-room/settings.ts";
import { touchSeatLayout } from "../seatmap/layout.ts";
import { PRICE_TIERS_SELECT } from "../catalog/concerts.ts";
import { SALE_WINDOW_SELECT } from "../catalog/sale-status.ts";
import { recordAudit } from "./audit.ts";
import { timeProblems } from "./showtime-times.ts";

// Concerts -------------------------------------------------------------------------------------
export const ZConcertInput = z.strictObject({
  slug: z
    .string()
    .trim()
    .min(3, "The address needs 3 to 80 characters.")
    .max(80, "The address needs 3 to 80 characters.")
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Use lower-case letters, digits and single dashes."),
  title: z.string().trim().min(1, "Give the concert a title.").max(160),
  artist: z.string().trim().min(1, "Name the artist.").max(120),
  description: z.string().trim().max(5000).default(""),
  imageUrl: z
    .string()
    .trim()
    .regex(/^\/[A-Za-z0-9/_.-]+$/, "Use an image path on this site, e.g. /images/concerts/default.svg.")
    .default("/images/concerts/default.svg"),
  category: z.string().trim().min(1, "Pick a category.").max(40),
});
export type TConcertInput = z.input<typeof ZConcertInput>;

const concertSelect = {
  id: true,
  slug: true,
  title: true,
  artist: true,
  description: true,
  imageUrl: true,
  category: true,
  status: true,
} as const;

const slugTaken = (err: unknown) =>
  (err as { code?: string }).code === "P2002"
    ? new AppError("CONFLICT", "Another concert already uses that address.", {
        fieldErrors: { slug: ["Another concert already uses that address."] },
      })
    : err;

export async function createConcert(input: TConcertInput, actorId: string, { db = prisma() }: { db?: Db } = {}) {
  const data = ZConcertInput.parse(input);
  try {
    return await db.$transaction(async (tx) => {
      const concert = await tx.concert.create({ data: { ...data, status: "DRAFT" }, select: concertSelect });
      await recordAudit(tx, { actorId, action: "concert.create", entityType: "Concert", entityId: concert.id, after: concert });
      return concert;
    });
  } catch (err) {
    throw slugTaken(err);
  }
}

export async function updateConcert(
  concertId: string,
  input: Partial<TConcertInput>,
  actorId: string,
  { db = prisma() }: { db?: Db } = {},
) {
  const data = ZConcertInput.partial().parse(input);
  try {
    return await db.$transaction(async (tx) => {
      const before = await tx.concert.findUnique({ where: { id: concertId }, select: concertSelect });
      if (!before) throw new AppError("NOT_FOUND", "We couldn't find that concert.");
      const after = await tx.concert.update({ where: { id: concertId }, data, select: concertSelect });
      await recordAudit(tx, { actorId, action: "concert.update", entityType: "Concert", entityId: concertId, before, after });
      return after;
    });
  } catch (err) {
    throw slugTaken(err);
  }
}

/** Publish (fans see it), or cancel (its showtimes stop selling). A cancelled concert stays cancelled. */
export async function setConcertStatus(
  concertId: string,
  status: "PUBLISHED" | "CANCELLED",
  actorId: string,
  { db = prisma() }: { db?: Db } = {},
) {
  const changed = await db.$transaction(async (tx) => {
    const before = await tx.concert.findUnique({ where: { id: concertId }, select: concertSelect });
    if (!before) throw new AppError("NOT_FOUND", "We couldn't find that concert.");
    if (before.status === "CANCELLED") throw new AppError("CONFLICT", "This concert was cancelled; it cannot change state again.");
    const after = await tx.concert.update({ where: { id: concertId }, data: { status }, select: concertSelect });
    await recordAudit(tx, {
      actorId,
      action: status === "PUBLISHED" ? "concert.publish" : "concert.cancel",
      entityType: "Concert",
      entityId: concertId,
      before,
      after,
    });
    return after;
  });
  // Its showtimes' seat maps are served only while the concert is published.
  const showtimes = await db.showtime.findMany({ where: { concertId }, select: { id: true } });
  await Promise.all(showtimes.map((s) => touchSeatLayout(s.id)));
  return changed;
}

// Showtimes ------------------------------------------------------------------------------------
// Bounded well inside PostgreSQL's timestamp range (and any sane show): a year like -271821 would not be stored.
const ZDate = z.coerce
  .date({ error: "Enter a date and time." })
  .min(new Date("2000-01-01T00:00:00Z"), "Enter a date from the year 2000 on.")
  .max(new Date("2200-01-01T00:00:00Z"), "Enter a date before the year 2200.");

export const ZTierInput = z.strictObject({
  name: z.string().trim().min(1, "Name the price tier.").max(40),
  priceMinor: z.number().int("Prices are whole minor units.").min(0, "A price cannot be negative.").max(100_000_000),
  feeMinor: z.number().int("Fees are whole minor units.").min(0, "A fee cannot be negative.").max(10_000_000),
  currency: z.enum(["KRW", "USD"]),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, "Pick a colour like #f5a623."),
});

/** Sale windows and limits, checked together: the rules span fields. */
export const ZShowtimeTimes = z.strictObject({
  startsAt: ZDate,
  doorsAt: ZDate,
  presaleStartsAt: ZDate.nullable().default(null),
  presaleEndsAt: ZDate.nullable().default(null),
  generalSaleStartsAt: ZDate,
  saleEndsAt: ZDate,
  holdSeconds: z.number().int().min(60, "Give fans at least a minute to pay.").max(3600, "Holds can last at most an hour."),
  holdExtendSeconds: z.number().int().min(0).max(1800, "An extension can add at most 30 minutes."),
  perUserLimit: z.number().int().min(1, "Allow at least 1 ticket per fan.").max(50),
  refundCutoffHours: z
    .number()
    .int()
    .min(0)
    .max(24 * 60),
});

type Times = z.infer<typeof ZShowtimeTimes>;

function assertTimes(t: Times) {
  const problems = timeProblems(t);
  if (Object.keys(problems).length > 0) {
    throw new AppError("VALIDATION_FAILED", Object.values(problems)[0]!, {
      fieldErrors: Object.fromEntries(Object.entries(problems).map(([k, v]) => [k, [v]])),
    });
  }
}

export const ZCreateShowtimeInput = ZShowtimeTimes.extend({
  concertId: ZId,
  venueId: ZId,
  tiers: z
    .array(ZTierInput)
    .min(1, "Add at least one price tier.")
    .max(12)
    .refine((tiers) => new Set(tiers.map((t) => t.name.toLowerCase())).size === tiers.length, "Each price tier needs its own name.")
    .refine((tiers) => new Set(tiers.map((t) => t.currency)).size === 1, "All price tiers of a showtime use one currency."),
  /** Section name → tier name: every section of the venue gets one. */
  tierBySection: z.record(z.string(), z.string()),
  // A pause and its message belong to a running sale (the live view), not to a new showtime.
  waitingRoom: ZWaitingRoomSettingsInput.omit({ pauseNote: true }).default({}),
  publish: z.boolean().default(false),
});
export type TCreateShowtimeInput = z.input<typeof ZCreateShowtimeInput>;

/** Creates the showtime, its tiers and one seat per layout seat, in one transaction. */
export async function createShowtime(input: TCreateShowtimeInput, actorId: string, { db = prisma() }: { db?: Db } = {}) {
  const spec = ZCreateShowtimeInput.parse(input);
  assertTimes(spec);
  return db.$transaction(
    async (tx) => {
      const venue = await tx.venue.findUnique({ where: { id: spec.venueId }, select: { sections: { select: { name: true } } } });
      if (!venue) throw new AppError("NOT_FOUND", "We couldn't find that venue.", { fieldErrors: { venueId: ["Pick a venue."] } });
      const concert = await tx.concert.findUnique({ where: { id: spec.concertId }, select: { status: true } });
      if (!concert) throw new AppError("NOT_FOUND", "We couldn't find that concert.");
      if (concert.status === "CANCELLED") throw new AppError("CONFLICT", "This concert was cancelled; it cannot get new showtimes.");
      const tierNames = new Set(spec.tiers.map((t) => t.name));
      const unpriced = venue.sections.map((s) => s.name).filter((name) => !tierNames.has(spec.tierBySection[name] ?? ""));
      if (unpriced.length > 0) {
        throw new AppError("VALIDATION_FAILED", `Give every section a price tier (missing: ${unpriced.join(", ")}).`, {
          fieldErrors: { tierBySection: [`Missing: ${unpriced.join(", ")}`] },
          sections: unpriced,
        });
      }
      // A name the venue does not have is a mistake (or a probe), not something to ignore quietly.
      const known = new Set(venue.sections.map((s) => s.name));
      const unknown = Object.keys(spec.tierBySection).filter((name) => !known.has(name));
      if (unknown.length > 0) {
        throw new AppError(
          "VALIDATION_FAILED",
          `This venue has no section named ${unknown.map((n) => `“${n.slice(0, 40)}”`).join(", ")}.`,
          {
            fieldErrors: { tierBySection: [`Unknown sections: ${unknown.map((n) => n.slice(0, 40)).join(", ")}`] },
          },
        );
      }
      const wr = spec.waitingRoom;
      const showtime = await tx.showtime.create({
        data: {
          concertId: spec.concertId,
          venueId: spec.venueId,
          status: spec.publish ? "PUBLISHED" : "DRAFT",
          startsAt: spec.startsAt,
          doorsAt: spec.doorsAt,
          presaleStartsAt: spec.presaleStartsAt,
          presaleEndsAt: spec.presaleEndsAt,
          generalSaleStartsAt: spec.generalSaleStartsAt,
          saleEndsAt: spec.saleEndsAt,
          holdSeconds: spec.holdSeconds,
          holdExtendSeconds: spec.holdExtendSeconds,
          perUserLimit: spec.perUserLimit,
          refundCutoffHours: spec.refundCutoffHours,
          wrEnabled: wr.enabled,
          wrPaused: wr.paused,
          wrBatchSize: wr.batchSize,
          wrIntervalMs: wr.intervalMs,
          wrMaxActive: wr.maxActive,
          wrAccessSeconds: wr.accessSeconds,
          wrMaxQueue: wr.maxQueue,
          wrStockFactor: wr.stockFactor,
          wrPrequeueMinutes: wr.prequeueMinutes,
          wrIdleSeconds: wr.idleSeconds,
          priceTiers: { create: spec.tiers.map((t, sortOrder) => ({ ...t, sortOrder })) },
        },
        select: { id: true, priceTiers: { select: { id: true, name: true } } },
      });
      const tierIdByName = new Map(showtime.priceTiers.map((t) => [t.name, t.id]));
      const tierBySection = Object.fromEntries(venue.sections.map((s) => [s.name, tierIdByName.get(spec.tierBySection[s.name]!)!]));
      const seatCount = await createShowtimeInventory(showtime.id, tierBySection, { db: tx });
      await recordAudit(tx, {
        actorId,
        action: "showtime.create",
        entityType: "Showtime",
        entityId: showtime.id,
        after: { ...spec, seatCount },
      });
      return { id: showtime.id, seatCount };
    },
    { timeout: 60_000 },
  );
}

export const ZUpdateShowtimeInput = ZShowtimeTimes.partial().extend({
  /** Tier id → new price/fee/name/colour; prices cannot change once any seat of the tier is sold or held. */
  tiers: z
    .array(ZTierInput.omit({ currency: true }).partial().extend({ id: ZId }))
    .max(12)
    .optional(),
});

const showtimeSelect = {
  id: true,
  ...SALE_WINDOW_SELECT,
  doorsAt: true,
  holdSeconds: true,
  holdExtendSeconds: true,
  perUserLimit: true,
  refundCutoffHours: true,
  priceTiers: PRICE_TIERS_SELECT,
} as const;

export async function updateShowtime(
  showtimeId: string,
  input: z.input<typeof ZUpdateShowtimeInput>,
  actorId: string,
  { db = prisma(), protections }: { db?: Db; protections?: SeatLockProtections } = {},
) {
  refuseInProduction("updateShowtime", protections);
  const patch = ZUpdateShowtimeInput.parse(input);
  const after = await db.$transaction(async (tx) => {
    const before = await tx.showtime.findUnique({ where: { id: showtimeId }, select: showtimeSelect });
    if (!before) throw new AppError("NOT_FOUND", "We couldn't find that showtime.");
    const { tiers, ...times } = patch;
    assertTimes({ ...before, ...times });
    const repriced = (tiers ?? []).flatMap((tier) => {
      const current = before.priceTiers.find((t) => t.id === tier.id);
      if (!current) throw new AppError("NOT_FOUND", "That price tier is not this showtime's.");
      const changed =
        (tier.priceMinor !== undefined && tier.priceMinor !== current.priceMinor) ||
        (tier.feeMinor !== undefined && tier.feeMinor !== current.feeMinor);
      return changed ? [current] : [];
    });
    if (repriced.length > 0) {
      // Every repriced tier's seats in one statement, so they are locked in one id order.
      const seats = await lockSeats(tx, Prisma.sql`"priceTierId" = ANY(${repriced.map((t) => t.id)}::text[])`, protections);
      for (const tier of repriced) {
        const taken = seats.filter((seat) => seat.priceTierId === tier.id && seat.status !== "AVAILABLE").length;
        if (taken > 0) {
          throw new AppError("CONFLICT", `"${tier.name}" has ${taken} seats sold or on hold; its price can no longer change.`, {
            tierId: tier.id,
            taken,
          });
        }
      }
    }
    for (const { id, ...fields } of tiers ?? []) await tx.priceTier.update({ where: { id }, data: fields });
    await tx.showtime.update({ where: { id: showtimeId }, data: times });
    const after = await tx.showtime.findUniqueOrThrow({ where: { id: showtimeId }, select: showtimeSelect });
    await recordAudit(tx, { actorId, action: "showtime.update", entityType: "Showtime", entityId: showtimeId, before, after });
    return after;
  });
  if (patch.tiers?.length) await touchSeatLayout(showtimeId); // tier names, prices and colours are in the layout
  // The waiting room's copy of the sale windows (when it opens, whether a presale restricts it) follows at once.
  if (Object.keys(patch).some((k) => k !== "tiers")) await syncSettings(redis(), showtimeId, db);
  return after;
}

/** Publish a draft, or cancel (sales stop; paid orders stay for refunds to handle). */
export async function setShowtimeStatus(
  showtimeId: string,
  status: "PUBLISHED" | "CANCELLED",
  actorId: string,
  { db = prisma() }: { db?: Db } = {},
) {
  const changed = await db.$transaction(async (tx) => {
    const before = await tx.showtime.findUnique({ where: { id: showtimeId }, select: { id: true, status: true } });
    if (!before) throw new AppError("NOT_FOUND", "We couldn't find that showtime.");
    if (before.status === "CANCELLED") throw new AppError("CONFLICT", "This showtime was cancelled; it cannot change state again.");
    const after = await tx.showtime.update({ where: { id: showtimeId }, data: { status }, select: { id: true, status: true } });
    await recordAudit(tx, {
      actorId,
      action: status === "PUBLISHED" ? "showtime.publish" : "showtime.cancel",
      entityType: "Showtime",
      entityId: showtimeId,
      before,
      after,
    });
    return after;
  });
  await touchSeatLayout(showtimeId);
  return changed;
}

/**
 * Test-only switches (../protections.ts). `seatLock` off: a price or tier change counts the taken seats
 * without locking them, runs `pause`, then changes them (the race the lock prevents: a fan holds a seat
 * in between and is charged a price that changed under the hold).
 */
export type SeatLockProtections = { seatLock: boolean; pause?: Pause };

/**
 * Locks the seats `where` picks until the transaction ends, in id order as a fan's claim locks seats,
 * and returns them: a price or tier change refused when any is sold or held cannot then have a fan
 * hold one between that check and the change (and pay a price they were not shown).
 */
async function lockSeats(tx: DbTx, where: Prisma.Sql, protections: SeatLockProtections | undefined) {
  const locked = protections?.seatLock !== false;
  const seats = await tx.$queryRaw<{ id: number; status: string; priceTierId: string }[]>`
    SELECT id, status::text, "priceTierId" FROM "Seat" WHERE ${where} ORDER BY id ${locked ? Prisma.sql`FOR UPDATE` : Prisma.empty}`;
  if (!locked) await protections?.pause?.();
  return seats;
}

/** Moves a section's unsold seats to another tier of the showtime; refused if any of them is sold or held. */
export async function setSectionTier(
  input: { showtimeId: string; sectionId: string; priceTierId: string },
  actorId: string,
  { db = prisma(), protections }: { db?: Db; protections?: SeatLockProtections } = {},
) {
  refuseInProduction("setSectionTier", protections);
  const { showtimeId, sectionId, priceTierId } = z.strictObject({ showtimeId: ZId, sectionId: ZId, priceTierId: ZId }).parse(input);
  const moved = await db.$transaction(async (tx) => {
    const tier = await tx.priceTier.findFirst({ where: { id: priceTierId, showtimeId }, select: { id: true, name: true } });
    if (!tier) throw new AppError("NOT_FOUND", "That price tier is not this showtime's.");
    const seats = await lockSeats(
      tx,
      Prisma.sql`"showtimeId" = ${showtimeId} AND "venueSeatId" IN (
        SELECT vs.id FROM "VenueSeat" vs JOIN "SeatRow" r ON r.id = vs."rowId" WHERE r."sectionId" = ${sectionId})`,
      protections,
    );
    if (seats.length === 0) throw new AppError("NOT_FOUND", "That section has no seats in this showtime.");
    const taken = seats.filter((seat) => seat.status !== "AVAILABLE").length;
    if (taken > 0)
      throw new AppError("CONFLICT", `${taken} seats of this section are sold or on hold; its tier can no longer change.`, { taken });
    await tx.$executeRaw`UPDATE "Seat" SET "priceTierId" = ${priceTierId}, "updatedAt" = now() WHERE id = ANY(${seats.map((seat) => seat.id)}::int[])`;
    await recordAudit(tx, {
      actorId,
      action: "showtime.setSectionTier",
      entityType: "Showtime",
      entityId: showtimeId,
      after: { sectionId, priceTierId, seats: seats.length },
    });
    return { seats: seats.length };
  });
  await touchSeatLayout(showtimeId);
  return moved;
}

/** Everything the dashboard lists: concerts with their showtimes, newest first. */
export async function listAdminConcerts({ db = prisma() }: { db?: DbTx } = {}) {
  return db.concert.findMany({
    orderBy: { createdAt: "desc" },
    select: {
      ...concertSelect,
      createdAt: true,
      showtimes: {
        orderBy: { startsAt: "asc" },
        select: { id: true, status: true, startsAt: true, venue: { select: { id: true, name: true, city: true, timezone: true } } },
      },
    },
  });
}

/** One showtime as the edit form needs it: every setting, its tiers with what is taken, and section tiers. */
export async function getAdminShowtime(showtimeId: string, { db = prisma() }: { db?: DbTx } = {}) {
  const id = ZId.parse(showtimeId);
  const st = await db.showtime.findUnique({
    where: { id },
    select: {
      ...showtimeSelect,
      concertId: true,
      concert: { select: { id: true, slug: true, title: true, status: true } },
      venue: { select: { id: true, name: true, city: true, timezone: true } },
      wrEnabled: true,
      wrPaused: true,
      wrBatchSize: true,
      wrIntervalMs: true,
      wrMaxActive: true,
      wrAccessSeconds: true,
      wrIdleSeconds: true,
    },
  });
  if (!st) throw new AppError("NOT_FOUND", "We couldn't find that showtime.");
  const [taken, sections] = await Promise.all([
    db.seat.groupBy({ by: ["priceTierId", "status"], where: { showtimeId: id }, _count: true }),
    db.$queryRaw<{ sectionId: string; name: string; priceTierId: string; seats: bigint }[]>`
      SELECT sec.id AS "sectionId", sec.name, s."priceTierId", count(*) AS seats
      FROM "Seat" s JOIN "VenueSeat" vs ON vs.id = s."venueSeatId" JOIN "SeatRow" r ON r.id = vs."rowId" JOIN "Section" sec ON sec.id = r."sectionId"
      WHERE s."showtimeId" = ${id}
      GROUP BY sec.id, sec.name, sec."sortOrder", s."priceTierId" ORDER BY sec."sortOrder"`,
  ]);
  const count = (tierId: string, status: string) => taken.find((t) => t.priceTierId === tierId && t.status === status)?._count ?? 0;
  const { wrEnabled, wrPaused, wrBatchSize, wrIntervalMs, wrMaxActive, wrAccessSeconds, wrIdleSeconds, ...rest } = st;
  return {
    ...rest,
    priceTiers: st.priceTiers.map((t) => ({
      ...t,
      sold: count(t.id, "SOLD"),
      held: count(t.id, "HELD"),
      available: count(t.id, "AVAILABLE"),
    })),
    /** Each section's tier (a section whose seats span tiers lists each). */
    sections: sections.map((r) => ({ sectionId: r.sectionId, name: r.name, priceTierId: r.priceTierId, seats: Number(r.seats) })),
    waitingRoom: {
      enabled: wrEnabled,
      paused: wrPaused,
      batchSize: wrBatchSize,
      intervalMs: wrIntervalMs,
      maxActive: wrMaxActive,
      accessSeconds: wrAccessSeconds,
      idleSeconds: wrIdleSeconds,
    },
  };
}
