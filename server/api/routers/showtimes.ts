// Showtime procedures: the seat map.
import { z } from "zod";
import { ZId } from "../../domain/catalog/schemas.ts";
import { getSeatMap } from "../../domain/seatmap/seat-map.ts";
import { createTRPCRouter, publicProcedure } from "../trpc.ts";

export const showtimesRouter = createTRPCRouter({
  seatMap: publicProcedure
    .input(z.object({ showtimeId: ZId }))
    .query(({ ctx, input }) => getSeatMap(input.showtimeId, { db: ctx.db })),
});
