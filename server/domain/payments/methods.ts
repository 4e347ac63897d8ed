// A fan's saved cards. The card itself stays with the provider: a token from the provider's client side
// (the card form) is attached there, and Onsale keeps the reference, brand, last four and expiry. One
// card is the default (a partial unique index backs it); a fan's first card becomes it, and removing the
// default hands it to the newest card left. Every change takes the fan's own lock, so two at once (two
// tabs adding a first card) cannot both make a default.
import { z } from "zod";
import { prisma, type Db } from "../../db.ts";
import { AppError } from "../errors.ts";
import { ZId } from "../ids.ts";
import { refuseInProduction, type Pause } from "../protections.ts";
import { ZIdempotencyKey } from "../wallet/schemas.ts";
import { paymentProvider } from "./config.ts";
import { ProviderRefusal, type PaymentProvider } from "./provider.ts";

/** How many cards a fan may keep. */
export const MAX_CARDS = 10;

export const ZAddCardInput = z.strictObject({
  // A processor's token (tok_…), never anything that could be a card number.
  token: z
    .string()
    .trim()
    .regex(/^tok_[A-Za-z0-9_]{1,100}$/, "Enter the card again."),
  idempotencyKey: ZIdempotencyKey,
});
export const ZCardIdInput = z.strictObject({ methodId: ZId });

export type SavedCard = {
  id: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  isDefault: boolean;
  /** The card's last month is over: it is kept, but cannot pay. */
  expired: boolean;
  createdAt: Date;
};

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * Test-only switches (../protections.ts): `userLock` false lets two changes of one fan's cards run at once;
 * `pause` runs between an add's look for a default and its insert (under the lock, so only a control
 * without it can line racers up there).
 */
export type CardProtections = { userLock?: boolean; pause?: Pause };

function expiredAt(expMonth: number, expYear: number, now: Date): boolean {
  return expYear < now.getUTCFullYear() || (expYear === now.getUTCFullYear() && expMonth < now.getUTCMonth() + 1);
}

function toSaved(row: Omit<SavedCard, "expired">, now: Date): SavedCard {
  return { ...row, expired: expiredAt(row.expMonth, row.expYear, now) };
}

const CARD_SELECT = { id: true, brand: true, last4: true, expMonth: true, expYear: true, isDefault: true, createdAt: true } as const;

