// Putting a hold's seats back on sale, shared by expiry and release.
import { Prisma } from "../../generated/prisma/client.ts";

/**
 * Two CTEs for a statement that has already ended some holds in a CTE named `ended` (with an `id`
 * column): `seats` locks the seats those holds still hold, in seat id order, and `freed` (id,
 * showtimeId) puts them back on sale. `until`, when given, leaves alone seats held past it.
 * `inIdOrder: false` is a negative control's switch (expiry.ts, holds.ts), never set in production.
 *
 * The order matters: a fan's claim (onsale_claim_hold) locks the expired seats it takes in id order, and
 * an UPDATE alone would lock them in whatever order it finds them, so a claim and a tidier (or a
 * release) after the same seats could each hold one the other waits for (a deadlock, seen as a failed
 * hold). Locked in the same order, one waits for the other; the claim then finds the seats free, or
 * the tidier finds them taken by the new hold and leaves them.
 *
 * The seats are found by an array of hold ids, so through their holdId index whatever the planner's
 * statistics say about a showtime whose seats were all taken a minute ago.
 */
export function freeHeldSeats({ until, inIdOrder = true }: { until?: Date; inIdOrder?: boolean } = {}): Prisma.Sql {
  const stillHeld = Prisma.sql`"holdId" = ANY(ARRAY(SELECT id FROM ended)) AND status = 'HELD'
    ${until ? Prisma.sql`AND "heldUntil" <= ${until}` : Prisma.empty}`;
  // Test-only (a negative control's switch): the seats locked as the UPDATE finds them.
  if (!inIdOrder) {
    return Prisma.sql`
      freed AS (
        UPDATE "Seat" SET status = 'AVAILABLE', "holdId" = NULL, "heldUntil" = NULL, "updatedAt" = now()
        WHERE ${stillHeld}
        RETURNING id, "showtimeId"
      )`;
  }
  return Prisma.sql`
    seats AS (SELECT id FROM "Seat" WHERE ${stillHeld} ORDER BY id FOR UPDATE),
    freed AS (
      UPDATE "Seat" SET status = 'AVAILABLE', "holdId" = NULL, "heldUntil" = NULL, "updatedAt" = now()
      WHERE id = ANY(ARRAY(SELECT id FROM seats))
      RETURNING id, "showtimeId"
    )`;
}
