// The payment provider (DESIGN.md, Payments): what Onsale asks of a card processor, whichever it is.
// Two implementations: the sandbox (sandbox.ts), a processor inside Onsale's own processes for
// development, tests and the simulator; and Stripe (stripe.ts), switched on by its keys.
//
// A card is first authorized (the money is reserved, not taken), then captured once the order is
// committed, or voided when the seats went elsewhere. Every call that changes something takes an
// idempotency key, so a retry after a lost answer does the thing once. A decline is an answer, not an
// error: the fan is told why. An error (the provider down, a broken answer) is thrown.
import type { Currency } from "../../generated/prisma/enums.ts";

export type ProviderName = "sandbox" | "stripe";

/** Why a card was declined, in the words providers use. */
export const DECLINE_CODES = ["card_declined", "insufficient_funds", "expired_card", "processing_error"] as const;
export type DeclineCode = (typeof DECLINE_CODES)[number];

/** What Onsale keeps of a card: never its number. */
export type CardFacts = { brand: string; last4: string; expMonth: number; expYear: number };

/** A card the provider keeps for Onsale, and its reference there (a payment method id). */
export type AttachedCard = CardFacts & { methodRef: string };

export type AuthorizeRequest = {
  amountMinor: number;
  currency: Currency;
  /** The provider's reference of the card (AttachedCard.methodRef). */
  methodRef: string;
  idempotencyKey: string;
  /** What the fan's statement says. */
  description: string;
  /** Onsale's own references (the payment's id), kept by the provider and sent back in its events. */
  metadata: Record<string, string>;
};

export type AuthorizeResult =
  | { ok: true; paymentRef: string; expiresAt: Date }
  | { ok: false; decline: DeclineCode; message: string; paymentRef: string | null };

/** Where a payment stands at the provider. */
export type ProviderPaymentStatus = "AUTHORIZED" | "CAPTURED" | "VOIDED" | "EXPIRED" | "DECLINED";

export type ProviderPayment = {
  paymentRef: string;
  status: ProviderPaymentStatus;
  amountMinor: number;
  currency: Currency;
  refundedMinor: number;
  metadata: Record<string, string>;
};

export const PROVIDER_EVENT_TYPES = [
  "payment.authorized",
  "payment.captured",
  "payment.voided",
  "payment.expired",
  "payment.declined",
  "payment.refunded",
] as const;
export type ProviderEventType = (typeof PROVIDER_EVENT_TYPES)[number];

/** A provider's event, once its signature is checked. Events may come twice and out of order. */
export type ProviderEvent = {
  id: string;
  type: ProviderEventType;
  paymentRef: string;
  occurredAt: Date;
  /** The payment's amount; for payment.refunded, all that is refunded so far (events may repeat and come out of order). */
  amountMinor: number;
  metadata: Record<string, string>;
};

/** Why a capture, void or refund could not be done: the answer's own words, for the payment's history. */
export class ProviderRefusal extends Error {
  constructor(
    readonly reason: "expired" | "not_authorized" | "not_captured" | "over_refund" | "not_found" | "key_reused",
    message: string,
  ) {
    super(message);
    this.name = "ProviderRefusal";
  }
}

/** A genuine event of a kind Onsale does not act on: a webhook answers it 200 and drops it. */
export class UnhandledEvent extends Error {
  constructor(
    readonly eventType: string,
    readonly eventId: string,
  ) {
    super(`Event ${eventId} of type ${eventType} is not one Onsale acts on.`);
    this.name = "UnhandledEvent";
  }
}

/** A webhook whose signature does not match its body, or that is too old. */
export class BadSignature extends Error {
  constructor(message = "The event's signature does not match.") {
    super(message);
    this.name = "BadSignature";
  }
}

export interface PaymentProvider {
  readonly name: ProviderName;
  /** A token from the provider's client side becomes a saved card; an unknown token throws ProviderRefusal("not_found"). */
  attachCard(token: string, opts: { idempotencyKey: string }): Promise<AttachedCard>;
  authorize(request: AuthorizeRequest): Promise<AuthorizeResult>;
  /** Takes the authorized money. Capturing a captured payment again is a no-op; an expired or voided one throws ProviderRefusal. */
  capture(paymentRef: string, opts: { idempotencyKey: string }): Promise<void>;
  /** Releases an authorization. Voiding a voided or expired one is a no-op; a captured one throws ProviderRefusal. */
  void(paymentRef: string, opts: { idempotencyKey: string }): Promise<void>;
  /** Gives captured money back to the card; returns the provider's refund reference. */
  refund(paymentRef: string, opts: { amountMinor: number; idempotencyKey: string }): Promise<{ refundRef: string }>;
  /** The payment as the provider has it, or null when it has none by that reference. */
  retrieve(paymentRef: string): Promise<ProviderPayment | null>;
  /** A webhook's raw body and signature header, checked, as an event; throws BadSignature otherwise, UnhandledEvent for a kind Onsale ignores. */
  parseEvent(rawBody: string, signature: string | null): ProviderEvent;
}
