// Saved cards: list, add (a token from the card form), set the default, remove.
import { addCard, listCards, removeCard, setDefaultCard, ZAddCardInput, ZCardIdInput } from "../../domain/payments/methods.ts";
import { authedProcedure, createTRPCRouter } from "../trpc.ts";

export const paymentMethodsRouter = createTRPCRouter({
  list: authedProcedure.query(({ ctx }) => listCards(ctx.user.id, { db: ctx.db })),
  add: authedProcedure
    .meta({ rateLimit: "cards" })
    .input(ZAddCardInput)
    .mutation(({ ctx, input }) => addCard(input, ctx.user.id, { db: ctx.db })),
  setDefault: authedProcedure.input(ZCardIdInput).mutation(({ ctx, input }) => setDefaultCard(input, ctx.user.id, { db: ctx.db })),
  remove: authedProcedure.input(ZCardIdInput).mutation(({ ctx, input }) => removeCard(input, ctx.user.id, { db: ctx.db })),
});
