// Seat holds (DESIGN.md, Inventory): all or nothing in one statement, expiry enforced by the predicate,
// the per-user limit checked under a per-user-per-showtime advisory lock in the same transaction.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { prisma, type Db } from "../../db.ts";
import { AppError } from "../errors.ts";
import { saleStatus, ticketLimitOf } from "../catalog/sale-status.ts";
import { refuseInProduction, type Pause } from "../protections.ts";
import { assertPresaleEligible } from "../presale/presale.ts";
import { publishSeatChanges } from "../seatmap/events.ts";
import { enqueueHoldExpiry } from "../../queue/queues.ts";
import { freeHeldSeats } from "./free-seats.ts";
import { ZId } from "../ids.ts";

export const MAX_SEATS_PER_HOLD = 20;

export const ZHoldSeatsInput = z.strictObject({
  showtimeId: ZId,
  seatIds: z
    // Seat ids are PostgreSQL integers: a larger number names no seat and would not even fit the column.
    .array(z.number().int().positive().max(2_147_483_647))
    .min(1, "Choose at least one seat.")
    .max(MAX_SEATS_PER_HOLD, `Hold at most ${MAX_SEATS_PER_HOLD} seats at once.`)
    .refine((ids) => new Set(ids).size === ids.length, { message: "A seat appears twice." }),
});
export type THoldSeatsInput = z.infer<typeof ZHoldSeatsInput>;

export type HoldContext = { userId: string; client: string; ip: string };

export type HoldResult = { holdId: string; showtimeId: string; seatIds: number[]; heldUntil: Date };

/**
 * A hook a concurrency test uses (../protections.ts: refused in production; product code passes none).
 * `userLock` false drops the advisory lock around the per-user limit; `pause` runs after the checks and
 * before the seats are claimed, so a test can line racers up. The race the one-statement claim prevents
 * is shown by a read-then-write stand-in in the test tree (test/stand-ins/hold.ts).
 */
export type Protections = { userLock?: boolean; pause?: Pause };

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

type ShowtimeForHold = {
  status: "DRAFT" | "PUBLISHED" | "CANCELLED";
  concertStatus: string;
  startsAt: Date;
  presaleStartsAt: Date | null;
  presaleEndsAt: Date | null;
  generalSaleStartsAt: Date;
  saleEndsAt: Date;
  holdSeconds: number;
  perUserLimit: number;
  presaleLimit: number | null;
  stageX: number;
  stageY: number;
};

/** The showtime's sale facts a hold decides on (one read, before the claim). */
async function loadForHold(db: Db | Tx, showtimeId: string): Promise<ShowtimeForHold | undefined> {
  const [row] = await db.$queryRaw<ShowtimeForHold[]>`
    SELECT st.status::text, c.status::text AS "concertStatus", st."startsAt", st."presaleStartsAt", st."presaleEndsAt",
           st."generalSaleStartsAt", st."saleEndsAt", st."holdSeconds", st."perUserLimit", st."presaleLimit",
           v."stageX" + v."stageW" / 2 AS "stageX", v."stageY" + v."stageH" / 2 AS "stageY"
    FROM "Showtime" st JOIN "Concert" c ON c.id = st."concertId" JOIN "Venue" v ON v.id = st."venueId"
    WHERE st.id = ${showtimeId}`;
  return row;
}

/**
 * How the seats are chosen: the fan's own list, or the best free block of a size (best-available.ts).
 * A chooser that reads the seats takes a lock for it, so it runs with the claim in one transaction.
 */
export type SeatChooser = {
  quantity: number;
  inTransaction: boolean;
  choose: (db: Db | Tx, showtime: { stageX: number; stageY: number }) => Promise<number[]>;
};

type ClaimRow = { outcome: "OK" | "LIMIT_EXCEEDED" | "SEATS_UNAVAILABLE"; already: number; missing: number[] | null };

