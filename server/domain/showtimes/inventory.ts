// Per-showtime seat inventory, created from the venue layout in one statement.
import { prisma, type DbTx } from "../../db.ts";
import { AppError } from "../errors.ts";

/**
 * Creates one AVAILABLE seat per layout seat for the showtime; `tierBySection` maps every section
 * name of the venue to a price tier id of the showtime. Returns the number of seats created.
 */
export async function createShowtimeInventory(
  showtimeId: string,
  tierBySection: Record<string, string>,
  { db = prisma() }: { db?: DbTx } = {},
): Promise<number> {
  const showtime = await db.showtime.findUnique({
    where: { id: showtimeId },
    select: { venue: { select: { sections: { select: { name: true } } } }, priceTiers: { select: { id: true } } },
  });
  if (!showtime) throw new AppError("NOT_FOUND", "We couldn't find that showtime.");
  const tierIds = new Set(showtime.priceTiers.map((t) => t.id));
  const missing = showtime.venue.sections.map((s) => s.name).filter((name) => !tierIds.has(tierBySection[name] ?? ""));
  if (missing.length > 0) {
    throw new AppError("VALIDATION_FAILED", "Every section needs a price tier of this showtime.", { sections: missing });
  }
  return db.$executeRaw`
    INSERT INTO "Seat" ("showtimeId", "venueSeatId", "priceTierId", "status", "updatedAt")
    SELECT ${showtimeId}, vs.id, m.value, 'AVAILABLE', now()
    FROM "VenueSeat" vs
    JOIN "SeatRow" r ON r.id = vs."rowId"
    JOIN "Section" sec ON sec.id = r."sectionId"
    JOIN jsonb_each_text(${JSON.stringify(tierBySection)}::jsonb) m ON m.key = sec.name
    JOIN "Showtime" st ON st.id = ${showtimeId} AND st."venueId" = sec."venueId"`;
}
