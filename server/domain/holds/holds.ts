// Seat holds (DESIGN.md, Inventory): all or nothing in one statement, expiry enforced by the predicate,
// the per-user limit checked under a per-user-per-showtime advisory lock in the same transaction.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { prisma, type Db } from "../../db.ts";
import { AppError } from "../errors.ts";
import { saleStatus } from "../catalog/sale-status.ts";

export const MAX_SEATS_PER_HOLD = 20;

export const ZHoldSeatsInput = z.object({
  showtimeId: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/),
  seatIds: z
    .array(z.number().int().positive())
    .min(1, "Choose at least one seat.")
    .max(MAX_SEATS_PER_HOLD, `Hold at most ${MAX_SEATS_PER_HOLD} seats at once.`)
    .refine((ids) => new Set(ids).size === ids.length, { message: "A seat appears twice." }),
});
export type THoldSeatsInput = z.infer<typeof ZHoldSeatsInput>;

export type HoldContext = { userId: string; client: string; ip: string };

export type HoldResult = { holdId: string; showtimeId: string; seatIds: number[]; heldUntil: Date };

/**
 * Protections a concurrency test switches off to show the race it prevents. Never set in product code.
 * `userLock`: the advisory lock around the per-user limit; `atomicClaim`: claiming seats in one
 * conditional UPDATE (off: read which seats are free, then write them). `pause` runs after every check
 * and before the seats are written, so a test can line racers up deterministically.
 */
export type Protections = { userLock: boolean; atomicClaim: boolean; pause?: () => Promise<void> };
const PROTECTED: Protections = { userLock: true, atomicClaim: true };

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
  stageX: number;
  stageY: number;
  /** Seats the user holds (live holds) plus valid tickets they own for the showtime (bought or given). */
  already: bigint;
};

/**
 * Everything a hold decides on, in one round trip: the showtime's sale facts and how many seats the user
 * already has there (held and not run out, or bought). Runs after the user's lock, so it sees their last
 * committed hold.
 */
async function loadForHold(tx: Tx, showtimeId: string, userId: string): Promise<ShowtimeForHold | undefined> {
  const [row] = await tx.$queryRaw<ShowtimeForHold[]>`
    SELECT st.status::text, c.status::text AS "concertStatus", st."startsAt", st."presaleStartsAt", st."presaleEndsAt",
           st."generalSaleStartsAt", st."saleEndsAt", st."holdSeconds", st."perUserLimit",
           v."stageX" + v."stageW" / 2 AS "stageX", v."stageY" + v."stageH" / 2 AS "stageY",
           (SELECT count(*) FROM "Seat" s JOIN "Hold" h ON h.id = s."holdId"
             WHERE s."showtimeId" = st.id AND h."userId" = ${userId}
               AND s.status = 'HELD' AND h.status = 'ACTIVE' AND s."heldUntil" > now())
           + (SELECT count(*) FROM "Ticket" t JOIN "Seat" s ON s.id = t."seatId"
             WHERE s."showtimeId" = st.id AND t."ownerId" = ${userId} AND t.status = 'VALID') AS already
    FROM "Showtime" st JOIN "Concert" c ON c.id = st."concertId" JOIN "Venue" v ON v.id = st."venueId"
    WHERE st.id = ${showtimeId}`;
  return row;
}

/** How the seats are chosen: the fan's own list, or the best free block of a size (best-available.ts). */
export type SeatChooser = {
  quantity: number;
  choose: (tx: Tx, showtime: { stageX: number; stageY: number }) => Promise<number[]>;
};

/**
 * The one hold path (DESIGN.md: one code path decides availability): lock, sale and limit checks, then
 * the claim. Seats taken meanwhile answer SEATS_UNAVAILABLE naming them, and the whole hold rolls back.
 */