/**
 * The one hold path (DESIGN.md: one code path decides availability): the sale checks, then the claim,
 * which is one call of the database function `onsale_claim_hold` (its home: claim-hold.sql):
 * under the per-user-per-showtime lock it counts what the fan already has (live holds and valid tickets),
 * locks the seats that are free (or held past their time) and, only if all are, inserts the hold and
 * claims them. A hand-picked hold is therefore two statements and no interactive transaction. Seats taken
 * meanwhile answer SEATS_UNAVAILABLE naming them, and nothing is written.
 */
export async function holdChosenSeats(
  showtimeId: string,
  chooser: SeatChooser,
  who: HoldContext,
  { db = prisma(), now = new Date(), protections }: { db?: Db; now?: Date; protections?: Protections } = {},
): Promise<HoldResult> {
  refuseInProduction("holdSeats", protections);
  const showtime = await loadForHold(db, showtimeId);
  if (!showtime || showtime.status === "DRAFT" || showtime.concertStatus !== "PUBLISHED") {
    throw new AppError("NOT_FOUND", "We couldn't find that showtime.");
  }
  const sale = saleStatus(showtime, { available: 1, held: 0, sold: 0, total: 1 }, now);
  if (sale !== "ON_SALE" && sale !== "PRESALE") {
    throw new AppError("NOT_ON_SALE", "Seats for this showtime are not on sale right now.", { saleStatus: sale });
  }
  // The presale is for eligible fans only, each within the presale's own limit when it has one.
  const presale = sale === "PRESALE";
  if (presale) await assertPresaleEligible(showtimeId, who.userId, { db });
  const limit = ticketLimitOf(sale, showtime);
  const during = limit < showtime.perUserLimit ? " in the presale" : "";
  const limitExceeded = (already: number) =>
    new AppError("LIMIT_EXCEEDED", `You can have at most ${limit} tickets for this showtime${during}; you already have ${already}.`, {
      limit,
      held: already,
      requested: chooser.quantity,
    });
  if (chooser.quantity > limit) {
    throw new AppError("LIMIT_EXCEEDED", `You can have at most ${limit} tickets for this showtime${during}.`, {
      limit,
      requested: chooser.quantity,
    });
  }

  const heldUntil = new Date(now.getTime() + showtime.holdSeconds * 1000);
  const holdId = randomUUID();
  const claim = async (q: Db | Tx) => {
    const seatIds = await chooser.choose(q, showtime);
    await protections?.pause?.();
    const [row] = await q.$queryRaw<ClaimRow[]>`
      SELECT * FROM onsale_claim_hold(${holdId}, ${showtimeId}, ${who.userId}, ${seatIds}::int[], ${heldUntil}::timestamp(3),
        ${limit}::int, ${who.client}, ${who.ip}, ${protections?.userLock !== false})`;
    return { seatIds, row: row! };
  };
  const { seatIds, row } = chooser.inTransaction ? await db.$transaction((tx) => claim(tx)) : await claim(db);
  if (row.outcome === "LIMIT_EXCEEDED") throw limitExceeded(row.already);
  if (row.outcome === "SEATS_UNAVAILABLE") {
    throw new AppError("SEATS_UNAVAILABLE", "Some of those seats were just taken. Please choose others.", { seatIds: row.missing ?? [] });
  }
  const hold = { holdId, showtimeId, seatIds: [...seatIds].sort((a, b) => a - b), heldUntil };
  // After commit: the tidy-up job (keyed by the hold, so a retry cannot add a second) and the live maps.
  // Neither can fail the hold: the claim's predicate already ends it on time, and a map that misses the
  // change reads again.
  await Promise.all([enqueueHoldExpiry(holdId, heldUntil), publishSeatChanges(showtimeId, hold.seatIds, "HELD")]);
  return hold;
}

/** Holds exactly the seats the fan picked, all or nothing. */
export async function holdSeats(
  input: THoldSeatsInput,
  who: HoldContext,
  opts: { db?: Db; now?: Date; protections?: Protections } = {},
): Promise<HoldResult> {
  const { showtimeId, seatIds } = ZHoldSeatsInput.parse(input);
  return holdChosenSeats(showtimeId, { quantity: seatIds.length, inTransaction: false, choose: async () => seatIds }, who, opts);
}

