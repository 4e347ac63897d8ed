// The app router: every tRPC procedure, by feature.
import { authRouter } from "./routers/auth.ts";
import { catalogRouter } from "./routers/catalog.ts";
import { holdsRouter } from "./routers/holds.ts";
import { showtimesRouter } from "./routers/showtimes.ts";
import { waitingRoomRouter } from "./routers/waiting-room.ts";
import { createCallerFactory, createTRPCRouter } from "./trpc.ts";

export const appRouter = createTRPCRouter({
  auth: authRouter,
  catalog: catalogRouter,
  holds: holdsRouter,
  showtimes: showtimesRouter,
  waitingRoom: waitingRoomRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
