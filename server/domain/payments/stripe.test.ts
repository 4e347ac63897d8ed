// The Stripe adapter through the real `stripe` SDK against a local fake of Stripe's endpoints: what the adapter answers,
// and what the SDK put on the wire (the fake's record), since a mapping can look right while sending the wrong thing.
import { randomUUID } from "node:crypto";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedWebhook, startFakeStripe, type FakeEvent, type FakeStripe } from "../../../test/support/fake-stripe.ts";
import { BadSignature, ProviderRefusal, type AuthorizeRequest, type PaymentProvider } from "./provider.ts";
import { stripeProvider } from "./stripe.ts";
import { UnhandledEvent } from "./provider.ts";

const DAY = 24 * 60 * 60;
// Shorter than Stripe's usual 7 days, so an expiry read from the charge cannot pass for the 7-day fallback.
const CAPTURE_WINDOW = 5 * DAY;

let fake: FakeStripe;
let stripe: PaymentProvider;

beforeAll(async () => {
  fake = await startFakeStripe({ captureWindowSeconds: CAPTURE_WINDOW });
  stripe = providerFor(fake);
});
afterAll(() => fake.close());

function providerFor(server: FakeStripe, secretKey = server.secretKey): PaymentProvider {
  return stripeProvider({ secretKey, webhookSecret: server.webhookSecret, host: "127.0.0.1", port: server.port, protocol: "http" });
}

const key = () => randomUUID();

async function card(token = "tok_visa"): Promise<string> {
  return (await stripe.attachCard(token, { idempotencyKey: key() })).methodRef;
}

async function request(overrides: Partial<AuthorizeRequest> = {}): Promise<AuthorizeRequest> {
  return {
    amountMinor: 55000,
    currency: "KRW",
    methodRef: overrides.methodRef ?? (await card()),
    idempotencyKey: key(),
    description: "Onsale: The Midnight Echo, Seoul",
    metadata: { paymentId: `pay_${randomUUID()}` },
    ...overrides,
  };
}

async function authorized(overrides: Partial<AuthorizeRequest> = {}): Promise<string> {
  const result = await stripe.authorize(await request(overrides));
  if (!result.ok) throw new Error(`expected an authorization, got ${result.decline}`);
  return result.paymentRef;
}

async function refused(work: Promise<unknown>): Promise<ProviderRefusal> {
  const err = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderRefusal);
  return err as ProviderRefusal;
}

const lastRequest = (methodAndPath: string) => fake.requestsTo(methodAndPath).at(-1);

/** The fake's events for one payment intent (or its charge) of one type. */
function eventsOf(type: string, paymentRef: string): FakeEvent[] {
  return fake.events.filter((e) => e.type === type && (e.data.object.id === paymentRef || e.data.object.payment_intent === paymentRef));
}

function onlyEvent(type: string, paymentRef: string): FakeEvent {
  const found = eventsOf(type, paymentRef);
  expect(found).toHaveLength(1);
  return found[0]!;
}

function deliver(event: object, secret = fake.webhookSecret) {
  const { body, signature } = signedWebhook(event, secret);
  return stripe.parseEvent(body, signature);
}

