// Order procedures: checkout (behind the waiting-room gate), the payment history, one order, refunds.
import { z } from "zod";
import { ZId } from "../../domain/ids.ts";
import { checkoutHold, ZCheckoutInput } from "../../domain/checkout/checkout.ts";
import { refundOrder } from "../../domain/checkout/refund.ts";
import { getOrder, listMyOrders, ZPageInput } from "../../domain/tickets/tickets.ts";
import { assertAdmitted } from "../../domain/waiting-room/gate.ts";
import { authedProcedure, createTRPCRouter, ZAdmittedInput } from "../trpc.ts";

const ZOrderRef = z.strictObject({ orderId: ZId });

export const ordersRouter = createTRPCRouter({
  /**
   * Pays for a live hold from the wallet, behind the waiting-room gate. A retry with the same idempotency
   * key answers the first order even though paying ended the fan's access, so a client that lost the
   * first answer is never charged twice nor told to queue again.
   */
  checkout: authedProcedure
    .input(ZAdmittedInput.extend(ZCheckoutInput.shape))
    .mutation(({ ctx, input }) =>
      checkoutHold(
        { userId: ctx.user.id, showtimeId: input.showtimeId, holdId: input.holdId, idempotencyKey: input.idempotencyKey },
        { db: ctx.db, gate: () => assertAdmitted({ accessToken: input.accessToken, userId: ctx.user.id, showtimeId: input.showtimeId }) },
      ),
    ),

  list: authedProcedure.input(ZPageInput).query(({ ctx, input }) => listMyOrders(input, ctx.user.id, { db: ctx.db })),

  byId: authedProcedure.input(ZOrderRef).query(({ ctx, input }) => getOrder(input.orderId, { userId: ctx.user.id }, { db: ctx.db })),

  refund: authedProcedure
    .input(ZOrderRef)
    .mutation(({ ctx, input }) => refundOrder(input.orderId, { userId: ctx.user.id }, { db: ctx.db })),
});
