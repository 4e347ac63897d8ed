// The race the one-statement claim (holds.ts, `onsale_claim_hold`) prevents, for negative controls: read
// which seats are free, then write them, so racers lined up between the two all get the same seats. No
// sale checks and no per-user limit; the advisory lock is taken unless `userLock` is false.
import { randomUUID } from "node:crypto";
import { prisma, type Db } from "../../server/db.ts";
import { AppError } from "../../server/domain/errors.ts";
import type { HoldContext, HoldResult, SeatChooser } from "../../server/domain/holds/holds.ts";
import type { Pause } from "../../server/domain/protections.ts";

export async function readThenWriteHold(
  showtimeId: string,
  chooser: SeatChooser,
  who: HoldContext,
  { db = prisma(), pause, userLock = true }: { db?: Db; pause?: Pause; userLock?: boolean } = {},
): Promise<HoldResult> {
  const [showtime] = await db.$queryRaw<{ holdSeconds: number; stageX: number; stageY: number }[]>`
    SELECT st."holdSeconds", v."stageX" + v."stageW" / 2 AS "stageX", v."stageY" + v."stageH" / 2 AS "stageY"
    FROM "Showtime" st JOIN "Venue" v ON v.id = st."venueId" WHERE st.id = ${showtimeId}`;
  if (!showtime) throw new AppError("NOT_FOUND", "We couldn't find that showtime.");
  const holdId = randomUUID();
  const heldUntil = new Date(Date.now() + showtime.holdSeconds * 1000);
  return db.$transaction(async (tx) => {
    if (userLock) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`hold:${who.userId}:${showtimeId}`}, 0))`;
    const seatIds = await chooser.choose(tx, showtime);
    await tx.hold.create({
      data: { id: holdId, showtimeId, userId: who.userId, heldUntil, seatCount: seatIds.length, seatIds, client: who.client, ip: who.ip },
    });
    const free = await tx.$queryRaw<{ id: number }[]>`
      SELECT id FROM "Seat" WHERE "showtimeId" = ${showtimeId} AND id = ANY(${seatIds}::int[])
        AND (status = 'AVAILABLE' OR (status = 'HELD' AND "heldUntil" <= now()))`;
    const claimed = free.map((r) => r.id);
    await pause?.();
    await tx.$executeRaw`
      UPDATE "Seat" SET status = 'HELD', "holdId" = ${holdId}, "heldUntil" = ${heldUntil}, "updatedAt" = now()
      WHERE id = ANY(${claimed}::int[])`;
    if (claimed.length < seatIds.length) {
      const got = new Set(claimed);
      throw new AppError("SEATS_UNAVAILABLE", "Some of those seats were just taken.", { seatIds: seatIds.filter((id) => !got.has(id)) });
    }
    return { holdId, showtimeId, seatIds: [...seatIds].sort((a, b) => a - b), heldUntil };
  });
}

/** The fan's own seats as a chooser, for `readThenWriteHold`. */
export function theseSeats(seatIds: number[]): SeatChooser {
  return { quantity: seatIds.length, inTransaction: false, choose: async () => seatIds };
}
