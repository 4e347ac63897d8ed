// Cancelling an order for a refund, before the showtime's cutoff: order REFUNDED, tickets CANCELLED, seats
// back on sale, the money back to the wallet as a REFUND entry, all in one transaction.
import { prisma, type Db } from "../../db.ts";
import { recordAudit } from "../admin/audit.ts";
import { AppError } from "../errors.ts";
import { publishSeatChanges } from "../seatmap/events.ts";
import { postLedgerEntry } from "../wallet/wallet.ts";
import { ZRefundReason } from "./refund-reason.ts";

export type RefundResult = { orderId: string; showtimeId: string; seatIds: number[]; refundedMinor: number; balanceAfterMinor: number };

/**
 * `by` is who asks: the buyer (`asAdmin` false: anyone else's order reads as missing) or an admin acting
 * for them, recorded on the order with their reason. Same rules either way.
 */
export async function refundOrder(
  orderId: string,
  by: RefundBy,
  { db = prisma(), now = new Date() }: { db?: Db; now?: Date } = {},
): Promise<RefundResult> {
  const reason = by.asAdmin ? ZRefundReason.parse(by.reason ?? "") : null;
  const refunded = await db.$transaction(async (tx) => {
    const [order] = await tx.$queryRaw<OrderToRefund[]>`
      SELECT o."userId", o."showtimeId", o.status::text, o."totalMinor", o.currency::text AS currency, st."startsAt", st."refundCutoffHours"
      FROM "Order" o JOIN "Showtime" st ON st.id = o."showtimeId" WHERE o.id = ${orderId} FOR UPDATE OF o`;
    checkRefundable(order, by, now);
    // Every ticket must still be the buyer's and valid: a ticket given away cannot be refunded by the giver.
    const tickets = await tx.$queryRaw<TicketToRefund[]>`
      SELECT id, "seatId", "ownerId", status::text FROM "Ticket" WHERE "orderId" = ${orderId} ORDER BY id FOR UPDATE`;
    checkTickets(order, tickets);
    await tx.ticket.updateMany({ where: { orderId }, data: { status: "CANCELLED" } });
    // An open offer to pass one of these tickets on ends with it.
    await tx.ticketTransfer.updateMany({
      where: { ticketId: { in: tickets.map((t) => t.id) }, status: "PENDING" },
      data: { status: "CANCELLED", respondedAt: now },
    });
    const seatIds = tickets.map((t) => t.seatId).sort((a, b) => a - b);
    const freed = await tx.seat.updateMany({
      where: { id: { in: seatIds }, status: "SOLD" },
      data: { status: "AVAILABLE", holdId: null, heldUntil: null },
    });
    if (freed.count !== seatIds.length) throw new Error(`order ${orderId}: ${seatIds.length} tickets but ${freed.count} sold seats`);
    const entry = await postLedgerEntry(tx, {
      userId: order.userId,
      currency: order.currency,
      type: "REFUND",
      amountMinor: order.totalMinor,
      orderId,
    });
    if (!entry) throw new AppError("LIMIT_EXCEEDED", "This refund would take the wallet over its maximum balance. Please contact support.");
    await tx.order.update({
      where: { id: orderId },
      data: { status: "REFUNDED", refundedAt: now, refundedById: by.userId, refundReason: reason },
    });
    if (by.asAdmin) {
      await recordAudit(tx, {
        actorId: by.userId,
        action: "order.refund",
        entityType: "Order",
        entityId: orderId,
        before: { status: "PAID" },
        after: { status: "REFUNDED", refundedMinor: order.totalMinor, buyerId: order.userId, reason },
      });
    }
    return { orderId, showtimeId: order.showtimeId, seatIds, refundedMinor: order.totalMinor, balanceAfterMinor: entry.balanceAfterMinor };
  });
  // After commit: the seats are back on every open map.
  await publishSeatChanges(refunded.showtimeId, refunded.seatIds, "AVAILABLE");
  return refunded;
}

export type RefundBy = { userId: string; asAdmin?: boolean; reason?: string };

type OrderToRefund = {
  userId: string;
  showtimeId: string;
  status: string;
  totalMinor: number;
  currency: "KRW" | "USD";
  startsAt: Date;
  refundCutoffHours: number;
};
type TicketToRefund = { id: string; seatId: number; ownerId: string; status: string };

function checkRefundable(order: OrderToRefund | undefined, by: RefundBy, now: Date): asserts order is OrderToRefund {
  if (!order || (!by.asAdmin && order.userId !== by.userId)) throw new AppError("NOT_FOUND", "We couldn't find that order.");
  if (order.status !== "PAID") throw new AppError("CONFLICT", "This order has already been refunded.", { status: order.status });
  const cutoff = new Date(order.startsAt.getTime() - order.refundCutoffHours * 3_600_000);
  if (now.getTime() >= cutoff.getTime()) {
    throw new AppError(
      "CONFLICT",
      order.refundCutoffHours > 0
        ? `Refunds for this show closed ${order.refundCutoffHours} hours before it starts.`
        : "Refunds for this show closed when it started.",
      { cutoff: cutoff.toISOString() },
    );
  }
}

function checkTickets(order: OrderToRefund, tickets: TicketToRefund[]) {
  if (tickets.some((t) => t.status !== "VALID" || t.ownerId !== order.userId)) {
    throw new AppError("CONFLICT", "A ticket of this order now belongs to someone else, so the order cannot be refunded.");
  }
}
