// Best available: the fan asks for N seats (in a price tier, or anywhere) and gets the best block of N
// adjacent free seats, held through the same path as seats picked by hand.
import { z } from "zod";
import { prisma, type Db } from "../../db.ts";
import { AppError } from "../errors.ts";
import { ZId } from "../ids.ts";
import { refuseInProduction } from "../protections.ts";
import { holdChosenSeats, MAX_SEATS_PER_HOLD, type HoldContext, type HoldResult, type Protections, type SeatChooser } from "./holds.ts";

export const ZBestAvailableInput = z.strictObject({
  showtimeId: ZId,
  quantity: z.number().int().min(1, "Ask for at least one seat.").max(MAX_SEATS_PER_HOLD, `Ask for at most ${MAX_SEATS_PER_HOLD} seats.`),
  /** Only seats of this price tier; any tier when left out. */
  priceTierId: ZId.optional(),
});
export type TBestAvailableInput = z.infer<typeof ZBestAvailableInput>;

/** A free seat, in row order (rows in order, seats by number within a row). */
export type FreeSeat = { id: number; rowId: string; number: number; x: number; y: number };

/**
 * The best block of `quantity` adjacent free seats: same row, consecutive numbers, no aisle between
 * (neighbours no further apart than 1.5 × the usual seat pitch). Best = block centre nearest the target
 * (the stage's centre); ties go to the lower seat ids. Null when no block is free.
 */
export function pickBestBlock(seats: readonly FreeSeat[], quantity: number, target: { x: number; y: number }): number[] | null {
  if (quantity < 1 || seats.length < quantity) return null;
  const gaps: number[] = [];
  for (let i = 1; i < seats.length; i++) {
    const a = seats[i - 1]!;
    const b = seats[i]!;
    if (a.rowId === b.rowId && b.number === a.number + 1) gaps.push(Math.hypot(b.x - a.x, b.y - a.y));
  }
  gaps.sort((a, b) => a - b);
  const pitch = gaps[Math.floor(gaps.length / 2)] ?? Infinity;
  const adjacent = (a: FreeSeat, b: FreeSeat) =>
    a.rowId === b.rowId && b.number === a.number + 1 && Math.hypot(b.x - a.x, b.y - a.y) <= pitch * 1.5;

  let best: { score: number; start: number } | null = null;
  let runStart = 0;
  for (let i = 0; i < seats.length; i++) {
    if (i > 0 && !adjacent(seats[i - 1]!, seats[i]!)) runStart = i;
    if (i - runStart + 1 < quantity) continue;
    // The block seats[i - quantity + 1 .. i] lies within one run.
    const start = i - quantity + 1;
    let cx = 0;
    let cy = 0;
    for (let k = start; k <= i; k++) {
      cx += seats[k]!.x;
      cy += seats[k]!.y;
    }
    const score = Math.hypot(cx / quantity - target.x, cy / quantity - target.y);
    if (!best || score < best.score - 1e-9) best = { score, start };
  }
  return best ? seats.slice(best.start, best.start + quantity).map((s) => s.id) : null;
}

/** How often a block lost to a hand-picked hold is looked for again before the fan is told. */
const ATTEMPTS = 3;

/**
 * The hold's hooks (holds.ts `Protections`: tests only) plus `takeTurns`: false, best-available requests
 * do not wait for each other's choice, so racers read the same free block.
 */
export type BestAvailableProtections = Protections & { takeTurns?: boolean };

/**
 * Chooses the best free block of `quantity` seats (in `priceTierId`, or any tier) when the claim runs,
 * inside its transaction. Best-available requests of a showtime take turns, so a surge of them spreads
 * over different blocks instead of all racing for the same one; hand-picked holds do not wait for this.
 */
export function bestAvailableChooser(
  showtimeId: string,
  quantity: number,
  priceTierId: string | undefined,
  { takeTurns = true }: { takeTurns?: boolean } = {},
): SeatChooser {
  return {
    quantity,
    inTransaction: true,
    async choose(tx, stage) {
      if (takeTurns) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`best:${showtimeId}`}, 0))`;
      const free = await tx.$queryRaw<FreeSeat[]>`
        SELECT s.id, vs."rowId", vs.number, vs.x, vs.y
        FROM "Seat" s JOIN "VenueSeat" vs ON vs.id = s."venueSeatId"
        JOIN "SeatRow" r ON r.id = vs."rowId" JOIN "Section" sec ON sec.id = r."sectionId"
        WHERE s."showtimeId" = ${showtimeId}
          AND (s.status = 'AVAILABLE' OR (s.status = 'HELD' AND s."heldUntil" <= now()))
          AND (${priceTierId ?? null}::text IS NULL OR s."priceTierId" = ${priceTierId ?? null})
        ORDER BY sec."sortOrder", r."sortOrder", vs.number`;
      const block = pickBestBlock(free, quantity, { x: stage.stageX, y: stage.stageY });
      if (!block) {
        throw new AppError(
          "SEATS_UNAVAILABLE",
          quantity === 1
            ? "No seats are free right now."
            : `No ${quantity} seats together are free right now. Try fewer seats or another price.`,
          { quantity, priceTierId: priceTierId ?? null, seatIds: [] },
        );
      }
      return block;
    },
  };
}

export async function holdBestAvailable(
  input: TBestAvailableInput,
  who: HoldContext,
  opts: { db?: Db; now?: Date; protections?: BestAvailableProtections } = {},
): Promise<HoldResult> {
  const { showtimeId, quantity, priceTierId } = ZBestAvailableInput.parse(input);
  refuseInProduction("holdBestAvailable", opts.protections);
  const db = opts.db ?? prisma();
  const { takeTurns, ...protections } = opts.protections ?? {};
  const chooser = bestAvailableChooser(showtimeId, quantity, priceTierId, { takeTurns });
  for (let attempt = 1; ; attempt++) {
    try {
      return await holdChosenSeats(showtimeId, chooser, who, { db, now: opts.now, ...(opts.protections && { protections }) });
    } catch (err) {
      // Only a block snatched by a hand-picked hold between our read and our claim is worth another look.
      const lost = err instanceof AppError && err.code === "SEATS_UNAVAILABLE" && (err.details?.seatIds as unknown[] | undefined)?.length;
      if (!lost) throw err;
      if (attempt >= ATTEMPTS) {
        throw new AppError("SEATS_UNAVAILABLE", "Seats are going fast: the block we found was just taken. Please try again.", {
          quantity,
          priceTierId: priceTierId ?? null,
          seatIds: [],
        });
      }
    }
  }
}
