// The sandbox processor on PostgreSQL: every test card's outcome, authorizations that run out, the
// same idempotency key answering the same (also raced), refusals that change nothing, and signed events.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "../../db.ts";
import { barrier } from "../../../test/support/races.ts";
import { BadSignature, DECLINE_CODES, ProviderRefusal, type ProviderEvent } from "./provider.ts";
import { SANDBOX_CARDS, sandboxProvider, signSandboxEvent } from "./sandbox.ts";
import { lifeRank } from "./events.ts";

const SECRET = "sandbox-test-webhook-secret";
const key = () => randomUUID();

/** A clock the test moves. */
function testClock(start = new Date()) {
  let now = start.getTime();
  return { clock: () => new Date(now), advance: (ms: number) => (now += ms) };
}

async function cardFor(token: string, provider = sandboxProvider({ webhookSecret: SECRET })) {
  return (await provider.attachCard(token, { idempotencyKey: key() })).methodRef;
}

function authorizeRequest(methodRef: string, over: Partial<{ amountMinor: number; idempotencyKey: string }> = {}) {
  return {
    amountMinor: 12_300,
    currency: "USD" as const,
    methodRef,
    idempotencyKey: key(),
    description: "Onsale tickets",
    metadata: { paymentId: `pay_${randomUUID()}` },
    ...over,
  };
}

/** A payment's events in the order they were written (a payment's life orders two written in one millisecond). */
async function eventsOf(paymentRef: string) {
  const rows = await prisma().sandboxEvent.findMany({ where: { paymentId: paymentRef }, orderBy: { createdAt: "asc" } });
  return rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || lifeRank(a.type) - lifeRank(b.type)).map((r) => r.type);
}

async function statusOf(paymentRef: string) {
  return (await prisma().sandboxPayment.findUniqueOrThrow({ where: { id: paymentRef } })).status;
}

