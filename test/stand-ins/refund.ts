// The race the order's row lock and the sold-seat count in refund.ts prevent, for negative controls: read
// the order and its tickets without locking them, check them, then write unconditionally (one order
// refunded many times). `pause` runs between the reads and the writes.
import { prisma, type Db } from "../../server/db.ts";
import { AppError } from "../../server/domain/errors.ts";
import type { Pause } from "../../server/domain/protections.ts";
import { postLedgerEntry } from "../../server/domain/wallet/wallet.ts";

export async function readThenWriteRefund(orderId: string, userId: string, { db = prisma(), pause }: { db?: Db; pause?: Pause } = {}) {
  const order = await db.order.findUnique({
    where: { id: orderId },
    select: { userId: true, status: true, totalMinor: true, currency: true },
  });
  if (!order || order.userId !== userId) throw new AppError("NOT_FOUND", "We couldn't find that order.");
  if (order.status !== "PAID") throw new AppError("CONFLICT", "This order has already been refunded.");
  const tickets = await db.ticket.findMany({ where: { orderId }, select: { seatId: true, ownerId: true, status: true } });
  if (tickets.some((t) => t.status !== "VALID" || t.ownerId !== userId))
    throw new AppError("CONFLICT", "A ticket of this order is not the buyer's.");
  await pause?.();
  const seatIds = tickets.map((t) => t.seatId);
  return db.$transaction(async (tx) => {
    await tx.ticket.updateMany({ where: { orderId }, data: { status: "CANCELLED" } });
    await tx.seat.updateMany({ where: { id: { in: seatIds } }, data: { status: "AVAILABLE", holdId: null, heldUntil: null } });
    const entry = await postLedgerEntry(tx, { userId, currency: order.currency, type: "REFUND", amountMinor: order.totalMinor, orderId });
    if (!entry) throw new AppError("LIMIT_EXCEEDED", "The wallet is full.");
    await tx.order.update({ where: { id: orderId }, data: { status: "REFUNDED", refundedAt: new Date(), refundedById: userId } });
    return { orderId, refundedMinor: order.totalMinor, balanceAfterMinor: entry.balanceAfterMinor };
  });
}
