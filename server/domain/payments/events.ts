// A processor's events as they arrive: signature checked by the provider, kept once per event id (a
// second delivery is recognised and answered as such), kinds Onsale does not act on acknowledged and
// dropped. Events may come twice and out of order: what they say is kept with the time it happened, and
// nothing here moves a payment backwards.
import { prisma, type Db } from "../../db.ts";
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

/** A payment's events at its processor, in the order they happened (not the order they came). */
export async function paymentEventsOf(paymentRef: string, { db = prisma() }: { db?: Db } = {}) {
  return db.paymentEvent.findMany({
    where: { paymentRef },
    orderBy: [{ occurredAt: "asc" }, { receivedAt: "asc" }],
    select: { eventId: true, type: true, occurredAt: true, receivedAt: true, provider: true },
  });
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
