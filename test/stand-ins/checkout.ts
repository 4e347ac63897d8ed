// The races the one locked statement `onsale_checkout` (checkout.ts) prevents, for negative controls:
// read the hold, its seats and the wallet without locking them, then write what was read, the balance as
// an absolute figure (a hold paid while it ends, a balance spent twice). `pause` runs between the reads
// and the writes. The unique indexes (one order per hold and per key, one valid ticket per seat) still
// stand behind it unless a control drops them.
import { randomUUID } from "node:crypto";
import { prisma, type Db } from "../../server/db.ts";
import { newTicketCode, replayOrder, type CheckoutResult } from "../../server/domain/checkout/checkout.ts";
import { AppError } from "../../server/domain/errors.ts";
import type { Pause } from "../../server/domain/protections.ts";

export async function readThenWriteCheckout(
  ref: { userId: string; showtimeId: string; holdId: string; idempotencyKey: string },
  { db = prisma(), now = new Date(), pause }: { db?: Db; now?: Date; pause?: Pause } = {},
): Promise<CheckoutResult> {
  const { userId, showtimeId, holdId, idempotencyKey } = ref;
  const earlier = await replayOrder(db, userId, idempotencyKey, holdId);
  if (earlier) return earlier;
  const orderId = randomUUID();
  const hold = await db.hold.findUnique({
    where: { id: holdId },
    select: { userId: true, showtimeId: true, status: true, heldUntil: true, seatCount: true },
  });
  if (!hold || hold.userId !== userId || hold.showtimeId !== showtimeId) throw new AppError("NOT_FOUND", "We couldn't find that hold.");
  if (hold.status === "CONVERTED") throw new AppError("CONFLICT", "These seats are already paid for.");
  if (hold.status !== "ACTIVE" || hold.heldUntil <= now) throw new AppError("HOLD_EXPIRED", "Your hold on these seats has ended.");
  const seats = await db.seat.findMany({
    where: { holdId, status: "HELD", heldUntil: { gt: now } },
    orderBy: { id: "asc" },
    select: { id: true, priceTier: { select: { priceMinor: true, feeMinor: true, currency: true } } },
  });
  if (seats.length !== hold.seatCount || seats.length === 0) throw new AppError("HOLD_EXPIRED", "Your hold on these seats has ended.");
  const currency = seats[0]!.priceTier.currency;
  const subtotalMinor = seats.reduce((n, s) => n + s.priceTier.priceMinor, 0);
  const feesMinor = seats.reduce((n, s) => n + s.priceTier.feeMinor, 0);
  const totalMinor = subtotalMinor + feesMinor;
  const wallet = await db.wallet.findUnique({ where: { userId_currency: { userId, currency } }, select: { id: true, balanceMinor: true } });
  if (!wallet || wallet.balanceMinor < totalMinor) {
    throw new AppError("INSUFFICIENT_FUNDS", "Your wallet is short.", { balanceMinor: wallet?.balanceMinor ?? 0, totalMinor, currency });
  }
  await pause?.();
  const balanceAfterMinor = wallet.balanceMinor - totalMinor;
  const seatIds = seats.map((s) => s.id);
  const codes = seatIds.map(() => newTicketCode());
  const ledgerId = randomUUID();
  // One statement, so 600 racers get through a pool of 10 quickly; it writes only what was read.
  await db.$executeRaw`
    WITH o AS (
      INSERT INTO "Order" (id, "userId", "showtimeId", "holdId", "subtotalMinor", "feesMinor", "totalMinor", currency, "idempotencyKey")
      VALUES (${orderId}, ${userId}, ${showtimeId}, ${holdId}, ${subtotalMinor}, ${feesMinor}, ${totalMinor}, ${currency}::"Currency", ${idempotencyKey})
    ),
    w AS (UPDATE "Wallet" SET "balanceMinor" = ${balanceAfterMinor}, "updatedAt" = now() WHERE id = ${wallet.id}),
    l AS (
      INSERT INTO "LedgerEntry" (id, "walletId", "userId", type, "amountMinor", "balanceAfterMinor", currency, "orderId")
      VALUES (${ledgerId}, ${wallet.id}, ${userId}, 'PAYMENT', ${-totalMinor}, ${balanceAfterMinor}, ${currency}::"Currency", ${orderId})
    ),
    p AS (
      INSERT INTO "Payment" (id, "orderId", "userId", "amountMinor", currency, "ledgerEntryId")
      VALUES (gen_random_uuid()::text, ${orderId}, ${userId}, ${totalMinor}, ${currency}::"Currency", ${ledgerId})
    ),
    t AS (
      INSERT INTO "Ticket" (id, "orderId", "seatId", "ownerId", code, "priceMinor", "feeMinor", currency, "updatedAt")
      SELECT gen_random_uuid()::text, ${orderId}, u.seat, ${userId}, u.code, u.price, u.fee, ${currency}::"Currency", now()
      FROM unnest(${seatIds}::int[], ${codes}::text[], ${seats.map((s) => s.priceTier.priceMinor)}::int[],
                  ${seats.map((s) => s.priceTier.feeMinor)}::int[]) AS u(seat, code, price, fee)
    ),
    s AS (UPDATE "Seat" SET status = 'SOLD', "heldUntil" = NULL, "updatedAt" = now() WHERE id = ANY(${seatIds}::int[]))
    UPDATE "Hold" SET status = 'CONVERTED', "updatedAt" = now() WHERE id = ${holdId}`;
  return { orderId, showtimeId, holdId, seatIds, totalMinor, currency, balanceAfterMinor, charged: true };
}
