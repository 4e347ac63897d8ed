// Account procedures. Signing in itself goes through next-auth's credentials endpoint.
import { registerUser } from "../../domain/auth/users.ts";
import { ZSignUpInput } from "../../domain/auth/schemas.ts";
import { authedProcedure, createTRPCRouter, publicProcedure } from "../trpc.ts";

export const authRouter = createTRPCRouter({
  signUp: publicProcedure.input(ZSignUpInput).mutation(({ ctx, input }) => registerUser(input, { db: ctx.db })),
  me: authedProcedure.query(({ ctx }) => ctx.user),
});
