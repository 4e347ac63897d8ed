// Hold procedures: taking seats sits behind the waiting-room gate; releasing and listing need only ownership.
import { z } from "zod";
import { holdBestAvailable, ZBestAvailableInput } from "../../domain/holds/best-available.ts";
import { extendHold, holdSeats, releaseHold, ZHoldSeatsInput, type HoldResult } from "../../domain/holds/holds.ts";
import { getMyHold, listMyHolds, ZMyHoldsInput } from "../../domain/holds/my-holds.ts";
import { publishSeatChanges } from "../../domain/seatmap/events.ts";
import { enqueueHoldExpiry } from "../../queue/queues.ts";
import { admittedProcedure, authedProcedure, createTRPCRouter, ZAdmittedInput } from "../trpc.ts";

const ZHoldRef = z.strictObject({ holdId: z.string().trim().min(1).max(64) });

/** After commit: the tidy-up job (keyed by the hold, so a retry cannot add a second) and the live map. */
async function afterHold(hold: HoldResult): Promise<HoldResult> {
  await Promise.all([enqueueHoldExpiry(hold.holdId, hold.heldUntil), publishSeatChanges(hold.showtimeId, hold.seatIds, "HELD")]);
  return hold;
}

export const holdsRouter = createTRPCRouter({
  create: admittedProcedure.meta({ rateLimit: "holds" }).input(ZAdmittedInput.extend({ seatIds: ZHoldSeatsInput.shape.seatIds })).mutation(async ({ ctx, input }) =>
    afterHold(
      await holdSeats({ showtimeId: input.showtimeId, seatIds: input.seatIds }, { userId: ctx.user.id, client: ctx.client, ip: ctx.ip }, { db: ctx.db }),
    ),
  ),

  /** N adjacent seats, the best free block (in a price tier, or anywhere), held the same all-or-nothing way. */
  bestAvailable: admittedProcedure.meta({ rateLimit: "holds" }).input(ZAdmittedInput.extend(ZBestAvailableInput.omit({ showtimeId: true }).shape)).mutation(async ({ ctx, input }) =>
    afterHold(
      await holdBestAvailable(
        { showtimeId: input.showtimeId, quantity: input.quantity, priceTierId: input.priceTierId },
        { userId: ctx.user.id, client: ctx.client, ip: ctx.ip },
        { db: ctx.db },
      ),
    ),
  ),

  /** Once per hold, before it ends (the fan asks for more time, or the checkout does), behind the same gate. */
  extend: admittedProcedure.input(ZAdmittedInput.extend(ZHoldRef.shape)).mutation(async ({ ctx, input }) => {
    const extended = await extendHold({ holdId: input.holdId, userId: ctx.user.id, showtimeId: input.showtimeId }, { db: ctx.db });
    await enqueueHoldExpiry(extended.holdId, extended.heldUntil, { extended: true });
    return extended;
  }),

  release: authedProcedure.input(ZHoldRef).mutation(async ({ ctx, input }) => {
    const { seatIds, ...released } = await releaseHold(input.holdId, ctx.user.id, { db: ctx.db });
    await publishSeatChanges(released.showtimeId, seatIds, "AVAILABLE");
    return released;
  }),

  /** The fan's own holds, newest first (the "my holds / tickets" list). */
  mine: authedProcedure.input(ZMyHoldsInput).query(({ ctx, input }) => listMyHolds(ctx.user.id, input, { db: ctx.db })),

  /** One of the fan's holds (the checkout page); another fan's is NOT_FOUND. */
  byId: authedProcedure.input(ZHoldRef).query(({ ctx, input }) => getMyHold(ctx.user.id, input.holdId, { db: ctx.db })),
});