describe("attachCard", () => {
  it("keeps the card's facts and Stripe's reference, sending Stripe only the token", async () => {
    const idempotencyKey = key();
    const attached = await stripe.attachCard("tok_visa", { idempotencyKey });

    expect(attached).toEqual({ brand: "visa", last4: "4242", expMonth: 12, expYear: 2034, methodRef: expect.stringMatching(/^pm_/) });
    expect(JSON.stringify(attached)).not.toMatch(/4242424242424242/);
    expect(lastRequest("POST /v1/payment_methods")).toMatchObject({
      fields: { type: "card", "card[token]": "tok_visa" },
      idempotencyKey,
      status: 200,
    });
  });

  it("attaches the card to a customer of its own, so that it can pay again; a retried save makes one", async () => {
    const idempotencyKey = key();
    const customersBefore = fake.created.customers;
    const { methodRef } = await stripe.attachCard("tok_visa", { idempotencyKey });
    await stripe.attachCard("tok_visa", { idempotencyKey });
    expect(fake.created.customers).toBe(customersBefore + 1);
    const attach = fake.requestsTo(`POST /v1/payment_methods/${methodRef}/attach`);
    expect(attach.map((r) => r.fields.customer)).toEqual([expect.stringMatching(/^cus_/), attach[0]!.fields.customer]);

    // The saved card pays twice (and more).
    const first = await stripe.authorize(await request({ methodRef }));
    const second = await stripe.authorize(await request({ methodRef }));
    expect([first.ok, second.ok]).toEqual([true, true]);
  });

  it("control: the fake holds Stripe's rule, a card on no customer pays once", async () => {
    // Made straight through the SDK, as an adapter that did not attach its cards would leave them.
    const sdk = new Stripe(fake.secretKey, { host: "127.0.0.1", port: fake.port, protocol: "http" });
    const bare = await sdk.paymentMethods.create({ type: "card", card: { token: "tok_visa" } });
    const pay = () =>
      sdk.paymentIntents.create({ amount: 1000, currency: "krw", payment_method: bare.id, confirm: true, capture_method: "manual" });
    await expect(pay()).resolves.toMatchObject({ status: "requires_capture" });
    await expect(pay()).rejects.toThrow(/may not be used again/);
  });

  it("reads each card's own facts", async () => {
    const attached = await stripe.attachCard("tok_mastercard", { idempotencyKey: key() });
    expect(attached).toMatchObject({ brand: "mastercard", last4: "4444" });
  });

  it("refuses an unknown token as not_found, in Stripe's words", async () => {
    const refusal = await refused(stripe.attachCard("tok_nosuchthing", { idempotencyKey: key() }));
    expect(refusal.reason).toBe("not_found");
    expect(refusal.message).toBe("No such token: 'tok_nosuchthing'");
    expect(lastRequest("POST /v1/payment_methods")?.status).toBe(400);
  });
});

