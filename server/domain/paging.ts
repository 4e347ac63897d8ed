// Paging input shared by the lists the pages read a page at a time.
import { z } from "zod";

/**
 * tRPC's infinite queries add `direction` to the input of every page they fetch. Inputs are strict (an
 * unknown key is refused, never dropped), so the paged lists accept it; pages only go forward, so it is
 * otherwise ignored.
 */
export const ZPageDirection = z.enum(["forward", "backward"]).optional();

/**
 * Prisma arguments for one page of a list, newest first: one row more than the page is read, so the
 * answer knows whether another page follows (`nextCursorOf`).
 */
export function newestFirst(cursor: string | undefined, limit: number) {
  return {
    orderBy: [{ createdAt: "desc" as const }, { id: "desc" as const }],
    take: limit + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
  };
}

/** The cursor of the page after `page`, or null when `newestFirst` read no row past it. */
export function nextCursorOf(read: number, limit: number, page: readonly { id: string }[]): string | null {
  return read > limit ? (page.at(-1)?.id ?? null) : null;
}
