// The app router: every tRPC procedure, by feature.
import { adminRouter } from "./routers/admin.ts";
import { authRouter } from "./routers/auth.ts";
import { catalogRouter } from "./routers/catalog.ts";
import { holdsRouter } from "./routers/holds.ts";
import { ordersRouter } from "./routers/orders.ts";
import { paymentMethodsRouter } from "./routers/payment-methods.ts";
import { showtimesRouter } from "./routers/showtimes.ts";
import { ticketsRouter } from "./routers/tickets.ts";
import { waitingRoomRouter } from "./routers/waiting-room.ts";
import { walletRouter } from "./routers/wallet.ts";
import { createCallerFactory, createTRPCRouter } from "./trpc.ts";

export const appRouter = createTRPCRouter({
  admin: adminRouter,
  auth: authRouter,
  catalog: catalogRouter,
  holds: holdsRouter,
  orders: ordersRouter,
  paymentMethods: paymentMethodsRouter,
  showtimes: showtimesRouter,
  tickets: ticketsRouter,
  waitingRoom: waitingRoomRouter,
  wallet: walletRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
