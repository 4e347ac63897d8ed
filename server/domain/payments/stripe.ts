// The Stripe adapter of PaymentProvider: the official SDK, and only the mapping between Stripe's words and Onsale's.
import Stripe from "stripe";
import { CURRENCY_EXPONENT } from "../money.ts";
import {
  BadSignature,
  ProviderRefusal,
  UnhandledEvent,
  type AuthorizeResult,
  type DeclineCode,
  type PaymentProvider,
  type ProviderEvent,
  type ProviderEventType,
  type ProviderPayment,
  type ProviderPaymentStatus,
} from "./provider.ts";
import type { Currency } from "../../generated/prisma/enums.ts";

export type StripeProviderConfig = {
  secretKey: string;
  webhookSecret: string;
  /** Where the API is; only a test's local fake sets these. */
  host?: string;
  port?: number;
  protocol?: "http" | "https";
};

// Stripe's own window for an online card authorization, used when the charge does not say its own.
const AUTHORIZATION_SECONDS = 7 * 24 * 60 * 60;

// The declines the fan is told apart; every other issuer reason is a plain "card declined".
const NAMED_DECLINES: ReadonlySet<string> = new Set<DeclineCode>(["insufficient_funds", "expired_card", "processing_error"]);

export function stripeProvider(config: StripeProviderConfig): PaymentProvider {
  const stripe = new Stripe(config.secretKey, {
    host: config.host,
    port: config.port,
    protocol: config.protocol,
    // Retries reuse the request's idempotency key, so a lost answer never doubles a charge.
    maxNetworkRetries: 2,
    // A fan waits on the answer at checkout: give up (and let the reconciliation tidy up) long before the SDK's 80 s.
    timeout: 20_000,
  });

  /** The payment intent a call was refused for because of its status, or null when the error is another one. */
  async function wrongState(err: unknown, paymentRef: string): Promise<Stripe.PaymentIntent | null> {
    if (!(err instanceof Stripe.errors.StripeInvalidRequestError) || err.code !== "payment_intent_unexpected_state") return null;
    return err.payment_intent ?? (await stripe.paymentIntents.retrieve(paymentRef));
  }

  return {
    name: "stripe",

    async attachCard(token, { idempotencyKey }) {
      try {
        const method = await stripe.paymentMethods.create({ type: "card", card: { token } }, { idempotencyKey });
        if (!method.card) throw new Error(`Stripe answered payment method ${method.id} without its card`);
        // Stripe lets a card on no customer pay once; a saved card pays again and again only attached to a
        // customer. Each card gets a customer of its own (Onsale keeps no Stripe customer per fan), named by
        // the same key, so a retried save makes and attaches one.
        const customer = await stripe.customers.create({}, { idempotencyKey: `${idempotencyKey}:customer` });
        await stripe.paymentMethods.attach(method.id, { customer: customer.id }, { idempotencyKey: `${idempotencyKey}:attach` });
        const { brand, last4, exp_month: expMonth, exp_year: expYear } = method.card;
        return { brand, last4, expMonth, expYear, methodRef: method.id };
      } catch (err) {
        if (isMissing(err) || (err instanceof Stripe.errors.StripeInvalidRequestError && err.code === "token_already_used")) {
          throw new ProviderRefusal("not_found", stripeMessage(err));
        }
        if (err instanceof Stripe.errors.StripeIdempotencyError) throw new ProviderRefusal("key_reused", stripeMessage(err));
        throw err;
      }
    },

    async authorize(request): Promise<AuthorizeResult> {
      try {
        // The saved card's customer, which Stripe requires beside it.
        const method = await stripe.paymentMethods.retrieve(request.methodRef);
        const customer = typeof method.customer === "string" ? method.customer : (method.customer?.id ?? undefined);
        const intent = await stripe.paymentIntents.create(
          {
            customer,
            // Onsale's minor units are Stripe's smallest currency units for both currencies it sells in: won (zero-decimal
            // at Stripe too) and cents. So the amount goes through as it is, never scaled.
            amount: request.amountMinor,
            currency: request.currency.toLowerCase(),
            payment_method: request.methodRef,
            confirm: true,
            capture_method: "manual",
            // Stripe's API of this SDK replaced `payment_method_types` with this list.
            allowed_payment_method_types: ["card"],
            // Nobody can answer a 3-D Secure challenge from the server: Stripe declines the card instead of leaving the
            // payment waiting in `requires_action`, a state the interface has no word for.
            error_on_requires_action: true,
            description: request.description,
            metadata: request.metadata,
            // The charge carries the authorization's own deadline (capture_before).
            expand: ["latest_charge"],
          },
          { idempotencyKey: request.idempotencyKey },
        );
        if (intent.status !== "requires_capture") {
          throw new Error(`Stripe left payment ${intent.id} in status ${intent.status} after confirming it`);
        }
        return { ok: true, paymentRef: intent.id, expiresAt: captureDeadline(intent) };
      } catch (err) {
        if (!(err instanceof Stripe.errors.StripeCardError)) throw err;
        return { ok: false, decline: declineCode(err), message: stripeMessage(err), paymentRef: err.payment_intent?.id ?? null };
      }
    },

    async capture(paymentRef, { idempotencyKey }) {
      try {
        await stripe.paymentIntents.capture(paymentRef, {}, { idempotencyKey });
      } catch (err) {
        if (isMissing(err)) throw new ProviderRefusal("not_found", stripeMessage(err));
        if (err instanceof Stripe.errors.StripeInvalidRequestError && err.code === "charge_expired_for_capture") {
          throw new ProviderRefusal("expired", stripeMessage(err));
        }
        const intent = await wrongState(err, paymentRef);
        if (!intent) throw err;
        if (intent.status === "succeeded") return;
        throw new ProviderRefusal(intent.status === "canceled" && lapsed(intent) ? "expired" : "not_authorized", stripeMessage(err));
      }
    },

    async void(paymentRef, { idempotencyKey }) {
      try {
        await stripe.paymentIntents.cancel(paymentRef, {}, { idempotencyKey });
      } catch (err) {
        if (isMissing(err)) throw new ProviderRefusal("not_found", stripeMessage(err));
        const intent = await wrongState(err, paymentRef);
        if (!intent) throw err;
        if (intent.status === "canceled") return;
        // Captured (or still processing): there is no authorization left to release; a refund is the way back.
        throw new ProviderRefusal("not_authorized", stripeMessage(err));
      }
    },

    async refund(paymentRef, { amountMinor, idempotencyKey }) {
      try {
        const refund = await stripe.refunds.create({ payment_intent: paymentRef, amount: amountMinor }, { idempotencyKey });
        return { refundRef: refund.id };
      } catch (err) {
        if (isMissing(err)) throw new ProviderRefusal("not_found", stripeMessage(err));
        if (!(err instanceof Stripe.errors.StripeInvalidRequestError)) throw err;
        // Stripe's codes for these refusals are not dependable (an over-refund has been answered with no code at all),
        // so the payment's own state says which refusal it was.
        const intent = await stripe.paymentIntents.retrieve(paymentRef, { expand: ["latest_charge"] });
        if (intent.status !== "succeeded") throw new ProviderRefusal("not_captured", stripeMessage(err));
        if (amountMinor > intent.amount_received - refundedOf(intent)) throw new ProviderRefusal("over_refund", stripeMessage(err));
        throw err;
      }
    },

    async retrieve(paymentRef): Promise<ProviderPayment | null> {
      let intent: Stripe.PaymentIntent;
      try {
        intent = await stripe.paymentIntents.retrieve(paymentRef, { expand: ["latest_charge"] });
      } catch (err) {
        if (isMissing(err)) return null;
        throw err;
      }
      return {
        paymentRef: intent.id,
        status: paymentStatus(intent),
        amountMinor: intent.amount,
        currency: onsaleCurrency(intent.currency),
        refundedMinor: refundedOf(intent),
        metadata: { ...intent.metadata },
      };
    },

    parseEvent(rawBody, signature): ProviderEvent {
      if (!signature) throw new BadSignature("The event has no Stripe-Signature header.");
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(rawBody, signature, config.webhookSecret);
      } catch (err) {
        if (err instanceof Stripe.errors.StripeSignatureVerificationError) throw new BadSignature(err.message);
        throw err;
      }
      return providerEvent(event);
    },
  };
}