async function lockFan(tx: Tx, userId: string, protections?: CardProtections) {
  if (protections?.userLock === false) return;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('payment-methods'), hashtext(${userId}))`;
}

/** The fan's cards, the default first, then newest first. */
export async function listCards(userId: string, { db = prisma(), now = new Date() }: { db?: Db; now?: Date } = {}): Promise<SavedCard[]> {
  const rows = await db.paymentMethod.findMany({
    where: { userId, removedAt: null },
    orderBy: [{ isDefault: "desc" }, { createdAt: "desc" }, { id: "desc" }],
    select: CARD_SELECT,
  });
  return rows.map((r) => toSaved(r, now));
}

/** Attaches the card behind `token` at the provider and saves it; the fan's first card becomes the default. */
export async function addCard(
  input: z.input<typeof ZAddCardInput>,
  userId: string,
  {
    db = prisma(),
    provider: given,
    now = new Date(),
    protections,
  }: { db?: Db; provider?: PaymentProvider; now?: Date; protections?: CardProtections } = {},
): Promise<SavedCard> {
  refuseInProduction("addCard", protections);
  const { token, idempotencyKey } = ZAddCardInput.parse(input);
  const full = () => new AppError("LIMIT_EXCEEDED", `You can keep at most ${MAX_CARDS} cards. Remove one to add another.`);
  const count = (q: Db | Tx) => q.paymentMethod.count({ where: { userId, removedAt: null } });
  // Looked at first so a full list costs the processor nothing; counted again under the fan's lock.
  if ((await count(db)) >= MAX_CARDS) throw full();
  const provider = given ?? paymentProvider();
  const card = await provider.attachCard(token, { idempotencyKey: `${userId}:${idempotencyKey}` }).catch((err: unknown) => {
    if (err instanceof ProviderRefusal && err.reason === "key_reused") {
      throw new AppError("CONFLICT", "That idempotency key was already used for another card.");
    }
    if (err instanceof ProviderRefusal) throw new AppError("VALIDATION_FAILED", "We couldn't read that card. Please enter it again.");
    throw err;
  });
  if (expiredAt(card.expMonth, card.expYear, now)) {
    throw new AppError("VALIDATION_FAILED", "That card has expired. Please use another one.", {
      fields: { token: "The card has expired." },
    });
  }
  return db.$transaction(async (tx) => {
    await lockFan(tx, userId, protections);
    // The same card attached again (a retried request) is the card saved the first time.
    const existing = await tx.paymentMethod.findUnique({
      where: { provider_methodRef: { provider: provider.name, methodRef: card.methodRef } },
      select: { ...CARD_SELECT, userId: true, removedAt: true },
    });
    if (existing && existing.userId === userId && !existing.removedAt) return toSaved(existing, now);
    if (existing) throw new AppError("CONFLICT", "That card reference is already used.");
    if ((await count(tx)) >= MAX_CARDS) throw full();
    const hasDefault = (await tx.paymentMethod.count({ where: { userId, removedAt: null, isDefault: true } })) > 0;
    await protections?.pause?.();
    const row = await tx.paymentMethod.create({
      data: {
        userId,
        provider: provider.name,
        methodRef: card.methodRef,
        brand: card.brand,
        last4: card.last4,
        expMonth: card.expMonth,
        expYear: card.expYear,
        isDefault: !hasDefault,
      },
      select: CARD_SELECT,
    });
    return toSaved(row, now);
  });
}

async function ownCard(tx: Tx, methodId: string, userId: string) {
  const card = await tx.paymentMethod.findFirst({
    where: { id: methodId, userId, removedAt: null },
    select: { id: true, isDefault: true },
  });
  // Another fan's card is answered as missing: its existence is not the caller's to know.
  if (!card) throw new AppError("NOT_FOUND", "We couldn't find that card.");
  return card;
}

/** Makes one of the fan's cards the default. */
export async function setDefaultCard(
  input: z.input<typeof ZCardIdInput>,
  userId: string,
  { db = prisma(), protections }: { db?: Db; protections?: CardProtections } = {},
): Promise<{ ok: true }> {
  refuseInProduction("setDefaultCard", protections);
  const { methodId } = ZCardIdInput.parse(input);
  await db.$transaction(async (tx) => {
    await lockFan(tx, userId, protections);
    await ownCard(tx, methodId, userId);
    await tx.paymentMethod.updateMany({ where: { userId, isDefault: true, NOT: { id: methodId } }, data: { isDefault: false } });
    await tx.paymentMethod.update({ where: { id: methodId }, data: { isDefault: true } });
  });
  return { ok: true };
}

/** Removes a card from the fan's list (its row stays for the payments that name it); the newest card left becomes the default. */
export async function removeCard(
  input: z.input<typeof ZCardIdInput>,
  userId: string,
  { db = prisma(), now = new Date() }: { db?: Db; now?: Date } = {},
): Promise<{ ok: true }> {
  const { methodId } = ZCardIdInput.parse(input);
  await db.$transaction(async (tx) => {
    await lockFan(tx, userId);
    const card = await ownCard(tx, methodId, userId);
    await tx.paymentMethod.update({ where: { id: methodId }, data: { removedAt: now, isDefault: false } });
    if (!card.isDefault) return;
    const next = await tx.paymentMethod.findFirst({
      where: { userId, removedAt: null },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: { id: true },
    });
    if (next) await tx.paymentMethod.update({ where: { id: next.id }, data: { isDefault: true } });
  });
  return { ok: true };
}
