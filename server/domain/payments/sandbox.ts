// The sandbox card processor: a PaymentProvider (provider.ts) that runs inside Onsale's own processes,
// for development, tests and the simulator, and behaves like a real one. It keeps its own books in its
// own tables (SandboxCard, SandboxPayment, SandboxRequest, SandboxEvent), which nothing else reads.
//
// - Test cards by token, in Stripe's style: tok_visa (tok_visa_4242) and tok_mastercard succeed;
//   tok_chargeDeclined, tok_chargeDeclinedInsufficientFunds, tok_chargeDeclinedExpiredCard and
//   tok_chargeDeclinedProcessingError are declined for that reason when charged; tok_visa_slow succeeds
//   after `slowMs`.
// - An authorization expires after `authTtlMs` (a real card's lasts about seven days): it can no longer
//   be captured, and voiding it is a no-op.
// - The same idempotency key answers the same; the same key with other parameters is refused, as real
//   processors do.
// - Every change writes an event, signed like a webhook (`t=<unix seconds>,v1=<HMAC-SHA256 of
//   "t.body">`); the worker delivers them, some twice and out of order.
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { prisma, type Db } from "../../db.ts";
import type { Currency } from "../../generated/prisma/enums.ts";
import { refuseInProduction, type Pause } from "../protections.ts";
import {
  BadSignature,
  ProviderRefusal,
  type AttachedCard,
  type AuthorizeRequest,
  type AuthorizeResult,
  type DeclineCode,
  type PaymentProvider,
  type ProviderEvent,
  type ProviderEventType,
  type ProviderPayment,
  type ProviderPaymentStatus,
} from "./provider.ts";

type TestCard = { brand: string; last4: string; outcome: "ok" | "slow" | DeclineCode };

/** The test cards, by token. */
export const SANDBOX_CARDS: Record<string, TestCard> = {
  tok_visa: { brand: "visa", last4: "4242", outcome: "ok" },
  tok_visa_4242: { brand: "visa", last4: "4242", outcome: "ok" },
  tok_mastercard: { brand: "mastercard", last4: "4444", outcome: "ok" },
  tok_visa_slow: { brand: "visa", last4: "3220", outcome: "slow" },
  tok_chargeDeclined: { brand: "visa", last4: "0002", outcome: "card_declined" },
  tok_chargeDeclinedInsufficientFunds: { brand: "visa", last4: "9995", outcome: "insufficient_funds" },
  tok_chargeDeclinedExpiredCard: { brand: "visa", last4: "0069", outcome: "expired_card" },
  tok_chargeDeclinedProcessingError: { brand: "visa", last4: "0119", outcome: "processing_error" },
};

const DECLINE_MESSAGES: Record<DeclineCode, string> = {
  card_declined: "Your card was declined.",
  insufficient_funds: "Your card has insufficient funds.",
  expired_card: "Your card has expired.",
  processing_error: "An error occurred while processing your card. Try again in a little bit.",
};

/** How far a webhook's timestamp may be from now before it is refused (a replayed old event). */
const SIGNATURE_TOLERANCE_S = 300;

export type SandboxOptions = {
  webhookSecret: string;
  db?: Db;
  /** How long an authorization lasts. */
  authTtlMs?: number;
  /** How long tok_visa_slow takes to answer. */
  slowMs?: number;
  clock?: () => Date;
  /** Sends events on once their change is committed (the worker delivers them to the webhook); none: kept only. */
  deliver?: (eventIds: string[]) => Promise<unknown>;
  protections?: SandboxProtections;
};

/**
 * A hook a negative control uses (../protections.ts). `requestLock` false: a request looks for an earlier
 * answer to its key, then does the work and keeps its answer, without first taking the key's row, so
 * parallel requests with one key each do the work; `pause` runs between the look and the work (with the
 * lock: before the key's row is taken, so a control's protected twin lines its racers up there too).
 */
export type SandboxProtections = { requestLock?: boolean; pause?: Pause };

