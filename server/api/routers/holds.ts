// Hold procedures: taking seats sits behind the waiting-room gate; releasing and listing need only ownership.
import { z } from "zod";
import { holdBestAvailable, ZBestAvailableInput } from "../../domain/holds/best-available.ts";
import { extendHold, holdSeats, releaseHold, ZHoldSeatsInput } from "../../domain/holds/holds.ts";
import { getMyHold, listMyHolds, ZMyHoldsInput } from "../../domain/holds/my-holds.ts";
import { admittedProcedure, authedProcedure, createTRPCRouter, ZAdmittedInput } from "../trpc.ts";
import { ZId } from "../../domain/ids.ts";

const ZHoldRef = z.strictObject({ holdId: ZId });

export const holdsRouter = createTRPCRouter({
  create: admittedProcedure
    .meta({ rateLimit: "holds" })
    .input(ZAdmittedInput.extend({ seatIds: ZHoldSeatsInput.shape.seatIds }))
    .mutation(({ ctx, input }) =>
      holdSeats(
        { showtimeId: input.showtimeId, seatIds: input.seatIds },
        { userId: ctx.user.id, client: ctx.client, ip: ctx.ip },
        { db: ctx.db },
      ),
    ),

  /** N adjacent seats, the best free block (in a price tier, or anywhere), held the same all-or-nothing way. */
  bestAvailable: admittedProcedure
    .meta({ rateLimit: "holds" })
    .input(ZAdmittedInput.extend(ZBestAvailableInput.omit({ showtimeId: true }).shape))
    .mutation(({ ctx, input }) =>
      holdBestAvailable(
        { showtimeId: input.showtimeId, quantity: input.quantity, priceTierId: input.priceTierId },
        { userId: ctx.user.id, client: ctx.client, ip: ctx.ip },
        { db: ctx.db },
      ),
    ),

  /** Once per hold, before it ends (the fan asks for more time, or the checkout does), behind the same gate. */
  extend: admittedProcedure
    .input(ZAdmittedInput.extend(ZHoldRef.shape))
    .mutation(({ ctx, input }) => extendHold({ holdId: input.holdId, userId: ctx.user.id, showtimeId: input.showtimeId }, { db: ctx.db })),

  release: authedProcedure.input(ZHoldRef).mutation(({ ctx, input }) => releaseHold(input.holdId, ctx.user.id, { db: ctx.db })),

  /** The fan's own holds, newest first (the "my holds / tickets" list). */
  mine: authedProcedure.input(ZMyHoldsInput).query(({ ctx, input }) => listMyHolds(input, ctx.user.id, { db: ctx.db })),

  /** One of the fan's holds (the checkout page); another fan's is NOT_FOUND. */
  byId: authedProcedure.input(ZHoldRef).query(({ ctx, input }) => getMyHold(input.holdId, ctx.user.id, { db: ctx.db })),
});
