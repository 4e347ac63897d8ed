// Tidying up after holds run out. Expiry itself is already enforced by the claim's predicate; these only
// mark holds EXPIRED and put their seats back to AVAILABLE. Each is one statement, idempotent and safe to
// race: the hold row is locked first (as checkout and release do), and a tidier skips rows another holds;
// then the seats, in id order as a fan's claim locks them (free-seats.ts).
import { prisma, type Db } from "../../db.ts";
import { publishSeatChanges } from "../seatmap/events.ts";
import { freeHeldSeats } from "./free-seats.ts";
import { refuseInProduction } from "../protections.ts";

type Expired = { showtimeId: string; holds: number; seatIds: number[] | null };

export type ExpiryResult = { expired: number; freed: number; freedByShowtime: Map<string, number[]> };

function summarize(rows: Expired[]): ExpiryResult {
  const freedByShowtime = new Map<string, number[]>();
  let expired = 0;
  let freed = 0;
  for (const row of rows) {
    expired += Number(row.holds);
    const seatIds = row.seatIds ?? [];
    freed += seatIds.length;
    if (seatIds.length) freedByShowtime.set(row.showtimeId, seatIds);
  }
  return { expired, freed, freedByShowtime };
}

/** Expires one hold if it is ACTIVE and past its time; returns the seats that came back. */
export async function expireHold(holdId: string, { db = prisma(), now = new Date() }: { db?: Db; now?: Date } = {}) {
  const rows = await db.$queryRaw<Expired[]>`
    WITH ended AS (
      UPDATE "Hold" SET status = 'EXPIRED', "updatedAt" = now()
      WHERE id = ${holdId} AND status = 'ACTIVE' AND "heldUntil" <= ${now}
      RETURNING id, "showtimeId"
    ),
    ${freeHeldSeats({ until: now })}
    SELECT "showtimeId", 1 AS holds, (SELECT array_agg(id ORDER BY id) FROM freed) AS "seatIds" FROM ended`;
  const [row] = rows;
  return { expired: !!row, freed: row?.seatIds?.length ?? 0, showtimeId: row?.showtimeId ?? null, seatIds: row?.seatIds ?? [] };
}

/**
 * Up to `limit` ACTIVE holds past their time, oldest first, expired in one statement. Holds another
 * tidier (or a checkout, or a release) has locked are skipped, so tidiers running at once split the work.
 */
export async function expireDueHolds({
  db = prisma(),
  now = new Date(),
  limit = 1_000,
  protections,
}: { db?: Db; now?: Date; limit?: number; protections?: ExpiryProtections } = {}) {
  refuseInProduction("expireDueHolds", protections);
  const rows = await db.$queryRaw<Expired[]>`
    WITH due AS (
      SELECT id FROM "Hold" WHERE status = 'ACTIVE' AND "heldUntil" <= ${now}
      ORDER BY "heldUntil" LIMIT ${limit} FOR UPDATE SKIP LOCKED
    ),
    ended AS (
      UPDATE "Hold" SET status = 'EXPIRED', "updatedAt" = now() WHERE id = ANY(ARRAY(SELECT id FROM due))
      RETURNING id, "showtimeId"
    ),
    ${freeHeldSeats({ until: now, inIdOrder: protections?.seatsInIdOrder })}
    SELECT e."showtimeId", count(*)::int AS holds,
           (SELECT array_agg(f.id ORDER BY f.id) FROM freed f WHERE f."showtimeId" = e."showtimeId") AS "seatIds"
    FROM ended e GROUP BY e."showtimeId"`;
  return summarize(rows);
}

/**
 * A hook a negative control uses (../protections.ts). `seatsInIdOrder` false: the seats are locked as the
 * statement finds them, not in id order (free-seats.ts), so a claim after the same seats can deadlock with
 * the tidier. The race the one statement's `"holdId" = ended.id AND status = 'HELD' AND "heldUntil" <= now`
 * prevents is shown by a read-then-free stand-in in the test tree (test/stand-ins/expiry.ts).
 */
export type ExpiryProtections = { seatsInIdOrder?: boolean };

/**
 * Every ACTIVE hold past its time, in batches of `limit` until none is left. The periodic sweep runs it,
 * and so does each hold's delayed job: the first job of a second in which 10,000 holds end frees them
 * all in a few statements, and the jobs after it find nothing left to do.
 */
export async function sweepExpiredHolds({ db = prisma(), now = new Date(), limit = 1_000 }: { db?: Db; now?: Date; limit?: number } = {}) {
  const total: ExpiryResult = { expired: 0, freed: 0, freedByShowtime: new Map() };
  for (;;) {
    const batch = await expireDueHolds({ db, now, limit });
    total.expired += batch.expired;
    total.freed += batch.freed;
    for (const [showtimeId, seatIds] of batch.freedByShowtime) {
      total.freedByShowtime.set(showtimeId, [...(total.freedByShowtime.get(showtimeId) ?? []), ...seatIds]);
    }
    if (batch.expired < limit) return total;
  }
}

/** The worker's tidy-up (a hold's job and the periodic sweep): sweep, then announce the freed seats on the live maps. */
export async function tidyExpiredHolds({ db = prisma() }: { db?: Db } = {}) {
  const { expired, freed, freedByShowtime } = await sweepExpiredHolds({ db });
  await Promise.all([...freedByShowtime].map(([showtimeId, seatIds]) => publishSeatChanges(showtimeId, seatIds, "AVAILABLE")));
  return { expired, freed };
}
