// Catalog procedures: thin adapters over server/domain/catalog.
import { z } from "zod";
import { getConcert, listCities, listHomeConcerts, searchConcerts } from "../../domain/catalog/concerts.ts";
import { ZSearchConcertsInput, ZSlug } from "../../domain/catalog/schemas.ts";
import { createTRPCRouter, publicProcedure } from "../trpc.ts";

export const catalogRouter = createTRPCRouter({
  home: publicProcedure.query(({ ctx }) => listHomeConcerts({ db: ctx.db })),
  search: publicProcedure
    .meta({ rateLimit: "search" })
    .input(ZSearchConcertsInput)
    .query(({ ctx, input }) => searchConcerts(input, { db: ctx.db })),
  cities: publicProcedure.query(({ ctx }) => listCities({ db: ctx.db })),
  concert: publicProcedure.input(z.strictObject({ slug: ZSlug })).query(({ ctx, input }) => getConcert(input.slug, { db: ctx.db })),
});
