// Hold procedures: taking seats sits behind the waiting-room gate; releasing needs only ownership.
import { z } from "zod";
import { extendHold, holdSeats, releaseHold, ZHoldSeatsInput } from "../../domain/holds/holds.ts";
import { enqueueHoldExpiry } from "../../queue/queues.ts";
import { admittedProcedure, authedProcedure, createTRPCRouter } from "../trpc.ts";

export const holdsRouter = createTRPCRouter({
  create: admittedProcedure.input(ZHoldSeatsInput.pick({ seatIds: true })).mutation(async ({ ctx, input }) => {
    const hold = await holdSeats(
      { showtimeId: input.showtimeId, seatIds: input.seatIds },
      { userId: ctx.user.id, client: "web", ip: ctx.ip },
      { db: ctx.db },
    );
    // After commit: the tidy-up job, keyed by the hold so a retried request cannot add a second one.
    await enqueueHoldExpiry(hold.holdId, hold.heldUntil);
    return hold;
  }),

  /** Once per hold, at checkout, behind the same gate as taking seats. */
  extend: admittedProcedure.input(z.object({ holdId: z.string().trim().min(1).max(64) })).mutation(async ({ ctx, input }) => {
    const extended = await extendHold({ holdId: input.holdId, userId: ctx.user.id, showtimeId: input.showtimeId }, { db: ctx.db });
    await enqueueHoldExpiry(extended.holdId, extended.heldUntil, { extended: true });
    return extended;
  }),

  release: authedProcedure
    .input(z.object({ holdId: z.string().trim().min(1).max(64) }))
    .mutation(({ ctx, input }) => releaseHold(input.holdId, ctx.user.id, { db: ctx.db })),
});
