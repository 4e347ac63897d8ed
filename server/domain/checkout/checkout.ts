// Checkout (DESIGN.md): a live hold becomes an order in one transaction: hold locked and checked, wallet
// debited conditionally, ledger entry, payment, order, one ticket per seat, seats SOLD, hold CONVERTED.
// An idempotency key makes a retried or double-clicked payment return the first order.
import { randomBytes, randomUUID } from "node:crypto";
import { z } from "zod";
import { prisma, type Db } from "../../db.ts";
import type { Currency } from "../../generated/prisma/enums.ts";
import { AppError } from "../errors.ts";
import { ZId } from "../ids.ts";
import { formatMoney } from "../money.ts";
import { ZIdempotencyKey } from "../wallet/wallet.ts";
import { MAX_SEATS_PER_HOLD } from "../holds/holds.ts";
import { publishSeatChanges } from "../seatmap/events.ts";
import { revokeAccess } from "../waiting-room/queue.ts";

export const ZCheckoutInput = z.strictObject({ holdId: ZId, idempotencyKey: ZIdempotencyKey });
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

/** The order an earlier payment with this key made (charged: false), or null; another hold's key is a CONFLICT. One query. */
export async function replayOrder(db: Db | Tx, userId: string, idempotencyKey: string, holdId: string): Promise<CheckoutResult | null> {
  const [order] = await db.$queryRaw<
    {
      id: string;
      showtimeId: string;
      holdId: string;
      totalMinor: number;
      currency: Currency;
      seatIds: number[] | null;
      balanceAfterMinor: number | null;
    }[]
  >`
    SELECT o.id, o."showtimeId", o."holdId", o."totalMinor", o.currency::text AS currency,
           (SELECT array_agg(t."seatId" ORDER BY t."seatId") FROM "Ticket" t WHERE t."orderId" = o.id) AS "seatIds",
           (SELECT l."balanceAfterMinor" FROM "Payment" p JOIN "LedgerEntry" l ON l.id = p."ledgerEntryId"
             WHERE p."orderId" = o.id) AS "balanceAfterMinor"
    FROM "Order" o WHERE o."userId" = ${userId} AND o."idempotencyKey" = ${idempotencyKey}`;
  if (!order) return null;
  if (order.holdId !== holdId) throw new AppError("CONFLICT", "That idempotency key was already used for another payment.");
  return {
    orderId: order.id,
    showtimeId: order.showtimeId,
    holdId: order.holdId,
    seatIds: order.seatIds ?? [],
    totalMinor: order.totalMinor,
    currency: order.currency,
    balanceAfterMinor: order.balanceAfterMinor ?? 0,
    charged: false,
  };
}

type CheckoutRow = {
  outcome: "OK" | "NOT_FOUND" | "CONVERTED" | "HOLD_EXPIRED" | "INSUFFICIENT_FUNDS" | "DUPLICATE_KEY";
  seat_ids: number[] | null;
  total_minor: number;
  currency: Currency | null;
  balance_minor: number;
  balance_after_minor: number;
};

function insufficientFunds(balanceMinor: number, totalMinor: number, currency: Currency) {
  return new AppError(
    "INSUFFICIENT_FUNDS",
    `Your wallet has ${formatMoney(balanceMinor, currency)}; these seats cost ${formatMoney(totalMinor, currency)}. Top up ${formatMoney(totalMinor - balanceMinor, currency)} to pay.`,
    { balanceMinor, totalMinor, shortMinor: totalMinor - balanceMinor, currency },
  );
}

/**
 * A hold of the caller's that an order already paid (another tab, a new key): a conflict naming the order,
 * so the page can send the fan to it rather than back to the queue. Null when the hold is not paid.
 */
