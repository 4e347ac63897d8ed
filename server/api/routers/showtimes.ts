// Showtime procedures: a showtime's overview and its seat map.
import { z } from "zod";
import { ZId } from "../../domain/catalog/schemas.ts";
import { getSeatMap, getShowtimeOverview } from "../../domain/seatmap/seat-map.ts";
import { createTRPCRouter, publicProcedure } from "../trpc.ts";

export const showtimesRouter = createTRPCRouter({
  byId: publicProcedure
    .input(z.object({ showtimeId: ZId }))
    .query(({ ctx, input }) => getShowtimeOverview(input.showtimeId, { db: ctx.db })),
  seatMap: publicProcedure
    .input(z.object({ showtimeId: ZId }))
    .query(({ ctx, input }) => getSeatMap(input.showtimeId, { db: ctx.db })),
});
