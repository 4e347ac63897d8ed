// Tidying up after holds run out. Expiry itself is already enforced by the claim's predicate; these only
// mark the hold EXPIRED and put its seats back to AVAILABLE. Both are idempotent and safe to race.
import { prisma, type Db } from "../../db.ts";

/** Expires one hold if it is ACTIVE and past its time; returns the seats that came back. */
export async function expireHold(holdId: string, { db = prisma, now = new Date() }: { db?: Db; now?: Date } = {}) {
  return db.$transaction(async (tx) => {
    // The conditional update decides which of two racing tidiers does the work; the other sees no row.
    const [ended] = await tx.$queryRaw<{ showtimeId: string }[]>`
      UPDATE "Hold" SET status = 'EXPIRED', "updatedAt" = now()
      WHERE id = ${holdId} AND status = 'ACTIVE' AND "heldUntil" <= ${now} RETURNING "showtimeId"`;
    if (!ended) return { expired: false, freed: 0, showtimeId: null as string | null, seatIds: [] as number[] };
    const freed = await tx.$queryRaw<{ id: number }[]>`
      UPDATE "Seat" SET status = 'AVAILABLE', "holdId" = NULL, "heldUntil" = NULL, "updatedAt" = now()
      WHERE "holdId" = ${holdId} AND status = 'HELD' AND "heldUntil" <= ${now} RETURNING id`;
    return { expired: true, freed: freed.length, showtimeId: ended.showtimeId as string | null, seatIds: freed.map((r) => r.id) };
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
  /** Freed seats per showtime, for the caller to announce. */
  const freedByShowtime = new Map<string, number[]>();
  for (const { id } of due) {
    const r = await expireHold(id, { db, now });
    if (!r.expired || !r.showtimeId) continue;
    expired += 1;
    freed += r.freed;
    freedByShowtime.set(r.showtimeId, [...(freedByShowtime.get(r.showtimeId) ?? []), ...r.seatIds]);
  }
  return { expired, freed, freedByShowtime };
}