describe("sandbox processor", () => {
  it("saves a test card by its token, keeping brand, last four and expiry, and knows no other token", async () => {
    const sandbox = sandboxProvider({ webhookSecret: SECRET });
    const card = await sandbox.attachCard("tok_mastercard", { idempotencyKey: key() });
    expect(card).toMatchObject({ brand: "mastercard", last4: "4444", expMonth: 12 });
    expect(card.expYear).toBeGreaterThan(new Date().getUTCFullYear());
    expect(card.methodRef).toMatch(/^pm_sbx_/);
    await expect(sandbox.attachCard("tok_nonsense", { idempotencyKey: key() })).rejects.toMatchObject({ reason: "not_found" });
    // The same key attaches once.
    const k = key();
    const [a, b] = await Promise.all([
      sandbox.attachCard("tok_visa", { idempotencyKey: k }),
      sandbox.attachCard("tok_visa", { idempotencyKey: k }),
    ]);
    expect(a.methodRef).toBe(b.methodRef);
    expect(await prisma().sandboxCard.count({ where: { id: a.methodRef } })).toBe(1);
  });

  it("authorizes tok_visa_4242, and captures it once however often it is asked", async () => {
    const sandbox = sandboxProvider({ webhookSecret: SECRET });
    const auth = await sandbox.authorize(authorizeRequest(await cardFor("tok_visa_4242", sandbox)));
    if (!auth.ok) throw new Error(`declined: ${auth.message}`);
    expect(await statusOf(auth.paymentRef)).toBe("AUTHORIZED");
    expect(auth.expiresAt.getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3600_000);

    const k = key();
    await sandbox.capture(auth.paymentRef, { idempotencyKey: k });
    await sandbox.capture(auth.paymentRef, { idempotencyKey: key() });
    expect(await statusOf(auth.paymentRef)).toBe("CAPTURED");
    // The key's answer is kept, not worked out again: were the payment voided meanwhile (it cannot be, so
    // the books are changed by hand and put back), the replay still answers as the capture did.
    await prisma().sandboxPayment.update({ where: { id: auth.paymentRef }, data: { status: "VOIDED" } });
    await sandbox.capture(auth.paymentRef, { idempotencyKey: k });
    await expect(sandbox.capture(auth.paymentRef, { idempotencyKey: key() })).rejects.toMatchObject({ reason: "not_authorized" });
    await prisma().sandboxPayment.update({ where: { id: auth.paymentRef }, data: { status: "CAPTURED" } });
    expect(await eventsOf(auth.paymentRef)).toEqual(["payment.authorized", "payment.captured"]);
    expect(await sandbox.retrieve(auth.paymentRef)).toMatchObject({
      status: "CAPTURED",
      amountMinor: 12_300,
      currency: "USD",
      refundedMinor: 0,
    });
  });

  it.each([
    ["tok_chargeDeclined", "card_declined"],
    ["tok_chargeDeclinedInsufficientFunds", "insufficient_funds"],
    ["tok_chargeDeclinedExpiredCard", "expired_card"],
    ["tok_chargeDeclinedProcessingError", "processing_error"],
  ] as const)("declines %s as %s, and nothing can be captured of it", async (token, decline) => {
    const sandbox = sandboxProvider({ webhookSecret: SECRET });
    const auth = await sandbox.authorize(authorizeRequest(await cardFor(token, sandbox)));
    expect(auth).toMatchObject({ ok: false, decline });
    if (auth.ok) return;
    expect(auth.message.length).toBeGreaterThan(10);
    expect(await statusOf(auth.paymentRef!)).toBe("DECLINED");
    expect(await eventsOf(auth.paymentRef!)).toEqual(["payment.declined"]);
    await expect(sandbox.capture(auth.paymentRef!, { idempotencyKey: key() })).rejects.toMatchObject({ reason: "not_authorized" });
    expect(await statusOf(auth.paymentRef!)).toBe("DECLINED");
  });

  it("has a test card for every decline reason", () => {
    const outcomes = new Set(Object.values(SANDBOX_CARDS).map((c) => c.outcome));
    for (const code of DECLINE_CODES) expect(outcomes).toContain(code);
  });

  it("answers tok_visa_slow only after its delay, authorized", async () => {
    const sandbox = sandboxProvider({ webhookSecret: SECRET, slowMs: 400 });
    const methodRef = await cardFor("tok_visa_slow", sandbox);
    const started = performance.now();
    const auth = await sandbox.authorize(authorizeRequest(methodRef));
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    expect(auth.ok).toBe(true);
  });

  it("lets an authorization run out: no capture after it, voiding it does nothing, and the expiry is an event", async () => {
    const time = testClock();
    const sandbox = sandboxProvider({ webhookSecret: SECRET, authTtlMs: 60_000, clock: time.clock });
    const auth = await sandbox.authorize(authorizeRequest(await cardFor("tok_visa", sandbox)));
    if (!auth.ok) throw new Error("declined");
    expect(auth.expiresAt.getTime()).toBe(time.clock().getTime() + 60_000);
    time.advance(60_000);
    const refusal = await sandbox.capture(auth.paymentRef, { idempotencyKey: key() }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ProviderRefusal);
    expect(refusal).toMatchObject({ reason: "expired" });
    expect(await statusOf(auth.paymentRef)).toBe("EXPIRED");
    await sandbox.void(auth.paymentRef, { idempotencyKey: key() });
    expect(await statusOf(auth.paymentRef)).toBe("EXPIRED");
    expect(await eventsOf(auth.paymentRef)).toEqual(["payment.authorized", "payment.expired"]);
  });

  it("voids an authorization, after which it cannot be captured; a captured payment cannot be voided", async () => {
    const sandbox = sandboxProvider({ webhookSecret: SECRET });
    const methodRef = await cardFor("tok_visa", sandbox);
    const voided = await sandbox.authorize(authorizeRequest(methodRef));
    const captured = await sandbox.authorize(authorizeRequest(methodRef));
    if (!voided.ok || !captured.ok) throw new Error("declined");
    await sandbox.void(voided.paymentRef, { idempotencyKey: key() });
    await sandbox.void(voided.paymentRef, { idempotencyKey: key() });
    await expect(sandbox.capture(voided.paymentRef, { idempotencyKey: key() })).rejects.toMatchObject({ reason: "not_authorized" });
    expect(await statusOf(voided.paymentRef)).toBe("VOIDED");

    await sandbox.capture(captured.paymentRef, { idempotencyKey: key() });
    await expect(sandbox.void(captured.paymentRef, { idempotencyKey: key() })).rejects.toMatchObject({ reason: "not_authorized" });
    expect(await statusOf(captured.paymentRef)).toBe("CAPTURED");
    expect(await eventsOf(voided.paymentRef)).toEqual(["payment.authorized", "payment.voided"]);
  });

  it("refunds captured money, in parts, never more than was taken, and only once per key", async () => {
    const sandbox = sandboxProvider({ webhookSecret: SECRET });
    const methodRef = await cardFor("tok_visa", sandbox);
    const auth = await sandbox.authorize(authorizeRequest(methodRef, { amountMinor: 10_000 }));
    if (!auth.ok) throw new Error("declined");
    await expect(sandbox.refund(auth.paymentRef, { amountMinor: 1_000, idempotencyKey: key() })).rejects.toMatchObject({
      reason: "not_captured",
    });
    await sandbox.capture(auth.paymentRef, { idempotencyKey: key() });
    const k = key();
    const first = await sandbox.refund(auth.paymentRef, { amountMinor: 4_000, idempotencyKey: k });
    const again = await sandbox.refund(auth.paymentRef, { amountMinor: 4_000, idempotencyKey: k });
    expect(again.refundRef).toBe(first.refundRef);
    expect(first.refundRef).toMatch(/^re_sbx_/);
    await expect(sandbox.refund(auth.paymentRef, { amountMinor: 6_001, idempotencyKey: key() })).rejects.toMatchObject({
      reason: "over_refund",
    });
    await sandbox.refund(auth.paymentRef, { amountMinor: 6_000, idempotencyKey: key() });
    expect(await sandbox.retrieve(auth.paymentRef)).toMatchObject({ status: "CAPTURED", refundedMinor: 10_000 });
    // A refund's event carries all refunded so far, so a repeated or late one cannot mislead.
    const refunds = await prisma().sandboxEvent.findMany({ where: { paymentId: auth.paymentRef, type: "payment.refunded" } });
    // 4,000 then 6,000 refunded: the events say 4,000 and 10,000 (per refund they would say 6,000).
    expect(refunds.map((e) => (e.payload as { amountMinor: number }).amountMinor).sort((a, b) => a - b)).toEqual([4_000, 10_000]);
    expect(await sandbox.retrieve("pi_sbx_none")).toBeNull();
    await expect(sandbox.capture("pi_sbx_none", { idempotencyKey: key() })).rejects.toMatchObject({ reason: "not_found" });
  });

  it("authorizes once for one key however many ask at once, and refuses the key with another amount", async () => {
    // Lined up as in the control below (fewer racers than the pool: each waits inside its transaction).
    const racers = 8;
    const sandbox = sandboxProvider({ webhookSecret: SECRET, protections: { pause: barrier(racers) } });
    const request = authorizeRequest(await cardFor("tok_visa"));
    const answers = await Promise.all(Array.from({ length: racers }, () => sandbox.authorize(request)));
    const refs = new Set(answers.map((a) => (a.ok ? a.paymentRef : null)));
    expect(refs.size).toBe(1);
    const [ref] = [...refs];
    expect(await prisma().sandboxPayment.count({ where: { metadata: { equals: request.metadata } } })).toBe(1);
    expect(await eventsOf(ref!)).toEqual(["payment.authorized"]);
    await expect(
      sandboxProvider({ webhookSecret: SECRET }).authorize({ ...request, amountMinor: request.amountMinor + 1 }),
    ).rejects.toMatchObject({
      reason: "key_reused",
    });
  });

  it("negative control: without taking the key's row first, racers with one key each authorize", async () => {
    const racers = 20;
    const sandbox = sandboxProvider({ webhookSecret: SECRET, protections: { requestLock: false, pause: barrier(racers) } });
    // The card is saved by a processor with its protections: the barrier is for the racers alone.
    const request = authorizeRequest(await cardFor("tok_visa"));
    const answers = await Promise.all(Array.from({ length: racers }, () => sandbox.authorize(request)));
    expect(new Set(answers.map((a) => (a.ok ? a.paymentRef : null))).size).toBe(racers);
    expect(await prisma().sandboxPayment.count({ where: { metadata: { equals: request.metadata } } })).toBe(racers);
  });

  it("signs its events; a changed body, another secret, an old timestamp or no signature is refused", async () => {
    const time = testClock();
    const sandbox = sandboxProvider({ webhookSecret: SECRET, clock: time.clock });
    const auth = await sandbox.authorize(authorizeRequest(await cardFor("tok_visa", sandbox)));
    if (!auth.ok) throw new Error("declined");
    const row = await prisma().sandboxEvent.findFirstOrThrow({ where: { paymentId: auth.paymentRef } });
    const body = JSON.stringify(row.payload);
    const header = signSandboxEvent(body, SECRET, time.clock());

    const event: ProviderEvent = sandbox.parseEvent(body, header);
    expect(event).toMatchObject({ id: row.id, type: "payment.authorized", paymentRef: auth.paymentRef, amountMinor: 12_300 });
    expect(event.occurredAt).toBeInstanceOf(Date);
    expect(event.metadata.paymentId).toMatch(/^pay_/);

    const tampered = body.replace("12300", "1");
    expect(() => sandbox.parseEvent(tampered, header)).toThrow(BadSignature);
    expect(() => sandbox.parseEvent(body, signSandboxEvent(body, "another-secret", time.clock()))).toThrow(BadSignature);
    expect(() => sandbox.parseEvent(body, null)).toThrow(BadSignature);
    time.advance(301_000);
    expect(() => sandbox.parseEvent(body, header)).toThrow(/too old/);
  });
});