describe("authorize", () => {
  it("asks Stripe for a manual-capture card payment, confirmed at once, with the amount in minor units", async () => {
    const methodRef = await card();
    const req = await request({ methodRef, amountMinor: 1250, currency: "USD" });
    const result = await stripe.authorize(req);

    const sent = lastRequest("POST /v1/payment_intents");
    expect(sent?.fields).toEqual({
      amount: "1250",
      currency: "usd",
      payment_method: methodRef,
      // The saved card's own customer, without which Stripe would let it pay only once.
      customer: (fake.requests.find((r) => r.path === `/v1/payment_methods/${methodRef}/attach`)?.fields as { customer?: string }).customer,
      confirm: "true",
      capture_method: "manual",
      "allowed_payment_method_types[0]": "card",
      error_on_requires_action: "true",
      description: req.description,
      "metadata[paymentId]": req.metadata.paymentId,
      "expand[0]": "latest_charge",
    });
    expect(sent?.idempotencyKey).toBe(req.idempotencyKey);
    const intent = onlyEvent("payment_intent.created", result.ok ? result.paymentRef : "").data.object;
    expect(result).toEqual({ ok: true, paymentRef: intent.id, expiresAt: expect.any(Date) });
  });

  it("sends won as they are: KRW is zero-decimal at Stripe as in Onsale", async () => {
    await authorized({ amountMinor: 55000, currency: "KRW" });
    expect(lastRequest("POST /v1/payment_intents")?.fields).toMatchObject({ amount: "55000", currency: "krw" });
  });

  it("takes the authorization's expiry from the charge's capture_before", async () => {
    const result = await stripe.authorize(await request());
    if (!result.ok) throw new Error("expected an authorization");

    const charge = fake.paymentIntent(result.paymentRef).latest_charge as {
      created: number;
      payment_method_details: { card: { capture_before: number } };
    };
    expect(result.expiresAt.getTime()).toBe(charge.payment_method_details.card.capture_before * 1000);
    expect(charge.payment_method_details.card.capture_before - charge.created).toBe(CAPTURE_WINDOW);
  });

  it("falls back to Stripe's 7 days from the payment when the charge gives no capture_before", async () => {
    const bare = await startFakeStripe({ captureWindowSeconds: null });
    try {
      const provider = providerFor(bare);
      const { methodRef } = await provider.attachCard("tok_visa", { idempotencyKey: key() });
      const result = await provider.authorize(await request({ methodRef }));
      if (!result.ok) throw new Error("expected an authorization");

      const intent = bare.paymentIntent(result.paymentRef) as { created: number };
      expect(result.expiresAt.getTime()).toBe((intent.created + 7 * DAY) * 1000);
    } finally {
      await bare.close();
    }
  });

  it.each([
    ["tok_chargeDeclined", "card_declined", "Your card was declined."],
    ["tok_chargeDeclinedInsufficientFunds", "insufficient_funds", "Your card has insufficient funds."],
    ["tok_chargeDeclinedExpiredCard", "expired_card", "Your card has expired."],
    ["tok_chargeDeclinedProcessingError", "processing_error", "An error occurred while processing your card. Try again in a little bit."],
    ["tok_chargeDeclinedFraudulent", "card_declined", "Your card was declined."],
    ["tok_chargeDeclinedIncorrectCvc", "card_declined", "Your card's security code is incorrect."],
  ])("answers %s as the decline %s, with Stripe's sentence and its payment", async (token, decline, message) => {
    const before = fake.created.paymentIntents;
    const result = await stripe.authorize(await request({ methodRef: await card(token) }));

    expect(lastRequest("POST /v1/payment_intents")?.status).toBe(402);
    expect(fake.created.paymentIntents).toBe(before + 1);
    const failed = fake.events.filter((e) => e.type === "payment_intent.payment_failed").at(-1);
    expect(result).toEqual({ ok: false, decline, message, paymentRef: failed?.data.object.id });
    expect((await stripe.retrieve(String(failed?.data.object.id)))?.status).toBe("DECLINED");
  });

  it("does it once for one idempotency key: the same payment intent, created once", async () => {
    const req = await request();
    const before = fake.created.paymentIntents;

    const first = await stripe.authorize(req);
    const again = await stripe.authorize(req);

    expect(again).toEqual(first);
    expect(fake.created.paymentIntents).toBe(before + 1);
    const sent = fake.requestsTo("POST /v1/payment_intents").filter((r) => r.idempotencyKey === req.idempotencyKey);
    expect(sent.map((r) => r.replayed)).toEqual([false, true]);
  });

  it("replays a decline for its key too, without a second attempt on the card", async () => {
    const req = await request({ methodRef: await card("tok_chargeDeclinedInsufficientFunds") });
    const before = fake.created.paymentIntents;

    const first = await stripe.authorize(req);
    const again = await stripe.authorize(req);

    expect(first.ok).toBe(false);
    expect(again).toEqual(first);
    expect(fake.created.paymentIntents).toBe(before + 1);
  });

  it("retries a failed request with the same key, so an outage's retry still charges once", async () => {
    const req = await request();
    const before = fake.created.paymentIntents;
    fake.failNext(1, 500, "/v1/payment_intents");

    const result = await stripe.authorize(req);

    expect(result.ok).toBe(true);
    const sent = fake.requestsTo("POST /v1/payment_intents").filter((r) => r.idempotencyKey === req.idempotencyKey);
    expect(sent.map((r) => r.status)).toEqual([500, 200]);
    expect(fake.created.paymentIntents).toBe(before + 1);
  });

  it("throws, not declines, when Stripe stays down past the retries", async () => {
    const req = await request();
    fake.failNext(3, 500, "/v1/payment_intents");

    await expect(stripe.authorize(req)).rejects.toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(fake.requestsTo("POST /v1/payment_intents").filter((r) => r.idempotencyKey === req.idempotencyKey)).toHaveLength(3);
  });

  it("throws, not declines, when the secret key is wrong", async () => {
    const req = await request();
    const wrongKey = providerFor(fake, "sk_test_not_the_fakes");

    await expect(wrongKey.authorize(req)).rejects.toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(lastRequest(`GET /v1/payment_methods/${req.methodRef}`)?.status).toBe(401);
  });
});

