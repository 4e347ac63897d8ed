// Tidying up after holds run out. Expiry itself is already enforced by the claim's predicate; these only
// mark the hold EXPIRED and put its seats back to AVAILABLE. Both are idempotent and safe to race.
import { prisma, type Db } from "../../db.ts";

/** Expires one hold if it is ACTIVE and past its time; returns how many seats came back. */
export async function expireHold(holdId: string, { db = prisma, now = new Date() }: { db?: Db; now?: Date } = {}) {
  return db.$transaction(async (tx) => {
    // The conditional update decides which of two racing tidiers does the work; the other sees 0 rows.
    const ended = await tx.hold.updateMany({
      where: { id: holdId, status: "ACTIVE", heldUntil: { lte: now } },
      data: { status: "EXPIRED" },
    });
    if (ended.count === 0) return { expired: false, freed: 0, showtimeId: null as string | null };
    const freed = await tx.seat.updateMany({
      where: { holdId, status: "HELD", heldUntil: { lte: now } },
      data: { status: "AVAILABLE", holdId: null, heldUntil: null },
    });
    const hold = await tx.hold.findUniqueOrThrow({ where: { id: holdId }, select: { showtimeId: true } });
    return { expired: true, freed: freed.count, showtimeId: hold.showtimeId as string | null };
  });
}

/** The periodic sweep: every ACTIVE hold past its time, oldest first, in bounded batches. */
export async function sweepExpiredHolds({ db = prisma, now = new Date(), limit = 500 }: { db?: Db; now?: Date; limit?: number } = {}) {
  const due = await db.hold.findMany({
    where: { status: "ACTIVE", heldUntil: { lte: now } },
    orderBy: { heldUntil: "asc" },
    take: limit,
    select: { id: true },
  });
  let expired = 0;
  let freed = 0;
  for (const { id } of due) {
    const r = await expireHold(id, { db, now });
    if (r.expired) expired += 1;
    freed += r.freed;
  }
  return { expired, freed };
}