type SandboxRow = {
  id: string;
  cardId: string;
  amountMinor: number;
  currency: Currency;
  status: string;
  declineCode: string | null;
  refundedMinor: number;
  metadata: unknown;
  expiresAt: Date;
};

/** A refusal kept as the answer to its idempotency key (and the run-out authorization's EXPIRED with it). */
type Refused = { refused: ProviderRefusal["reason"]; message: string };

function refusedOr<T>(answer: T | Refused): T {
  if (answer && typeof answer === "object" && "refused" in answer) throw new ProviderRefusal(answer.refused, answer.message);
  return answer as T;
}

function newId(prefix: string): string {
  return `${prefix}_sbx_${randomBytes(12).toString("base64url")}`;
}

/** The signature header of a body, as the sandbox sends it and Onsale checks it. */
export function signSandboxEvent(body: string, secret: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
  return `t=${t},v1=${v1}`;
}

export function sandboxProvider({
  webhookSecret,
  db = prisma(),
  authTtlMs = 7 * 24 * 3600_000,
  slowMs = 4_000,
  clock = () => new Date(),
  deliver,
  protections,
}: SandboxOptions): PaymentProvider {
  refuseInProduction("sandboxProvider", protections);

  /** The transactions' events, delivered once their transaction commits. */
  const pending = new WeakMap<object, string[]>();

  /** One transaction of the sandbox's books; the events it wrote go to `deliver` after it commits. */
  async function inBooks<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const events: string[] = [];
    const result = await db.$transaction(async (tx) => {
      pending.set(tx, events);
      return fn(tx as unknown as Db);
    });
    if (events.length && deliver) await deliver(events);
    return result;
  }

  /**
   * Runs `work` once per idempotency key: a second call with the key (even in parallel: it waits on the
   * first's row) gets the first answer; the key with other parameters is refused.
   */
  async function once<T>(op: string, key: string, params: unknown, work: (tx: Db) => Promise<T>): Promise<T> {
    const requestHash = createHash("sha256").update(JSON.stringify(params)).digest("hex");
    const id = `${op}:${key}`;
    if (protections?.requestLock === false) {
      const [seen] = await db.$queryRaw<{ response: T; answered: boolean }[]>`
        SELECT response, response IS NOT NULL AS answered FROM "SandboxRequest" WHERE key = ${id}`;
      if (seen?.answered) return seen.response;
      await protections.pause?.();
      return inBooks(async (tx) => {
        const response = await work(tx);
        await tx.$executeRaw`INSERT INTO "SandboxRequest" (key, "requestHash", response)
          VALUES (${id}, ${requestHash}, ${JSON.stringify(response ?? null)}::jsonb) ON CONFLICT DO NOTHING`;
        return response;
      });
    }
    return inBooks(async (tx) => {
      await protections?.pause?.();
      await tx.$executeRaw`INSERT INTO "SandboxRequest" (key, "requestHash") VALUES (${id}, ${requestHash}) ON CONFLICT DO NOTHING`;
      // An answer of null (a capture's, a void's) is kept as JSON null: "answered" is the column not being SQL NULL.
      const [row] = await tx.$queryRaw<{ requestHash: string; response: T; answered: boolean }[]>`
        SELECT "requestHash", response, response IS NOT NULL AS answered FROM "SandboxRequest" WHERE key = ${id} FOR UPDATE`;
      if (row!.requestHash !== requestHash) {
        throw new ProviderRefusal("key_reused", `The idempotency key ${key} was used for a ${op} with other parameters.`);
      }
      if (row!.answered) return row!.response;
      const response = await work(tx);
      await tx.$executeRaw`UPDATE "SandboxRequest" SET response = ${JSON.stringify(response ?? null)}::jsonb WHERE key = ${id}`;
      return response;
    });
  }

  async function emit(tx: Db, type: ProviderEventType, payment: SandboxRow, amountMinor: number) {
    const event = {
      id: newId("evt"),
      type,
      paymentRef: payment.id,
      occurredAt: clock().toISOString(),
      amountMinor,
      metadata: (payment.metadata ?? {}) as Record<string, string>,
    };
    await tx.sandboxEvent.create({ data: { id: event.id, type, paymentId: payment.id, payload: event } });
    pending.get(tx)?.push(event.id);
  }

  /** The payment locked (null: none), with a run-out authorization marked EXPIRED (and its event written) first. */
  async function lockPayment(tx: Db, paymentRef: string): Promise<SandboxRow | null> {
    const [row] = await tx.$queryRaw<SandboxRow[]>`
      SELECT id, "cardId", "amountMinor", currency::text AS currency, status, "declineCode", "refundedMinor", metadata, "expiresAt"
      FROM "SandboxPayment" WHERE id = ${paymentRef} FOR UPDATE`;
    if (!row) return null;
    if (row.status === "AUTHORIZED" && row.expiresAt <= clock()) {
      await tx.sandboxPayment.update({ where: { id: row.id }, data: { status: "EXPIRED" } });
      await emit(tx, "payment.expired", row, row.amountMinor);
      row.status = "EXPIRED";
    }
    return row;
  }

  async function setStatus(tx: Db, row: SandboxRow, status: ProviderPaymentStatus, type: ProviderEventType) {
    await tx.sandboxPayment.update({ where: { id: row.id }, data: { status } });
    await emit(tx, type, { ...row, status }, row.amountMinor);
  }

  return {
    name: "sandbox",

    async attachCard(token, { idempotencyKey }): Promise<AttachedCard> {
      const card = SANDBOX_CARDS[token];
      if (!card) throw new ProviderRefusal("not_found", `No such token: ${token}.`);
      return once("attach", idempotencyKey, { token }, async (tx) => {
        const now = clock();
        const saved = await tx.sandboxCard.create({
          data: { id: newId("pm"), token, brand: card.brand, last4: card.last4, expMonth: 12, expYear: now.getUTCFullYear() + 3 },
        });
        return { methodRef: saved.id, brand: saved.brand, last4: saved.last4, expMonth: saved.expMonth, expYear: saved.expYear };
      });
    },

    async authorize(request: AuthorizeRequest): Promise<AuthorizeResult> {
      const { amountMinor, currency, methodRef, idempotencyKey, description, metadata } = request;
      if (!Number.isInteger(amountMinor) || amountMinor <= 0)
        throw new Error(`Sandbox: amount must be a positive integer, got ${amountMinor}.`);
      const saved = await db.sandboxCard.findUnique({ where: { id: methodRef } });
      if (!saved) throw new ProviderRefusal("not_found", `No such payment method: ${methodRef}.`);
      const outcome = SANDBOX_CARDS[saved.token]!.outcome;
      if (outcome === "slow") await new Promise((r) => setTimeout(r, slowMs));
      return once("authorize", idempotencyKey, { amountMinor, currency, methodRef, description, metadata }, async (tx) => {
        const now = clock();
        const declined = outcome === "ok" || outcome === "slow" ? null : outcome;
        const row = await tx.sandboxPayment.create({
          data: {
            id: newId("pi"),
            cardId: methodRef,
            amountMinor,
            currency,
            status: declined ? "DECLINED" : "AUTHORIZED",
            declineCode: declined,
            description,
            metadata,
            expiresAt: new Date(now.getTime() + authTtlMs),
          },
        });
        const payment = { ...row, metadata } as SandboxRow;
        if (declined) {
          await emit(tx, "payment.declined", payment, amountMinor);
          return { ok: false as const, decline: declined, message: DECLINE_MESSAGES[declined], paymentRef: row.id };
        }
        await emit(tx, "payment.authorized", payment, amountMinor);
        return { ok: true as const, paymentRef: row.id, expiresAt: row.expiresAt.toISOString() };
      }).then((r) => (r.ok ? { ...r, expiresAt: new Date(r.expiresAt) } : r));
    },

    async capture(paymentRef, { idempotencyKey }) {
      const answer = await once("capture", idempotencyKey, { paymentRef }, async (tx): Promise<null | Refused> => {
        const row = await lockPayment(tx, paymentRef);
        if (!row) return { refused: "not_found", message: `No such payment: ${paymentRef}.` };
        if (row.status === "CAPTURED") return null;
        if (row.status === "EXPIRED")
          return { refused: "expired", message: "The authorization has expired; it can no longer be captured." };
        if (row.status !== "AUTHORIZED") {
          return { refused: "not_authorized", message: `The payment is ${row.status.toLowerCase()}; it cannot be captured.` };
        }
        await setStatus(tx, row, "CAPTURED", "payment.captured");
        return null;
      });
      refusedOr(answer);
    },

    async void(paymentRef, { idempotencyKey }) {
      const answer = await once("void", idempotencyKey, { paymentRef }, async (tx): Promise<null | Refused> => {
        const row = await lockPayment(tx, paymentRef);
        if (!row) return { refused: "not_found", message: `No such payment: ${paymentRef}.` };
        if (row.status === "VOIDED" || row.status === "EXPIRED" || row.status === "DECLINED") return null;
        if (row.status === "CAPTURED") return { refused: "not_authorized", message: "The payment was captured; refund it instead." };
        await setStatus(tx, row, "VOIDED", "payment.voided");
        return null;
      });
      refusedOr(answer);
    },

    async refund(paymentRef, { amountMinor, idempotencyKey }) {
      if (!Number.isInteger(amountMinor) || amountMinor <= 0)
        throw new Error(`Sandbox: refund must be a positive integer, got ${amountMinor}.`);
      const answer = await once(
        "refund",
        idempotencyKey,
        { paymentRef, amountMinor },
        async (tx): Promise<{ refundRef: string } | Refused> => {
          const row = await lockPayment(tx, paymentRef);
          if (!row) return { refused: "not_found", message: `No such payment: ${paymentRef}.` };
          if (row.status !== "CAPTURED") return { refused: "not_captured", message: "Only a captured payment can be refunded." };
          if (row.refundedMinor + amountMinor > row.amountMinor) {
            return { refused: "over_refund", message: "The refund is more than what is left of the payment." };
          }
          await tx.sandboxPayment.update({ where: { id: row.id }, data: { refundedMinor: { increment: amountMinor } } });
          await emit(tx, "payment.refunded", row, row.refundedMinor + amountMinor);
          return { refundRef: newId("re") };
        },
      );
      return refusedOr(answer);
    },

    async retrieve(paymentRef): Promise<ProviderPayment | null> {
      return inBooks(async (tx) => {
        const row = await lockPayment(tx, paymentRef);
        if (!row) return null;
        return {
          paymentRef: row.id,
          status: row.status as ProviderPaymentStatus,
          amountMinor: row.amountMinor,
          currency: row.currency,
          refundedMinor: row.refundedMinor,
          metadata: (row.metadata ?? {}) as Record<string, string>,
        };
      });
    },

    parseEvent(rawBody, signature): ProviderEvent {
      const parts = Object.fromEntries((signature ?? "").split(",").map((p) => p.split("=", 2) as [string, string]));
      const t = Number(parts.t);
      if (!Number.isInteger(t) || !parts.v1) throw new BadSignature("The event has no signature.");
      if (Math.abs(clock().getTime() / 1000 - t) > SIGNATURE_TOLERANCE_S) throw new BadSignature("The event's signature is too old.");
      const expected = createHmac("sha256", webhookSecret).update(`${t}.${rawBody}`).digest();
      const given = Buffer.from(parts.v1, "hex");
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new BadSignature();
      const event = JSON.parse(rawBody) as Omit<ProviderEvent, "occurredAt"> & { occurredAt: string };
      return { ...event, occurredAt: new Date(event.occurredAt) };
    },
  };
}
