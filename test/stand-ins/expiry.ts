// The race the tidier's one statement (expiry.ts `expireDueHolds`) prevents, for negative controls: read
// the due holds and their seats, then free those seats by id whoever holds them by then. `pause` runs
// between the read and the write. Answers the seats it freed, per showtime.
import { prisma, type Db } from "../../server/db.ts";
import type { Pause } from "../../server/domain/protections.ts";

export async function readThenFreeDueHolds({
  db = prisma(),
  now = new Date(),
  limit = 1_000,
  pause,
}: { db?: Db; now?: Date; limit?: number; pause?: Pause } = {}) {
  const due = await db.$queryRaw<{ id: string; showtimeId: string; seatIds: number[] }[]>`
    SELECT id, "showtimeId", "seatIds" FROM "Hold" WHERE status = 'ACTIVE' AND "heldUntil" <= ${now} ORDER BY "heldUntil" LIMIT ${limit}`;
  await pause?.();
  const seatIds = due.flatMap((h) => h.seatIds);
  await db.$transaction([
    db.$executeRaw`UPDATE "Hold" SET status = 'EXPIRED', "updatedAt" = now() WHERE id = ANY(${due.map((h) => h.id)}::text[])`,
    db.$executeRaw`UPDATE "Seat" SET status = 'AVAILABLE', "holdId" = NULL, "heldUntil" = NULL, "updatedAt" = now() WHERE id = ANY(${seatIds}::int[])`,
  ]);
  const freedByShowtime = new Map<string, number[]>();
  for (const h of due) freedByShowtime.set(h.showtimeId, [...(freedByShowtime.get(h.showtimeId) ?? []), ...h.seatIds]);
  return { freedByShowtime };
}