describe("capture", () => {
  it("captures the authorized payment under the given key", async () => {
    const paymentRef = await authorized();
    const idempotencyKey = key();

    await stripe.capture(paymentRef, { idempotencyKey });

    expect(lastRequest(`POST /v1/payment_intents/${paymentRef}/capture`)).toMatchObject({ fields: {}, idempotencyKey, status: 200 });
    expect(fake.paymentIntent(paymentRef)).toMatchObject({ status: "succeeded", amount_received: 55000 });
  });

  it("is a no-op on a captured payment, whether the retry reuses the key or not", async () => {
    const paymentRef = await authorized();
    const idempotencyKey = key();
    await stripe.capture(paymentRef, { idempotencyKey });

    await stripe.capture(paymentRef, { idempotencyKey });
    await stripe.capture(paymentRef, { idempotencyKey: key() });

    // The last one really was refused by Stripe; the adapter read the refusal as "already done".
    const sent = fake.requestsTo(`POST /v1/payment_intents/${paymentRef}/capture`);
    expect(sent.map((r) => [r.status, r.replayed])).toEqual([
      [200, false],
      [200, true],
      [400, false],
    ]);
    onlyEvent("payment_intent.succeeded", paymentRef);
  });

  it("refuses a voided payment as not_authorized", async () => {
    const paymentRef = await authorized();
    await stripe.void(paymentRef, { idempotencyKey: key() });

    const refusal = await refused(stripe.capture(paymentRef, { idempotencyKey: key() }));
    expect(refusal.reason).toBe("not_authorized");
    expect(refusal.message).toMatch(/status of canceled/);
  });

  it("refuses an authorization Stripe let lapse as expired", async () => {
    const paymentRef = await authorized();
    fake.expireAuthorization(paymentRef);

    expect((await refused(stripe.capture(paymentRef, { idempotencyKey: key() }))).reason).toBe("expired");
  });

  it("refuses a declined payment as not_authorized", async () => {
    const result = await stripe.authorize(await request({ methodRef: await card("tok_chargeDeclined") }));
    if (result.ok || !result.paymentRef) throw new Error("expected a decline with its payment");

    expect((await refused(stripe.capture(result.paymentRef, { idempotencyKey: key() }))).reason).toBe("not_authorized");
  });

  it("refuses an unknown payment as not_found", async () => {
    expect((await refused(stripe.capture("pi_nosuchthing", { idempotencyKey: key() }))).reason).toBe("not_found");
    expect(lastRequest("POST /v1/payment_intents/pi_nosuchthing/capture")?.status).toBe(404);
  });
});

describe("void", () => {
  it("releases the authorization under the given key", async () => {
    const paymentRef = await authorized();
    const idempotencyKey = key();

    await stripe.void(paymentRef, { idempotencyKey });

    expect(lastRequest(`POST /v1/payment_intents/${paymentRef}/cancel`)).toMatchObject({ fields: {}, idempotencyKey, status: 200 });
    expect(fake.paymentIntent(paymentRef)).toMatchObject({ status: "canceled", cancellation_reason: null });
    // Stripe marks the released charge "refunded"; no money came back, and the adapter does not say it did.
    expect(await stripe.retrieve(paymentRef)).toMatchObject({ status: "VOIDED", refundedMinor: 0 });
  });

  it("is a no-op on a voided payment and on a lapsed one", async () => {
    const voided = await authorized();
    await stripe.void(voided, { idempotencyKey: key() });
    await stripe.void(voided, { idempotencyKey: key() });
    expect(fake.requestsTo(`POST /v1/payment_intents/${voided}/cancel`).map((r) => r.status)).toEqual([200, 400]);

    const lapsed = await authorized();
    fake.expireAuthorization(lapsed);
    await stripe.void(lapsed, { idempotencyKey: key() });
    expect(lastRequest(`POST /v1/payment_intents/${lapsed}/cancel`)?.status).toBe(400);
    expect(fake.paymentIntent(lapsed)).toMatchObject({ cancellation_reason: "automatic" });
  });

  it("refuses a captured payment as not_authorized and leaves it captured", async () => {
    const paymentRef = await authorized();
    await stripe.capture(paymentRef, { idempotencyKey: key() });

    const refusal = await refused(stripe.void(paymentRef, { idempotencyKey: key() }));

    expect(refusal.reason).toBe("not_authorized");
    expect(refusal.message).toMatch(/status of succeeded/);
    expect((await stripe.retrieve(paymentRef))?.status).toBe("CAPTURED");
  });

  it("refuses an unknown payment as not_found", async () => {
    expect((await refused(stripe.void("pi_nosuchthing", { idempotencyKey: key() }))).reason).toBe("not_found");
  });
});