function providerEvent(event: Stripe.Event): ProviderEvent {
  const fromIntent = (type: ProviderEventType, intent: Stripe.PaymentIntent, amountMinor: number): ProviderEvent => ({
    id: event.id,
    type,
    paymentRef: intent.id,
    occurredAt: new Date(event.created * 1000),
    amountMinor,
    metadata: { ...intent.metadata },
  });
  switch (event.type) {
    case "payment_intent.amount_capturable_updated":
      return fromIntent("payment.authorized", event.data.object, event.data.object.amount);
    case "payment_intent.succeeded":
      return fromIntent("payment.captured", event.data.object, event.data.object.amount_received);
    case "payment_intent.canceled":
      return fromIntent(lapsed(event.data.object) ? "payment.expired" : "payment.voided", event.data.object, event.data.object.amount);
    case "payment_intent.payment_failed":
      return fromIntent("payment.declined", event.data.object, event.data.object.amount);
    case "charge.refunded": {
      const charge = event.data.object;
      const paymentRef = typeof charge.payment_intent === "string" ? charge.payment_intent : charge.payment_intent?.id;
      // Stripe also marks an uncaptured charge refunded when its authorization is released (a void or an expiry);
      // payment_intent.canceled already tells that, and no money came back.
      if (!charge.captured || !paymentRef) throw new UnhandledEvent(event.type, event.id);
      return {
        id: event.id,
        type: "payment.refunded",
        paymentRef,
        occurredAt: new Date(event.created * 1000),
        // All refunded so far, not this refund alone: events come twice and out of order, and a running total survives both.
        amountMinor: charge.amount_refunded,
        metadata: { ...charge.metadata },
      };
    }
    default:
      throw new UnhandledEvent(event.type, event.id);
  }
}

