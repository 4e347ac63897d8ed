// A processor's events as they arrive: signature checked by the provider, kept once per event id (a
// second delivery is recognised and answered as such), kinds Onsale does not act on acknowledged and
// dropped. Events may come twice and out of order: what they say is kept with the time it happened, so
// they can be read in the order they happened; nothing acts on them yet beyond keeping them.
import { prisma, type Db } from "../../db.ts";
import { enqueueSandboxEvents } from "../../queue/queues.ts";
import { AppError } from "../errors.ts";
import { paymentProvider, sandboxWebhookSecret } from "./config.ts";
import { signSandboxEvent } from "./sandbox.ts";
import { BadSignature, UnhandledEvent, type PaymentProvider, type ProviderEvent } from "./provider.ts";

export type Received = { outcome: "recorded" | "duplicate" | "ignored"; event?: ProviderEvent };

export async function receiveProviderEvent(
  rawBody: string,
  signature: string | null,
  { db = prisma(), provider = paymentProvider() }: { db?: Db; provider?: PaymentProvider } = {},
): Promise<Received> {
  let event: ProviderEvent;
  try {
    event = provider.parseEvent(rawBody, signature);
  } catch (err) {
    if (err instanceof UnhandledEvent) return { outcome: "ignored" };
    if (err instanceof BadSignature) throw new AppError("BAD_REQUEST", err.message);
    if (err instanceof SyntaxError) throw new AppError("BAD_REQUEST", "The event is not JSON.");
    throw err;
  }
  const inserted = await db.$executeRaw`
    INSERT INTO "PaymentEvent" (id, provider, "eventId", type, "paymentRef", "occurredAt", payload)
    VALUES (${crypto.randomUUID()}, ${provider.name}, ${event.id}, ${event.type}, ${event.paymentRef}, ${event.occurredAt},
            ${JSON.stringify(event)}::jsonb)
    ON CONFLICT (provider, "eventId") DO NOTHING`;
  return { outcome: inserted === 1 ? "recorded" : "duplicate", event };
}

/** Where an event stands in a payment's life, for events stamped with the same instant (Stripe's are whole seconds). */
const LIFE: Record<string, number> = {
  "payment.authorized": 0,
  "payment.declined": 0,
  "payment.captured": 1,
  "payment.voided": 1,
  "payment.expired": 1,
  "payment.refunded": 2,
};
export const lifeRank = (type: string) => LIFE[type] ?? 3;

/**
 * A payment's events at its processor, in the order they happened (not the order they came): by time,
 * then by their place in a payment's life, refunds by how much was refunded by then.
 */
export async function paymentEventsOf(paymentRef: string, { db = prisma() }: { db?: Db } = {}) {
  const rows = await db.paymentEvent.findMany({
    where: { paymentRef },
    select: { eventId: true, type: true, occurredAt: true, receivedAt: true, provider: true, payload: true },
  });
  const refunded = (p: unknown) => Number((p as { amountMinor?: unknown }).amountMinor) || 0;
  return rows
    .sort(
      (a, b) =>
        a.occurredAt.getTime() - b.occurredAt.getTime() || lifeRank(a.type) - lifeRank(b.type) || refunded(a.payload) - refunded(b.payload),
    )
    .map((e) => ({ eventId: e.eventId, type: e.type, occurredAt: e.occurredAt, receivedAt: e.receivedAt, provider: e.provider }));
}

/**
 * The worker's delivery of one of the sandbox's events (a job of the payments queue): its body signed as
 * the sandbox signs, received as the webhook receives it. A second delivery of the event is a duplicate.
 */
export async function deliverSandboxEvent(eventId: string, { db = prisma(), now = new Date() }: { db?: Db; now?: Date } = {}) {
  const row = await db.sandboxEvent.findUnique({ where: { id: eventId }, select: { payload: true } });
  if (!row) return { outcome: "missing" as const };
  const body = JSON.stringify(row.payload);
  const { outcome } = await receiveProviderEvent(body, signSandboxEvent(body, sandboxWebhookSecret(), now), { db });
  return { outcome };
}

/** How long the sweep leaves a sandbox event to its own deliveries (up to 2 s late, retried for about 15 s). */
export const REDELIVER_AFTER_MS = 60_000;
/** How far back the sweep looks: a real processor, too, stops retrying after a while. */
const REDELIVER_WITHIN_MS = 24 * 3600_000;

/**
 * The sweep (a maintenance job, every minute) of the sandbox's events that never reached the receiver:
 * their delivery could not be queued (Redis down when the change committed), or every retry failed. Each
 * is queued again, in a round of its own, once it is a minute old, for a day.
 */
export async function redeliverSandboxEvents({
  db = prisma(),
  now = new Date(),
  limit = 1_000,
  enqueue = enqueueSandboxEvents,
}: { db?: Db; now?: Date; limit?: number; enqueue?: typeof enqueueSandboxEvents } = {}) {
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT se.id FROM "SandboxEvent" se
    WHERE se."createdAt" BETWEEN ${new Date(now.getTime() - REDELIVER_WITHIN_MS)} AND ${new Date(now.getTime() - REDELIVER_AFTER_MS)}
      AND NOT EXISTS (SELECT 1 FROM "PaymentEvent" pe WHERE pe.provider = 'sandbox' AND pe."eventId" = se.id)
    ORDER BY se."createdAt" LIMIT ${limit}`;
  const eventIds = rows.map((r) => r.id);
  if (eventIds.length) await enqueue(eventIds, { maxDelayMs: 0, duplicateRate: 0, round: `sweep-${Math.floor(now.getTime() / 60_000)}` });
  return { redelivered: eventIds.length };
}
