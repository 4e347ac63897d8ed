// The wallet (DESIGN.md, Checkout): one per fan and currency, its balance always the sum of an append-only
// ledger, changed only together with a ledger entry in one transaction. Money is integer minor units.
import { z } from "zod";
import { prisma, type Db, type DbTx } from "../../db.ts";
import type { Currency, LedgerType } from "../../generated/prisma/enums.ts";
import { AppError } from "../errors.ts";
import { formatMoney } from "../money.ts";
import { refuseInProduction, type Pause } from "../protections.ts";
import { BALANCE_MAX, ZCurrency, ZTopUpInput, type TTopUpInput } from "./schemas.ts";
import { ZPageDirection, newestFirst, nextCursorOf } from "../paging.ts";
import { ZId } from "../ids.ts";

export { BALANCE_MAX, TOP_UP_MAX, ZCurrency, ZIdempotencyKey, ZTopUpInput, type TTopUpInput } from "./schemas.ts";

export type LedgerItem = {
  id: string;
  type: LedgerType;
  amountMinor: number;
  balanceAfterMinor: number;
  currency: Currency;
  orderId: string | null;
  createdAt: Date;
};

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** The fan's wallet in a currency, created empty on first use. */
export async function ensureWallet(tx: DbTx, userId: string, currency: Currency): Promise<string> {
  const [row] = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "Wallet" (id, "userId", currency, "updatedAt") VALUES (${`w_${crypto.randomUUID()}`}, ${userId}, ${currency}::"Currency", now())
    ON CONFLICT ("userId", currency) DO UPDATE SET currency = EXCLUDED.currency
    RETURNING id`;
  return row!.id;
}

/**
 * Moves a wallet's balance by `amountMinor` (negative to pay) and appends the ledger entry, in the
 * caller's transaction. The balance moves only if it stays within 0..BALANCE_MAX; otherwise nothing
 * changes and the answer is null.
 */
export async function postLedgerEntry(
  tx: Tx,
  entry: { userId: string; currency: Currency; type: LedgerType; amountMinor: number; orderId?: string; idempotencyKey?: string },
): Promise<LedgerItem | null> {
  const walletId = await ensureWallet(tx, entry.userId, entry.currency);
  const [moved] = await tx.$queryRaw<{ balanceMinor: number }[]>`
    UPDATE "Wallet" SET "balanceMinor" = "balanceMinor" + ${entry.amountMinor}, "updatedAt" = now()
    WHERE id = ${walletId} AND "balanceMinor" + ${entry.amountMinor} BETWEEN 0 AND ${BALANCE_MAX[entry.currency]}
    RETURNING "balanceMinor"`;
  if (!moved) return null;
  return tx.ledgerEntry.create({
    data: {
      walletId,
      userId: entry.userId,
      type: entry.type,
      amountMinor: entry.amountMinor,
      balanceAfterMinor: moved.balanceMinor,
      currency: entry.currency,
      orderId: entry.orderId ?? null,
      idempotencyKey: entry.idempotencyKey ?? null,
    },
    select: { id: true, type: true, amountMinor: true, balanceAfterMinor: true, currency: true, orderId: true, createdAt: true },
  });
}

const isUniqueViolation = (err: unknown) => (err as { code?: string })?.code === "P2002";

/**
 * Test-only switches (../protections.ts). A top-up's protection is the unique index on (user, key): the
 * replay below only saves a round trip, and the index decides a race. `pause` runs between the replay
 * and the credit, so every racer with one key gets past the replay; a control then drops the index.
 */
export type TopUpProtections = { pause?: Pause };

/** Adds money to the wallet. The same idempotency key again returns the first top-up and charges nothing. */
export async function topUpWallet(
  input: TTopUpInput,
  userId: string,
  { db = prisma(), protections }: { db?: Db; protections?: TopUpProtections } = {},
): Promise<LedgerItem> {
  const { currency, amountMinor, idempotencyKey } = ZTopUpInput.parse(input);
  refuseInProduction("topUpWallet", protections);
  const replay = async () => {
    const first = await db.ledgerEntry.findUnique({
      where: { userId_idempotencyKey: { userId, idempotencyKey } },
      select: { id: true, type: true, amountMinor: true, balanceAfterMinor: true, currency: true, orderId: true, createdAt: true },
    });
    if (first && (first.type !== "CHARGE" || first.amountMinor !== amountMinor || first.currency !== currency)) {
      throw new AppError("CONFLICT", "That idempotency key was already used for a different request.");
    }
    return first;
  };
  const earlier = await replay();
  if (earlier) return earlier;
  if (protections?.pause) await protections.pause();
  try {
    return await db.$transaction(async (tx) => {
      const entry = await postLedgerEntry(tx, { userId, currency, type: "CHARGE", amountMinor, idempotencyKey });
      if (!entry) {
        throw new AppError("LIMIT_EXCEEDED", `A wallet can hold at most ${formatMoney(BALANCE_MAX[currency], currency)}.`, {
          maxBalanceMinor: BALANCE_MAX[currency],
        });
      }
      return entry;
    });
  } catch (err) {
    // A parallel request with the same key committed first: answer with its result.
    if (isUniqueViolation(err)) {
      const first = await replay();
      if (first) return first;
    }
    throw err;
  }
}

export type WalletBalance = { currency: Currency; balanceMinor: number; updatedAt: Date | null };

/** Balances in every currency, zero where the fan has no wallet yet. */
export async function getWallets(userId: string, { db = prisma() }: { db?: DbTx } = {}): Promise<WalletBalance[]> {
  const wallets = await db.wallet.findMany({ where: { userId }, select: { currency: true, balanceMinor: true, updatedAt: true } });
  return ZCurrency.options.map(
    (currency) => wallets.find((w) => w.currency === currency) ?? { currency, balanceMinor: 0, updatedAt: null },
  );
}

export const ZLedgerInput = z.strictObject({
  currency: ZCurrency.optional(),
  cursor: ZId.optional(),
  limit: z.number().int().min(1).max(100).default(20),
  direction: ZPageDirection,
});

/** The fan's ledger, newest first, a page at a time. */
export async function listLedger(
  input: z.input<typeof ZLedgerInput>,
  userId: string,
  { db = prisma() }: { db?: DbTx } = {},
): Promise<{ items: LedgerItem[]; nextCursor: string | null }> {
  const { currency, cursor, limit } = ZLedgerInput.parse(input);
  const rows = await db.ledgerEntry.findMany({
    where: { userId, ...(currency ? { currency } : {}) },
    ...newestFirst(cursor, limit),
    select: { id: true, type: true, amountMinor: true, balanceAfterMinor: true, currency: true, orderId: true, createdAt: true },
  });
  const items = rows.slice(0, limit);
  return { items, nextCursor: nextCursorOf(rows.length, limit, items) };
}