async function alreadyPaid(db: Db, userId: string, holdId: string): Promise<AppError | null> {
  const order = await db.order.findFirst({ where: { holdId, userId }, select: { id: true, status: true } });
  if (!order) return null;
  const details = { orderId: order.id, status: order.status };
  if (order.status === "REFUNDED") {
    return new AppError("CONFLICT", "These seats were paid for, and that order has been refunded. Please choose seats again.", details);
  }
  return new AppError("CONFLICT", "You've already paid for these seats. Your tickets are on the order.", details);
}

const HOLD_ENDED = "Your hold on these seats has ended, so they may have gone to someone else. Please choose seats again.";

/**
 * Pays for a live hold, behind `gate` (the waiting room's, for the routers). A payment replayed with the
 * same key answers with the first order. The payment itself is one call of the database function
 * `onsale_checkout` (its home: checkout.sql): one transaction of the DESIGN.md steps that
 * returns before its first write on every refusal, so a request holds a pooled connection for one round trip.
 */
export async function checkoutHold(
  ref: { userId: string; showtimeId: string } & TCheckoutInput,
  { db = prisma(), now = new Date(), gate }: { db?: Db; now?: Date; gate?: () => Promise<unknown> } = {},
): Promise<CheckoutResult> {
  const { holdId, idempotencyKey } = ZCheckoutInput.parse({ holdId: ref.holdId, idempotencyKey: ref.idempotencyKey });
  const { userId } = ref;
  // A retry answers the first order even though paying ended the fan's access, so the replay comes
  // before the waiting-room gate: a client that lost the first answer is never charged twice nor sent
  // back to the queue.
  const earlier = await replayOrder(db, userId, idempotencyKey, holdId);
  if (earlier) return earlier;
  if (gate) {
    try {
      await gate();
    } catch (err) {
      // A double click's twin may have paid (and ended the access) between our look and the gate.
      const paidMeanwhile = await replayOrder(db, userId, idempotencyKey, holdId);
      if (paidMeanwhile) return paidMeanwhile;
      // Paying ended the fan's turn: a second payment of the paid hold hears of the order, not of the queue.
      throw (await alreadyPaid(db, userId, holdId)) ?? err;
    }
  }
  const orderId = randomUUID();
  const codes = Array.from({ length: MAX_SEATS_PER_HOLD }, newTicketCode);
  const [row] = await db.$queryRaw<CheckoutRow[]>`
    SELECT * FROM onsale_checkout(${holdId}, ${userId}, ${ref.showtimeId}, ${idempotencyKey}, ${orderId}, ${codes}::text[], ${now}::timestamp(3))`;
  switch (row!.outcome) {
    case "OK": {
      const seatIds = row!.seat_ids!;
      // After commit: the purchase ends the fan's turn (DESIGN.md), and every open map sees the seats sold.
      await Promise.all([revokeAccess(ref.showtimeId, userId), publishSeatChanges(ref.showtimeId, seatIds, "SOLD")]);
      return {
        orderId,
        showtimeId: ref.showtimeId,
        holdId,
        seatIds,
        totalMinor: row!.total_minor,
        currency: row!.currency!,
        balanceAfterMinor: row!.balance_after_minor,
        charged: true,
      };
    }
    case "NOT_FOUND":
      throw new AppError("NOT_FOUND", "We couldn't find that hold.");
    case "HOLD_EXPIRED":
      throw new AppError("HOLD_EXPIRED", HOLD_ENDED);
    case "INSUFFICIENT_FUNDS":
      throw insufficientFunds(row!.balance_minor, row!.total_minor, row!.currency!);
    case "CONVERTED":
    case "DUPLICATE_KEY": {
      // A parallel payment won: with this key it answers with its order; the key on another hold, or
      // another key on this hold, is a conflict.
      const replay = await replayOrder(db, userId, idempotencyKey, holdId);
      if (replay) return replay;
      if (row!.outcome === "CONVERTED")
        throw (await alreadyPaid(db, userId, holdId)) ?? new AppError("CONFLICT", "These seats are already paid for.");
      throw new AppError("CONFLICT", "That idempotency key was already used for another payment.");
    }
  }
}
