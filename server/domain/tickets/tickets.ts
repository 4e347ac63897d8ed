// What a fan bought: tickets (with the code their QR carries), orders with their payment, and one order in
// detail. Everything is read for its owner only: another fan's order or ticket reads as missing.
import { z } from "zod";
import { prisma, type DbTx } from "../../db.ts";
import type { Prisma } from "../../generated/prisma/client.ts";
import type { Currency, OrderStatus, TicketStatus } from "../../generated/prisma/enums.ts";
import { AppError } from "../errors.ts";
import { ZId } from "../ids.ts";
import { ZPageDirection, newestFirst, nextCursorOf } from "../paging.ts";

export const ZPageInput = z.strictObject({
  cursor: ZId.optional(),
  limit: z.number().int().min(1).max(50).default(20),
  direction: ZPageDirection,
});

export const ZTicketListInput = ZPageInput.extend({ status: z.enum(["VALID", "CANCELLED"]).optional() });

export type EventFacts = {
  showtimeId: string;
  startsAt: Date;
  doorsAt: Date;
  concert: { slug: string; title: string; artist: string };
  venue: { name: string; city: string; timezone: string };
};

export type TicketView = {
  id: string;
  status: TicketStatus;
  /** Shown (and put in the QR) only to the owner of a valid ticket. */
  code: string | null;
  orderId: string;
  seat: { id: number; section: string; row: string; number: number; tier: string };
  priceMinor: number;
  feeMinor: number;
  currency: Currency;
  event: EventFacts;
  /** True when the ticket came from another fan. */
  receivedByTransfer: boolean;
  /** The open offer to pass it on, if any. */
  pendingTransfer: { id: string; toEmail: string; expiresAt: Date } | null;
  createdAt: Date;
};

const ticketSelect = {
  id: true,
  status: true,
  code: true,
  orderId: true,
  ownerId: true,
  priceMinor: true,
  feeMinor: true,
  currency: true,
  createdAt: true,
  order: { select: { userId: true } },
  transfers: { where: { status: "PENDING" }, select: { id: true, toEmail: true, expiresAt: true } },
  seat: {
    select: {
      id: true,
      priceTier: { select: { name: true } },
      venueSeat: { select: { number: true, row: { select: { label: true, section: { select: { name: true } } } } } },
      showtime: {
        select: {
          id: true,
          startsAt: true,
          doorsAt: true,
          concert: { select: { slug: true, title: true, artist: true } },
          venue: { select: { name: true, city: true, timezone: true } },
        },
      },
    },
  },
} as const;

type TicketRow = {
  id: string;
  status: TicketStatus;
  code: string;
  orderId: string;
  ownerId: string;
  priceMinor: number;
  feeMinor: number;
  currency: Currency;
  createdAt: Date;
  order: { userId: string };
  transfers: { id: string; toEmail: string; expiresAt: Date }[];
  seat: {
    id: number;
    priceTier: { name: string };
    venueSeat: { number: number; row: { label: string; section: { name: string } } };
    showtime: { id: string; startsAt: Date; doorsAt: Date; concert: EventFacts["concert"]; venue: EventFacts["venue"] };
  };
};

function toView(t: TicketRow, viewerId: string): TicketView {
  const { showtime } = t.seat;
  return {
    id: t.id,
    status: t.status,
    code: t.status === "VALID" && t.ownerId === viewerId ? t.code : null,
    orderId: t.orderId,
    seat: {
      id: t.seat.id,
      section: t.seat.venueSeat.row.section.name,
      row: t.seat.venueSeat.row.label,
      number: t.seat.venueSeat.number,
      tier: t.seat.priceTier.name,
    },
    priceMinor: t.priceMinor,
    feeMinor: t.feeMinor,
    currency: t.currency,
    event: {
      showtimeId: showtime.id,
      startsAt: showtime.startsAt,
      doorsAt: showtime.doorsAt,
      concert: showtime.concert,
      venue: showtime.venue,
    },
    receivedByTransfer: t.order.userId !== t.ownerId,
    pendingTransfer: t.ownerId === viewerId ? (t.transfers[0] ?? null) : null,
    createdAt: t.createdAt,
  };
}

/** The fan's tickets, soonest show first for valid ones, in seat order within a show; cancelled ones after. */
export async function listMyTickets(
  input: z.input<typeof ZTicketListInput>,
  userId: string,
  { db = prisma() }: { db?: DbTx } = {},
): Promise<{ items: TicketView[]; nextCursor: string | null }> {
  const { cursor, limit, status } = ZTicketListInput.parse(input);
  const rows = await db.ticket.findMany({
    where: { ownerId: userId, ...(status ? { status } : {}) },
    orderBy: [
      { status: "desc" },
      { seat: { showtime: { startsAt: "asc" } } },
      { seat: { showtimeId: "asc" } },
      { seat: { venueSeat: { row: { section: { sortOrder: "asc" } } } } },
      { seat: { venueSeat: { row: { sortOrder: "asc" } } } },
      { seat: { venueSeat: { number: "asc" } } },
      { id: "asc" },
    ],
    take: limit + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    select: ticketSelect,
  });
  const items = rows.slice(0, limit).map((t) => toView(t as TicketRow, userId));
  return { items, nextCursor: nextCursorOf(rows.length, limit, items) };
}

