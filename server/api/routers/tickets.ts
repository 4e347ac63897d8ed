// Ticket procedures: the fan's tickets and passing one on to another fan.
import { z } from "zod";
import { ZId } from "../../domain/ids.ts";
import { listMyTickets, ZTicketListInput } from "../../domain/tickets/tickets.ts";
import { cancelTransfer, listTransfers, offerTransfer, respondToTransfer, ZOfferTransferInput } from "../../domain/tickets/transfers.ts";
import { authedProcedure, createTRPCRouter } from "../trpc.ts";

const ZTransferRef = z.strictObject({ transferId: ZId });

export const ticketsRouter = createTRPCRouter({
  list: authedProcedure.input(ZTicketListInput).query(({ ctx, input }) => listMyTickets(input, ctx.user.id, { db: ctx.db })),

  transfers: authedProcedure.query(({ ctx }) => listTransfers({ userId: ctx.user.id, email: ctx.user.email }, { db: ctx.db })),

  offerTransfer: authedProcedure.input(ZOfferTransferInput).mutation(({ ctx, input }) => offerTransfer(input, ctx.user.id, { db: ctx.db })),

  cancelTransfer: authedProcedure
    .input(ZTransferRef)
    .mutation(({ ctx, input }) => cancelTransfer(input.transferId, ctx.user.id, { db: ctx.db })),

  acceptTransfer: authedProcedure
    .input(ZTransferRef)
    .mutation(({ ctx, input }) =>
      respondToTransfer(input.transferId, { userId: ctx.user.id, email: ctx.user.email }, "accept", { db: ctx.db }),
    ),

  declineTransfer: authedProcedure
    .input(ZTransferRef)
    .mutation(({ ctx, input }) =>
      respondToTransfer(input.transferId, { userId: ctx.user.id, email: ctx.user.email }, "decline", { db: ctx.db }),
    ),
});
