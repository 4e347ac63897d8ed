// Admin order search: by fan email, order id or showtime, newest first.
import { z } from "zod";
import { prisma, type DbTx } from "../../db.ts";
import { ZPageDirection, newestFirst, nextCursorOf } from "../paging.ts";
import { ZId } from "../ids.ts";

export const ZOrderSearchInput = z.strictObject({
  /** An email (or part of one) or an order id. */
  query: z.string().trim().max(200).optional(),
  showtimeId: z.string().trim().max(64).optional(),
  status: z.enum(["PAID", "REFUNDED"]).optional(),
  cursor: ZId.optional(),
  limit: z.number().int().min(1).max(100).default(25),
  direction: ZPageDirection,
});

export async function searchOrders(input: z.input<typeof ZOrderSearchInput> = {}, { db = prisma() }: { db?: DbTx } = {}) {
  const { query, showtimeId, status, cursor, limit } = ZOrderSearchInput.parse(input);
  const rows = await db.order.findMany({
    where: {
      ...(showtimeId ? { showtimeId } : {}),
      ...(status ? { status } : {}),
      ...(query ? { OR: [{ id: query }, { user: { email: { contains: query.toLowerCase() } } }] } : {}),
    },
    ...newestFirst(cursor, limit),
    select: {
      id: true,
      status: true,
      totalMinor: true,
      currency: true,
      createdAt: true,
      refundedAt: true,
      user: { select: { id: true, email: true, name: true } },
      _count: { select: { tickets: true } },
      showtime: {
        select: { id: true, startsAt: true, concert: { select: { title: true } }, venue: { select: { name: true, timezone: true } } },
      },
    },
  });
  const items = rows.slice(0, limit);
  return { items, nextCursor: nextCursorOf(rows.length, limit, items) };
}