export async function holdChosenSeats(
  showtimeId: string,
  chooser: SeatChooser,
  who: HoldContext,
  { db = prisma, now = new Date(), protections = PROTECTED }: { db?: Db; now?: Date; protections?: Protections } = {},
): Promise<HoldResult> {
  if (protections !== PROTECTED && process.env.NODE_ENV === "production") {
    throw new Error("Hold protections can only be switched off in tests.");
  }
  return db.$transaction(async (tx) => {
    if (protections.userLock) {
      // Two requests of one fan for one showtime queue here, so both cannot pass the limit check.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`hold:${who.userId}:${showtimeId}`}, 0))`;
    }
    const showtime = await loadForHold(tx, showtimeId, who.userId);
    if (!showtime || showtime.status === "DRAFT" || showtime.concertStatus !== "PUBLISHED") {
      throw new AppError("NOT_FOUND", "We couldn't find that showtime.");
    }
    const sale = saleStatus(showtime, { available: 1, held: 0, sold: 0, total: 1 }, now);
    if (sale !== "ON_SALE" && sale !== "PRESALE") {
      throw new AppError("NOT_ON_SALE", "Seats for this showtime are not on sale right now.", { saleStatus: sale });
    }
    const already = Number(showtime.already);
    if (already + chooser.quantity > showtime.perUserLimit) {
      throw new AppError(
        "LIMIT_EXCEEDED",
        `You can have at most ${showtime.perUserLimit} tickets for this showtime; you already have ${already}.`,
        { limit: showtime.perUserLimit, held: already, requested: chooser.quantity },
      );
    }

    const seatIds = await chooser.choose(tx, showtime);
    const heldUntil = new Date(now.getTime() + showtime.holdSeconds * 1000);
    const holdId = randomUUID();
    let claimed: number[];
    if (protections.atomicClaim) {
      await protections.pause?.();
      // The one statement that decides: free seats, or seats whose hold has run out, become this new hold's.
      const rows = await tx.$queryRaw<{ id: number }[]>`
        WITH hold AS (
          INSERT INTO "Hold" (id, "showtimeId", "userId", "heldUntil", "seatCount", "seatIds", client, ip, "updatedAt")
          VALUES (${holdId}, ${showtimeId}, ${who.userId}, ${heldUntil}, ${seatIds.length}, ${seatIds}::int[], ${who.client}, ${who.ip}, now())
          RETURNING id
        )
        UPDATE "Seat" SET status = 'HELD', "holdId" = (SELECT id FROM hold), "heldUntil" = ${heldUntil}, "updatedAt" = now()
        WHERE "showtimeId" = ${showtimeId} AND id = ANY(${seatIds}::int[])
          AND (status = 'AVAILABLE' OR (status = 'HELD' AND "heldUntil" <= now()))
        RETURNING id`;
      claimed = rows.map((r) => r.id);
    } else {
      await tx.hold.create({
        data: { id: holdId, showtimeId, userId: who.userId, heldUntil, seatCount: seatIds.length, seatIds, client: who.client, ip: who.ip },
      });
      const free = await tx.$queryRaw<{ id: number }[]>`
        SELECT id FROM "Seat" WHERE "showtimeId" = ${showtimeId} AND id = ANY(${seatIds}::int[])
          AND (status = 'AVAILABLE' OR (status = 'HELD' AND "heldUntil" <= now()))`;
      claimed = free.map((r) => r.id);
      await protections.pause?.();
      await tx.$executeRaw`
        UPDATE "Seat" SET status = 'HELD', "holdId" = ${holdId}, "heldUntil" = ${heldUntil}, "updatedAt" = now()
        WHERE id = ANY(${claimed}::int[])`;
    }

    if (claimed.length < seatIds.length) {
      const got = new Set(claimed);
      throw new AppError("SEATS_UNAVAILABLE", "Some of those seats were just taken. Please choose others.", {
        seatIds: seatIds.filter((id) => !got.has(id)),
      });
    }
    return { holdId, showtimeId, seatIds: [...seatIds].sort((a, b) => a - b), heldUntil };
  });
}

/** Holds exactly the seats the fan picked, all or nothing. */
export async function holdSeats(
  input: THoldSeatsInput,
  who: HoldContext,
  opts: { db?: Db; now?: Date; protections?: Protections } = {},
): Promise<HoldResult> {
  const { showtimeId, seatIds } = ZHoldSeatsInput.parse(input);
  return holdChosenSeats(showtimeId, { quantity: seatIds.length, choose: async () => seatIds }, who, opts);
}


/** The fan lets go: the hold ends and its seats are free at once. Only the owner may release. */
export async function releaseHold(holdId: string, userId: string, { db = prisma }: { db?: Db } = {}) {
  return db.$transaction(async (tx) => {
    // Locked first, as checkout and expiry do (hold, then seats), so racing them cannot deadlock.
    const [hold] = await tx.$queryRaw<{ userId: string; status: string; showtimeId: string }[]>`
      SELECT "userId", status::text, "showtimeId" FROM "Hold" WHERE id = ${holdId} FOR UPDATE`;
    // Someone else's hold looks exactly like a missing one.
    if (!hold || hold.userId !== userId) throw new AppError("NOT_FOUND", "We couldn't find that hold.");
    if (hold.status !== "ACTIVE") throw new AppError("CONFLICT", "This hold has already ended.", { status: hold.status });
    const freed = await tx.$queryRaw<{ id: number }[]>`
      UPDATE "Seat" SET status = 'AVAILABLE', "holdId" = NULL, "heldUntil" = NULL, "updatedAt" = now()
      WHERE "holdId" = ${holdId} AND status = 'HELD' RETURNING id`;
    await tx.hold.update({ where: { id: holdId }, data: { status: "RELEASED" } });
    return { holdId, showtimeId: hold.showtimeId, released: freed.length, seatIds: freed.map((r) => r.id) };
  });
}

/**
 * The checkout's one extension: an ACTIVE hold of the caller's, not yet run out and not yet extended,
 * gets the showtime's extension time more. Hold and seats move together in one transaction.
 */
export async function extendHold(
  ref: { holdId: string; userId: string; showtimeId: string },
  { db = prisma, now = new Date() }: { db?: Db; now?: Date } = {},
) {
  const { holdId, userId } = ref;
  return db.$transaction(async (tx) => {
    const hold = await tx.hold.findUnique({
      where: { id: holdId },
      select: { userId: true, status: true, heldUntil: true, extended: true, showtimeId: true, showtime: { select: { holdExtendSeconds: true } } },
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
}
