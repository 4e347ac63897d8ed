// The signed-in fan's holds, newest first: what, where, which seats, what they cost, and how each stands.
import { z } from "zod";
import { prisma, type DbTx } from "../../db.ts";
import type { Currency, HoldStatus } from "../../generated/prisma/enums.ts";
import { AppError } from "../errors.ts";
import { ZId } from "../ids.ts";
import { ZPageDirection, newestFirst, nextCursorOf } from "../paging.ts";

export const ZMyHoldsInput = z.strictObject({
  /** One hold by id (the checkout page). */
  holdId: ZId.optional(),
  showtimeId: ZId.optional(),
  /** ENDED: released or expired (including ACTIVE ones past their time). */
  status: z.enum(["ACTIVE", "RELEASED", "EXPIRED", "CONVERTED", "ENDED"]).optional(),
  /** The id of the last hold of the previous page. */
  cursor: ZId.optional(),
  limit: z.number().int().min(1).max(50).default(20),
  direction: ZPageDirection,
});
export type TMyHoldsInput = z.input<typeof ZMyHoldsInput>;

export type MyHoldSeat = {
  id: number;
  section: string;
  row: string;
  number: number;
  tier: string;
  priceMinor: number;
  feeMinor: number;
  currency: Currency;
};

export type MyHold = {
  id: string;
  status: HoldStatus;
  /** ACTIVE and not yet run out: the seats are the fan's. An ACTIVE hold past its time is over already. */
  live: boolean;
  createdAt: Date;
  heldUntil: Date;
  extended: boolean;
  canExtend: boolean;
  extendSeconds: number;
  showtime: {
    id: string;
    startsAt: Date;
    concert: { slug: string; title: string; artist: string };
    venue: { name: string; city: string; timezone: string };
  };
  seats: MyHoldSeat[];
  subtotalMinor: number;
  feesMinor: number;
  totalMinor: number;
  currency: Currency;
};

export async function listMyHolds(
  input: TMyHoldsInput,
  userId: string,
  { db = prisma(), now = new Date() }: { db?: DbTx; now?: Date } = {},
): Promise<{ items: MyHold[]; nextCursor: string | null }> {
  const { holdId, showtimeId, status, cursor, limit } = ZMyHoldsInput.parse(input);
  // "ACTIVE" asks for holds that still hold seats; one past its time is listed as what it is, expired.
  const live = { status: "ACTIVE" as const, heldUntil: { gt: now } };
  const holds = await db.hold.findMany({
    where: {
      userId,
      ...(holdId ? { id: holdId } : {}),
      ...(showtimeId ? { showtimeId } : {}),
      ...(status === "ACTIVE"
        ? live
        : status === "EXPIRED"
          ? { OR: [{ status }, { status: "ACTIVE", heldUntil: { lte: now } }] }
          : status === "ENDED"
            ? { OR: [{ status: { in: ["RELEASED", "EXPIRED"] } }, { status: "ACTIVE", heldUntil: { lte: now } }] }
            : status
              ? { status }
              : {}),
    },
    ...newestFirst(cursor, limit),
    select: {
      id: true,
      status: true,
      createdAt: true,
      heldUntil: true,
      extended: true,
      seatIds: true,
      showtime: {
        select: {
          id: true,
          startsAt: true,
          holdExtendSeconds: true,
          concert: { select: { slug: true, title: true, artist: true } },
          venue: { select: { name: true, city: true, timezone: true } },
        },
      },
    },
  });
  const page = holds.slice(0, limit);
  const seatIds = page.flatMap((h) => h.seatIds);
  const seats = seatIds.length
    ? await db.seat.findMany({
        where: { id: { in: seatIds } },
        select: {
          id: true,
          venueSeat: {
            select: {
              number: true,
              row: { select: { label: true, sortOrder: true, section: { select: { name: true, sortOrder: true } } } },
            },
          },
          priceTier: { select: { name: true, priceMinor: true, feeMinor: true, currency: true } },
        },
      })
    : [];
  const byId = new Map(seats.map((s) => [s.id, s]));

  const items = page.map((h): MyHold => {
    const mine = h.seatIds
      .map((id) => byId.get(id))
      .filter((s) => s !== undefined)
      .sort(
        (a, b) =>
          a.venueSeat.row.section.sortOrder - b.venueSeat.row.section.sortOrder ||
          a.venueSeat.row.sortOrder - b.venueSeat.row.sortOrder ||
          a.venueSeat.number - b.venueSeat.number,
      )
      .map(
        (s): MyHoldSeat => ({
          id: s.id,
          section: s.venueSeat.row.section.name,
          row: s.venueSeat.row.label,
          number: s.venueSeat.number,
          tier: s.priceTier.name,
          priceMinor: s.priceTier.priceMinor,
          feeMinor: s.priceTier.feeMinor,
          currency: s.priceTier.currency,
        }),
      );
    const isLive = h.status === "ACTIVE" && h.heldUntil.getTime() > now.getTime();
    const subtotalMinor = mine.reduce((sum, s) => sum + s.priceMinor, 0);
    const feesMinor = mine.reduce((sum, s) => sum + s.feeMinor, 0);
    return {
      id: h.id,
      status: h.status === "ACTIVE" && !isLive ? "EXPIRED" : h.status,
      live: isLive,
      createdAt: h.createdAt,
      heldUntil: h.heldUntil,
      extended: h.extended,
      canExtend: isLive && !h.extended && h.showtime.holdExtendSeconds > 0,
      extendSeconds: h.showtime.holdExtendSeconds,
      showtime: { id: h.showtime.id, startsAt: h.showtime.startsAt, concert: h.showtime.concert, venue: h.showtime.venue },
      seats: mine,
      subtotalMinor,
      feesMinor,
      totalMinor: subtotalMinor + feesMinor,
      currency: mine[0]?.currency ?? "KRW",
    };
  });
  return { items, nextCursor: nextCursorOf(holds.length, limit, page) };
}

/** One of the fan's holds; another fan's reads as missing. */
export async function getMyHold(holdId: string, userId: string, opts: { db?: DbTx; now?: Date } = {}): Promise<MyHold> {
  const [hold] = (await listMyHolds({ holdId, limit: 1 }, userId, opts)).items;
  if (!hold) throw new AppError("NOT_FOUND", "We couldn't find that hold.");
  return hold;
}
