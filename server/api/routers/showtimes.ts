// Showtime procedures: a showtime's overview and its seat map.
import { z } from "zod";
import { ZId } from "../../domain/catalog/schemas.ts";
import { getSeatMap, getShowtimeOverview } from "../../domain/seatmap/seat-map.ts";
import { admittedProcedure, createTRPCRouter, publicProcedure } from "../trpc.ts";

export const showtimesRouter = createTRPCRouter({
  byId: publicProcedure
    .input(z.object({ showtimeId: ZId }))
    .query(({ ctx, input }) => getShowtimeOverview(input.showtimeId, { db: ctx.db })),
  /**
   * Entry to seat selection, behind the waiting-room gate: what the admitted fan may do and until when.
   * Holds and checkout (later) sit behind the same gate.
   */
  selection: admittedProcedure.query(async ({ ctx, input }) => {
    const { showtime } = await getShowtimeOverview(input.showtimeId, { db: ctx.db });
    return {
      showtimeId: showtime.id,
      accessExpiresAt: ctx.accessExpiresAt,
      perUserLimit: showtime.perUserLimit,
      holdSeconds: showtime.holdSeconds,
    };
  }),
  seatMap: publicProcedure
    .input(z.object({ showtimeId: ZId }))
    .query(({ ctx, input }) => getSeatMap(input.showtimeId, { db: ctx.db })),
});
