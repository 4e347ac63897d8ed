// Catalog inputs, shared by the router and the search form.
import { z } from "zod";

const ZDay = z.iso.date({ message: "Use a date like 2026-12-31." });

export const SEARCH_SORTS = ["date", "price", "title"] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

export const ZSearchConcertsInput = z
  .strictObject({
    q: z.string().trim().max(100, "Search text is at most 100 characters.").optional(),
    city: z.string().trim().max(80).optional(),
    from: ZDay.optional(),
    to: ZDay.optional(),
    /** date: soonest show first; price: cheapest ticket first (within each currency); title: A to Z. */
    sort: z.enum(SEARCH_SORTS, { message: "Sort by date, price or title." }).default("date"),
    page: z.number().int().min(1).max(1000).default(1),
    pageSize: z.number().int().min(1).max(48).default(12),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, {
    message: "The end date must be on or after the start date.",
    path: ["to"],
  });
export type TSearchConcertsInput = z.input<typeof ZSearchConcertsInput>;

export const ZSlug = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .regex(/^[a-z0-9-]+$/, "Not a valid concert address.");
