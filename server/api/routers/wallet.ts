// Wallet procedures: balances, top-ups (idempotent), and the ledger.
import { getWallets, listLedger, topUpWallet, ZLedgerInput, ZTopUpInput } from "../../domain/wallet/wallet.ts";
import { authedProcedure, createTRPCRouter } from "../trpc.ts";

export const walletRouter = createTRPCRouter({
  balances: authedProcedure.query(({ ctx }) => getWallets(ctx.user.id, { db: ctx.db })),
  topUp: authedProcedure.input(ZTopUpInput).mutation(({ ctx, input }) => topUpWallet(input, ctx.user.id, { db: ctx.db })),
  ledger: authedProcedure.input(ZLedgerInput).query(({ ctx, input }) => listLedger(input, ctx.user.id, { db: ctx.db })),
});
