// The showtime overview for the pages under /showtimes/[id]: one call per request, unknown ids as 404s.
import { notFound } from "next/navigation";
import { cache } from "react";
import { serverApi } from "@/server/api/server";
import { isMissing } from "../_components/trpc-errors";

export const loadShowtime = cache(async (showtimeId: string) => {
  try {
    return await (await serverApi()).showtimes.byId({ showtimeId });
  } catch (error) {
    if (isMissing(error)) notFound();
    throw error;
  }
});