describe("refund", () => {
  it("gives back part, then the rest, of a captured payment, each with Stripe's refund reference", async () => {
    const paymentRef = await authorized({ amountMinor: 55000 });
    await stripe.capture(paymentRef, { idempotencyKey: key() });
    const idempotencyKey = key();

    const { refundRef } = await stripe.refund(paymentRef, { amountMinor: 20000, idempotencyKey });

    expect(lastRequest("POST /v1/refunds")).toMatchObject({
      fields: { payment_intent: paymentRef, amount: "20000" },
      idempotencyKey,
      status: 200,
    });
    expect(refundRef).toBe(eventsOf("refund.created", paymentRef).at(-1)?.data.object.id);
    expect(refundRef).toMatch(/^re_/);
    expect((await stripe.retrieve(paymentRef))?.refundedMinor).toBe(20000);

    const rest = await stripe.refund(paymentRef, { amountMinor: 35000, idempotencyKey: key() });
    expect(rest.refundRef).not.toBe(refundRef);
    expect((await stripe.retrieve(paymentRef))?.refundedMinor).toBe(55000);
  });

  it("refunds once for one idempotency key", async () => {
    const paymentRef = await authorized();
    await stripe.capture(paymentRef, { idempotencyKey: key() });
    const before = fake.created.refunds;
    const idempotencyKey = key();

    const first = await stripe.refund(paymentRef, { amountMinor: 1000, idempotencyKey });
    const again = await stripe.refund(paymentRef, { amountMinor: 1000, idempotencyKey });

    expect(again).toEqual(first);
    expect(fake.created.refunds).toBe(before + 1);
    expect((await stripe.retrieve(paymentRef))?.refundedMinor).toBe(1000);
  });

  it("refuses more than is left as over_refund", async () => {
    const paymentRef = await authorized({ amountMinor: 55000 });
    await stripe.capture(paymentRef, { idempotencyKey: key() });
    await stripe.refund(paymentRef, { amountMinor: 50000, idempotencyKey: key() });

    const refusal = await refused(stripe.refund(paymentRef, { amountMinor: 5001, idempotencyKey: key() }));

    expect(refusal.reason).toBe("over_refund");
    expect(refusal.message).toMatch(/greater than unrefunded amount/);
    expect(lastRequest("POST /v1/refunds")?.status).toBe(400);
  });

  it("refuses a payment that was never captured as not_captured", async () => {
    const paymentRef = await authorized();
    expect((await refused(stripe.refund(paymentRef, { amountMinor: 100, idempotencyKey: key() }))).reason).toBe("not_captured");
  });

  it("refuses an unknown payment as not_found", async () => {
    expect((await refused(stripe.refund("pi_nosuchthing", { amountMinor: 100, idempotencyKey: key() }))).reason).toBe("not_found");
  });
});

describe("retrieve", () => {
  it("reads an authorized payment, asking Stripe for its charge", async () => {
    const req = await request({ amountMinor: 1250, currency: "USD" });
    const paymentRef = await authorized(req);

    expect(await stripe.retrieve(paymentRef)).toEqual({
      paymentRef,
      status: "AUTHORIZED",
      amountMinor: 1250,
      currency: "USD",
      refundedMinor: 0,
      metadata: req.metadata,
    });
    expect(lastRequest(`GET /v1/payment_intents/${paymentRef}`)?.fields).toEqual({ "expand[0]": "latest_charge" });
  });

  it("reads a lapsed authorization as EXPIRED", async () => {
    const paymentRef = await authorized();
    fake.expireAuthorization(paymentRef);
    expect(await stripe.retrieve(paymentRef)).toMatchObject({ status: "EXPIRED", refundedMinor: 0 });
  });

  it("answers null for a payment Stripe does not have", async () => {
    expect(await stripe.retrieve("pi_nosuchthing")).toBeNull();
    expect(lastRequest("GET /v1/payment_intents/pi_nosuchthing")?.status).toBe(404);
  });
});