export type OrderSummary = {
  id: string;
  /** The hold this order paid for. */
  holdId: string;
  status: OrderStatus;
  createdAt: Date;
  refundedAt: Date | null;
  subtotalMinor: number;
  feesMinor: number;
  totalMinor: number;
  currency: Currency;
  ticketCount: number;
  event: EventFacts;
};

const orderSelect = {
  id: true,
  holdId: true,
  userId: true,
  status: true,
  createdAt: true,
  refundedAt: true,
  subtotalMinor: true,
  feesMinor: true,
  totalMinor: true,
  currency: true,
  _count: { select: { tickets: true } },
  showtime: {
    select: {
      id: true,
      startsAt: true,
      doorsAt: true,
      refundCutoffHours: true,
      concert: { select: { slug: true, title: true, artist: true } },
      venue: { select: { name: true, city: true, timezone: true } },
    },
  },
} as const;

/** An order as the lists show it, from a row read with `orderSelect`. */
function orderSummaryOf(o: Prisma.OrderGetPayload<{ select: typeof orderSelect }>): OrderSummary {
  return {
    id: o.id,
    holdId: o.holdId,
    status: o.status,
    createdAt: o.createdAt,
    refundedAt: o.refundedAt,
    subtotalMinor: o.subtotalMinor,
    feesMinor: o.feesMinor,
    totalMinor: o.totalMinor,
    currency: o.currency,
    ticketCount: o._count.tickets,
    event: {
      showtimeId: o.showtime.id,
      startsAt: o.showtime.startsAt,
      doorsAt: o.showtime.doorsAt,
      concert: o.showtime.concert,
      venue: o.showtime.venue,
    },
  };
}

/** The payment history: the fan's orders, newest first. */
export async function listMyOrders(
  input: z.input<typeof ZPageInput>,
  userId: string,
  { db = prisma() }: { db?: DbTx } = {},
): Promise<{ items: OrderSummary[]; nextCursor: string | null }> {
  const { cursor, limit } = ZPageInput.parse(input);
  const rows = await db.order.findMany({
    where: { userId },
    ...newestFirst(cursor, limit),
    select: orderSelect,
  });
  const items = rows.slice(0, limit).map(orderSummaryOf);
  return { items, nextCursor: nextCursorOf(rows.length, limit, items) };
}

export type OrderDetail = OrderSummary & {
  tickets: TicketView[];
  payment: { id: string; amountMinor: number; createdAt: Date } | null;
  /** Until when the buyer may cancel for a refund; null once the order is refunded. */
  refundableUntil: Date | null;
  canRefund: boolean;
  /** Why Onsale refunded it on the fan's behalf; null when the fan refunded it, or it is not refunded. */
  refundReason: string | null;
  /** For admins only: who bought it, and who refunded it. */
  buyer?: { id: string; email: string; name: string };
  refundedBy?: { id: string; email: string; name: string } | null;
};

/** One order of the fan's (an admin may read any), with its tickets and payment. */
export async function getOrder(
  orderId: string,
  viewer: { userId: string; asAdmin?: boolean },
  { db = prisma(), now = new Date() }: { db?: DbTx; now?: Date } = {},
): Promise<OrderDetail> {
  const id = ZId.parse(orderId);
  const o = await db.order.findUnique({
    where: { id },
    select: {
      ...orderSelect,
      refundedById: true,
      refundReason: true,
      user: { select: { id: true, email: true, name: true } },
      payment: { select: { id: true, amountMinor: true, createdAt: true } },
      tickets: { select: ticketSelect, orderBy: { seatId: "asc" } },
    },
  });
  if (!o || (!viewer.asAdmin && o.userId !== viewer.userId)) throw new AppError("NOT_FOUND", "We couldn't find that order.");
  const cutoff = new Date(o.showtime.startsAt.getTime() - o.showtime.refundCutoffHours * 3_600_000);
  const tickets = o.tickets.map((t) => toView(t as TicketRow, viewer.userId));
  return {
    ...orderSummaryOf(o),
    tickets,
    payment: o.payment,
    refundableUntil: o.status === "PAID" ? cutoff : null,
    canRefund:
      o.status === "PAID" && now.getTime() < cutoff.getTime() && o.tickets.every((t) => t.status === "VALID" && t.ownerId === o.userId),
    refundReason: o.refundReason,
    ...(viewer.asAdmin
      ? {
          buyer: o.user,
          refundedBy: o.refundedById
            ? await db.user.findUnique({ where: { id: o.refundedById }, select: { id: true, email: true, name: true } })
            : null,
        }
      : {}),
  };
}