function paymentStatus(intent: Stripe.PaymentIntent): ProviderPaymentStatus {
  switch (intent.status) {
    case "requires_capture":
      return "AUTHORIZED";
    case "succeeded":
      return "CAPTURED";
    case "canceled":
      return lapsed(intent) ? "EXPIRED" : "VOIDED";
    // Onsale confirms every payment intent as it creates it, so waiting for a card means the card was declined.
    case "requires_payment_method":
      return "DECLINED";
    default:
      throw new Error(`Stripe payment ${intent.id} is in status ${intent.status}, which Onsale never puts a payment in`);
  }
}

/** Canceled by Stripe itself (the authorization ran out), not voided by Onsale. */
function lapsed(intent: Stripe.PaymentIntent): boolean {
  return intent.cancellation_reason === "automatic" || intent.cancellation_reason === "expired";
}

function captureDeadline(intent: Stripe.PaymentIntent): Date {
  const charge = typeof intent.latest_charge === "object" ? intent.latest_charge : null;
  const captureBefore = charge?.payment_method_details?.card?.capture_before;
  return new Date((captureBefore ?? intent.created + AUTHORIZATION_SECONDS) * 1000);
}

/** Money given back from a captured charge; an uncaptured charge's "refund" is only its released authorization. */
function refundedOf(intent: Stripe.PaymentIntent): number {
  const charge = intent.latest_charge;
  if (typeof charge === "string") throw new Error(`Stripe did not expand the charge of payment ${intent.id}`);
  return charge?.captured ? charge.amount_refunded : 0;
}

function onsaleCurrency(stripeCurrency: string): Currency {
  const currency = stripeCurrency.toUpperCase();
  if (!Object.hasOwn(CURRENCY_EXPONENT, currency)) throw new Error(`Stripe answered in ${stripeCurrency}, which Onsale does not sell in`);
  return currency as Currency;
}

function declineCode(err: Stripe.errors.StripeCardError): DeclineCode {
  // The issuer's reason (decline_code) is the more precise; Stripe's code names a few of the same cases on its own.
  const named = [err.decline_code, err.code].find((code) => code !== undefined && NAMED_DECLINES.has(code));
  return (named as DeclineCode | undefined) ?? "card_declined";
}

function isMissing(err: unknown): err is Stripe.errors.StripeInvalidRequestError {
  return err instanceof Stripe.errors.StripeInvalidRequestError && (err.code === "resource_missing" || err.statusCode === 404);
}

/** Stripe's own sentence, without the request id the SDK puts in front of it: it is what the fan and the history read. */
function stripeMessage(err: unknown): string {
  if (!(err instanceof Stripe.errors.StripeError)) return String(err);
  const raw = err.raw as { message?: unknown } | undefined;
  return typeof raw?.message === "string" ? raw.message : err.message;
}