describe("parseEvent", () => {
  it("maps the authorization, capture and refund Stripe sent for one payment", async () => {
    const req = await request({ amountMinor: 55000 });
    const paymentRef = await authorized(req);
    await stripe.capture(paymentRef, { idempotencyKey: key() });
    await stripe.refund(paymentRef, { amountMinor: 20000, idempotencyKey: key() });
    await stripe.refund(paymentRef, { amountMinor: 5000, idempotencyKey: key() });

    const capturable = onlyEvent("payment_intent.amount_capturable_updated", paymentRef);
    expect(deliver(capturable)).toEqual({
      id: capturable.id,
      type: "payment.authorized",
      paymentRef,
      occurredAt: new Date(capturable.created * 1000),
      amountMinor: 55000,
      metadata: req.metadata,
    });
    expect(deliver(onlyEvent("payment_intent.succeeded", paymentRef))).toMatchObject({
      type: "payment.captured",
      paymentRef,
      amountMinor: 55000,
      metadata: req.metadata,
    });
    // charge.refunded carries the charge: the payment is its payment_intent, the amount all refunded so far.
    const refunds = eventsOf("charge.refunded", paymentRef).map((e) => deliver(e));
    expect(refunds.map(({ type, paymentRef, amountMinor, metadata }) => ({ type, paymentRef, amountMinor, metadata }))).toEqual([
      { type: "payment.refunded", paymentRef, amountMinor: 20000, metadata: req.metadata },
      { type: "payment.refunded", paymentRef, amountMinor: 25000, metadata: req.metadata },
    ]);
  });

  it("maps a void, and ignores the released charge's refund that comes with it", async () => {
    const paymentRef = await authorized();
    await stripe.void(paymentRef, { idempotencyKey: key() });

    expect(deliver(onlyEvent("payment_intent.canceled", paymentRef))).toMatchObject({
      type: "payment.voided",
      paymentRef,
      amountMinor: 55000,
    });
    expect(() => deliver(onlyEvent("charge.refunded", paymentRef))).toThrow(UnhandledEvent);
  });

  it("maps a lapsed authorization as payment.expired", async () => {
    const paymentRef = await authorized();
    fake.expireAuthorization(paymentRef);

    expect(deliver(onlyEvent("payment_intent.canceled", paymentRef))).toMatchObject({ type: "payment.expired", paymentRef });
    expect(() => deliver(onlyEvent("charge.expired", paymentRef))).toThrow(UnhandledEvent);
  });

  it("maps a decline", async () => {
    const result = await stripe.authorize(await request({ methodRef: await card("tok_chargeDeclinedInsufficientFunds") }));
    if (result.ok || !result.paymentRef) throw new Error("expected a decline with its payment");

    expect(deliver(onlyEvent("payment_intent.payment_failed", result.paymentRef))).toMatchObject({
      type: "payment.declined",
      paymentRef: result.paymentRef,
      amountMinor: 55000,
    });
  });

  it("throws UnhandledEvent, naming it, for a genuine event of another type", async () => {
    const paymentRef = await authorized();
    const created = onlyEvent("payment_intent.created", paymentRef);

    expect(() => deliver(created)).toThrow(UnhandledEvent);
    expect(() => deliver(created)).toThrow(expect.objectContaining({ eventType: "payment_intent.created", eventId: created.id }));
  });

  it("refuses a body changed after signing", async () => {
    const paymentRef = await authorized();
    const { body, signature } = signedWebhook(onlyEvent("payment_intent.amount_capturable_updated", paymentRef), fake.webhookSecret);
    const tampered = body.replace('"amount": 55000', '"amount": 1');
    expect(tampered).not.toBe(body);

    expect(() => stripe.parseEvent(tampered, signature)).toThrow(BadSignature);
    expect(stripe.parseEvent(body, signature).type).toBe("payment.authorized");
  });

  it("refuses an event signed with another secret, one with no signature, and one signed too long ago", async () => {
    const event = onlyEvent("payment_intent.amount_capturable_updated", await authorized());

    expect(() => deliver(event, "whsec_someone_elses")).toThrow(BadSignature);
    expect(() => stripe.parseEvent(JSON.stringify(event), null)).toThrow(BadSignature);
    const old = signedWebhook(event, fake.webhookSecret, { timestamp: Math.floor(Date.now() / 1000) - 10 * 60 });
    expect(() => stripe.parseEvent(old.body, old.signature)).toThrow(BadSignature);
  });
});