/**
 * The fan lets go: the hold ends and its seats are free at once. Only the owner may release. One
 * statement: the hold row is locked first, as checkout and expiry do, then its seats in id order, as a
 * claim does (free-seats.ts), so racing them cannot deadlock; and the hold and its seats change only if
 * it is the caller's and still ACTIVE, and the live maps hear of it after commit. `protections` is a
 * negative control's hook (expiry.int.test.ts).
 */
export async function releaseHold(
  holdId: string,
  userId: string,
  { db = prisma(), protections }: { db?: Db; protections?: { seatsInIdOrder: boolean } } = {},
) {
  refuseInProduction("releaseHold", protections);
  const [hold] = await db.$queryRaw<{ userId: string; status: string; showtimeId: string; released: boolean; seatIds: number[] | null }[]>`
    WITH h AS (SELECT id, "userId", status, "showtimeId" FROM "Hold" WHERE id = ${holdId} FOR UPDATE),
    ended AS (
      UPDATE "Hold" SET status = 'RELEASED', "updatedAt" = now()
      FROM h WHERE "Hold".id = h.id AND h."userId" = ${userId} AND h.status = 'ACTIVE'
      RETURNING "Hold".id
    ),
    ${freeHeldSeats({ inIdOrder: protections?.seatsInIdOrder })}
    SELECT h."userId", h.status::text, h."showtimeId", EXISTS (SELECT 1 FROM ended) AS released,
           (SELECT array_agg(id ORDER BY id) FROM freed) AS "seatIds"
    FROM h`;
  // Someone else's hold looks exactly like a missing one.
  if (!hold || hold.userId !== userId) throw new AppError("NOT_FOUND", "We couldn't find that hold.");
  if (!hold.released) throw new AppError("CONFLICT", "This hold has already ended.", { status: hold.status });
  const seatIds = hold.seatIds ?? [];
  await publishSeatChanges(hold.showtimeId, seatIds, "AVAILABLE");
  return { holdId, showtimeId: hold.showtimeId, released: seatIds.length };
}

/**
 * The checkout's one extension: an ACTIVE hold of the caller's, not yet run out and not yet extended,
 * gets the showtime's extension time more. Hold and seats move together in one transaction.
 */
export async function extendHold(
  ref: { holdId: string; userId: string; showtimeId: string },
  { db = prisma(), now = new Date() }: { db?: Db; now?: Date } = {},
) {
  const { holdId, userId } = ref;
  const extended = await db.$transaction(async (tx) => {
    const hold = await tx.hold.findUnique({
      where: { id: holdId },
      select: {
        userId: true,
        status: true,
        heldUntil: true,
        extended: true,
        showtimeId: true,
        showtime: { select: { holdExtendSeconds: true } },
      },
    });
    // Another fan's hold, or one of another showtime than the caller was admitted to, looks missing.
    if (!hold || hold.userId !== userId || hold.showtimeId !== ref.showtimeId) {
      throw new AppError("NOT_FOUND", "We couldn't find that hold.");
    }
    if (hold.status !== "ACTIVE" || hold.heldUntil.getTime() <= now.getTime()) {
      throw new AppError("HOLD_EXPIRED", "This hold has ended; its seats may have gone to someone else.");
    }
    if (hold.extended || hold.showtime.holdExtendSeconds === 0) {
      throw new AppError("CONFLICT", "This hold has already been extended once.");
    }
    const heldUntil = new Date(hold.heldUntil.getTime() + hold.showtime.holdExtendSeconds * 1000);
    // Conditional on the state just read, so two racing extensions cannot both apply.
    const updated = await tx.hold.updateMany({
      where: { id: holdId, status: "ACTIVE", extended: false, heldUntil: { gt: now } },
      data: { heldUntil, extended: true },
    });
    if (updated.count === 0) throw new AppError("CONFLICT", "This hold has already been extended once.");
    await tx.seat.updateMany({ where: { holdId, status: "HELD" }, data: { heldUntil } });
    return { holdId, showtimeId: hold.showtimeId, heldUntil };
  });
  // A second tidy-up job for the new end; the first then finds the hold alive and does nothing.
  await enqueueHoldExpiry(holdId, extended.heldUntil, { extended: true });
  return extended;
}
