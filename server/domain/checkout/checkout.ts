// Checkout (DESIGN.md): a live hold becomes an order in one transaction: hold locked and checked, wallet
// debited conditionally, ledger entry, payment, order, one ticket per seat, seats SOLD, hold CONVERTED.
// An idempotency key makes a retried or double-clicked payment return the first order.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { prisma, type Db } from "../../db.ts";
import type { Currency } from "../../generated/prisma/enums.ts";
import { AppError } from "../errors.ts";
import { ZId } from "../catalog/schemas.ts";
import { formatMoney } from "../money.ts";
import { postLedgerEntry, ZIdempotencyKey } from "../wallet/wallet.ts";

export const ZCheckoutInput = z.object({ holdId: ZId, idempotencyKey: ZIdempotencyKey });
export type TCheckoutInput = z.infer<typeof ZCheckoutInput>;

export type CheckoutResult = {
  orderId: string;
  showtimeId: string;
  holdId: string;
  seatIds: number[];
  totalMinor: number;
  currency: Currency;
  balanceAfterMinor: number;
  /** False when this answer replays an earlier payment with the same key (nothing was charged now). */
  charged: boolean;
};

/** What the QR code carries: 128 random bits, unguessable. */
export function newTicketCode(): string {
  return randomBytes(16).toString("base64url");
}

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** The order an earlier payment with this key made (charged: false), or null; another hold's key is a CONFLICT. */
export async function replayOrder(db: Db | Tx, userId: string, idempotencyKey: string, holdId: string): Promise<CheckoutResult | null> {
  const order = await db.order.findUnique({
    where: { userId_idempotencyKey: { userId, idempotencyKey } },
    select: {
      id: true,
      showtimeId: true,
      holdId: true,
      totalMinor: true,
      currency: true,
      tickets: { select: { seatId: true } },
      payment: { select: { ledgerEntry: { select: { balanceAfterMinor: true } } } },
    },
  });
  if (!order) return null;
  if (order.holdId !== holdId) throw new AppError("CONFLICT", "That idempotency key was already used for another payment.");
  return {
    orderId: order.id,
    showtimeId: order.showtimeId,
    holdId: order.holdId,
    seatIds: order.tickets.map((t) => t.seatId).sort((a, b) => a - b),
    totalMinor: order.totalMinor,
    currency: order.currency,
    balanceAfterMinor: order.payment?.ledgerEntry.balanceAfterMinor ?? 0,
    charged: false,
  };
}

const isUniqueViolation = (err: unknown) => (err as { code?: string })?.code === "P2002";

export async function checkoutHold(
  ref: { userId: string; showtimeId: string } & TCheckoutInput,
  { db = prisma, now = new Date() }: { db?: Db; now?: Date } = {},
): Promise<CheckoutResult> {
  const { holdId, idempotencyKey } = ZCheckoutInput.parse(ref);
  const { userId } = ref;
  const earlier = await replayOrder(db, userId, idempotencyKey, holdId);
  if (earlier) return earlier;
  try {
    return await db.$transaction(async (tx) => {
      // 1. The hold, locked: a racing expiry, release or second payment waits for this one to finish.
      const [hold] = await tx.$queryRaw<{ userId: string; showtimeId: string; status: string; heldUntil: Date; seatCount: number }[]>`
        SELECT "userId", "showtimeId", status::text, "heldUntil", "seatCount" FROM "Hold" WHERE id = ${holdId} FOR UPDATE`;
      if (!hold || hold.userId !== userId || hold.showtimeId !== ref.showtimeId) {
        throw new AppError("NOT_FOUND", "We couldn't find that hold.");
      }
      if (hold.status === "CONVERTED") {
        // A parallel payment with the same key won the lock: answer with its order.
        const replay = await replayOrder(tx, userId, idempotencyKey, holdId);
        if (replay) return replay;
        throw new AppError("CONFLICT", "These seats are already paid for.");
      }
      if (hold.status !== "ACTIVE" || hold.heldUntil.getTime() <= now.getTime()) {
        throw new AppError("HOLD_EXPIRED", "Your hold on these seats has ended, so they may have gone to someone else. Please choose seats again.");
      }

      // 2. The seats, still this hold's and not run out, become SOLD; all of them or nothing.
      const seats = await tx.$queryRaw<{ id: number; priceMinor: number; feeMinor: number; currency: Currency }[]>`
        UPDATE "Seat" s SET status = 'SOLD', "heldUntil" = NULL, "updatedAt" = now()
        FROM "PriceTier" t
        WHERE s."holdId" = ${holdId} AND s.status = 'HELD' AND s."heldUntil" > ${now} AND t.id = s."priceTierId"
        RETURNING s.id, t."priceMinor", t."feeMinor", t.currency::text AS currency`;
      if (seats.length !== hold.seatCount) {
        throw new AppError("HOLD_EXPIRED", "Your hold on these seats has ended, so they may have gone to someone else. Please choose seats again.");
      }
      const currency = seats[0]!.currency;
      const subtotalMinor = seats.reduce((sum, s) => sum + s.priceMinor, 0);
      const feesMinor = seats.reduce((sum, s) => sum + s.feeMinor, 0);
      const totalMinor = subtotalMinor + feesMinor;

      // 3. The order, then the wallet debited only if it covers the total.
      const order = await tx.order.create({
        data: { userId, showtimeId: hold.showtimeId, holdId, subtotalMinor, feesMinor, totalMinor, currency, idempotencyKey },
        select: { id: true },
      });
      const entry = await postLedgerEntry(tx, { userId, currency, type: "PAYMENT", amountMinor: -totalMinor, orderId: order.id });
      if (!entry) {
        const wallet = await tx.wallet.findUnique({ where: { userId_currency: { userId, currency } }, select: { balanceMinor: true } });
        const balanceMinor = wallet?.balanceMinor ?? 0;
        throw new AppError(
          "INSUFFICIENT_FUNDS",
          `Your wallet has ${formatMoney(balanceMinor, currency)}; these seats cost ${formatMoney(totalMinor, currency)}. Top up ${formatMoney(totalMinor - balanceMinor, currency)} to pay.`,
          { balanceMinor, totalMinor, shortMinor: totalMinor - balanceMinor, currency },
        );
      }

      // 4. Payment, tickets, and the hold done.
      await tx.payment.create({ data: { orderId: order.id, userId, amountMinor: totalMinor, currency, ledgerEntryId: entry.id } });
      await tx.ticket.createMany({
        data: seats.map((s) => ({
          orderId: order.id,
          seatId: s.id,
          ownerId: userId,
          code: newTicketCode(),
          priceMinor: s.priceMinor,
          feeMinor: s.feeMinor,
          currency,
        })),
      });
      await tx.hold.update({ where: { id: holdId }, data: { status: "CONVERTED" } });
      return {
        orderId: order.id,
        showtimeId: hold.showtimeId,
        holdId,
        seatIds: seats.map((s) => s.id).sort((a, b) => a - b),
        totalMinor,
        currency,
        balanceAfterMinor: entry.balanceAfterMinor,
        charged: true,
      };
    });
  } catch (err) {
    // The same key committed by a parallel request for another hold of this fan: the unique key refuses ours.
    if (isUniqueViolation(err)) {
      const replay = await replayOrder(db, userId, idempotencyKey, holdId);
      if (replay) return replay;
    }
    throw err;
  }
}
