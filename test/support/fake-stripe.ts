// A local stand-in for the few Stripe endpoints the Stripe adapter calls, so the real `stripe` SDK can be tested offline.
// It speaks Stripe's wire format (form-encoded bodies, JSON objects and error shapes, Idempotency-Key replays, a
// Request-Id on every answer), knows Stripe's test tokens, records what the SDK sent, and keeps the events Stripe would
// have sent for each change. Only what the adapter uses is modelled; anything else answers like an unknown URL.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";

type Json = Record<string, unknown>;

/** A request as the fake saw it: `fields` are the form (or query) fields exactly as the SDK encoded them. */
export type RecordedRequest = {
  method: string;
  path: string;
  fields: Record<string, string>;
  idempotencyKey: string | null;
  /** True when the answer was a replay of an earlier request with the same Idempotency-Key. */
  replayed: boolean;
  status: number;
};

/** An event as Stripe would have delivered it to a webhook, before signing. */
export type FakeEvent = {
  id: string;
  object: "event";
  api_version: string;
  created: number;
  data: { object: Json; previous_attributes?: Json };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
};

type TestCard = {
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  decline?: { code: string; declineCode: string; message: string };
};

const visa = { brand: "visa", expMonth: 12, expYear: 2034 };
const declined = (last4: string, code: string, declineCode: string, message: string): TestCard => ({
  ...visa,
  last4,
  decline: { code, declineCode, message },
});

// Stripe's documented test tokens and what a charge on each does.
export const TEST_TOKENS: Record<string, TestCard> = {
  tok_visa: { ...visa, last4: "4242" },
  tok_visa_4242: { ...visa, last4: "4242" },
  tok_mastercard: { brand: "mastercard", last4: "4444", expMonth: 12, expYear: 2034 },
  tok_chargeDeclined: declined("0002", "card_declined", "generic_decline", "Your card was declined."),
  tok_chargeDeclinedInsufficientFunds: declined("9995", "card_declined", "insufficient_funds", "Your card has insufficient funds."),
  tok_chargeDeclinedExpiredCard: declined("0069", "expired_card", "expired_card", "Your card has expired."),
  tok_chargeDeclinedProcessingError: declined(
    "0119",
    "processing_error",
    "processing_error",
    "An error occurred while processing your card. Try again in a little bit.",
  ),
  tok_chargeDeclinedFraudulent: declined("0019", "card_declined", "fraudulent", "Your card was declined."),
  tok_chargeDeclinedIncorrectCvc: declined("0127", "incorrect_cvc", "incorrect_cvc", "Your card's security code is incorrect."),
};

const CANCELABLE = ["requires_payment_method", "requires_capture", "requires_confirmation", "requires_action", "processing"];

export type FakeStripe = {
  port: number;
  secretKey: string;
  webhookSecret: string;
  /** Every request, oldest first. */
  requests: RecordedRequest[];
  /** Objects created (not replays): what "Stripe did it once" means. */
  created: { customers: number; paymentMethods: number; paymentIntents: number; refunds: number };
  /** The events Stripe would have sent for the changes so far, oldest first. */
  events: FakeEvent[];
  /** The requests to one path prefix, e.g. "POST /v1/payment_intents". */
  requestsTo(methodAndPath: string): RecordedRequest[];
  /** The payment intent as Stripe has it now, its latest charge expanded. */
  paymentIntent(id: string): Json;
  /** The next `count` requests (to `onlyPath`, if given) fail with `status` before doing anything, as a Stripe outage would. */
  failNext(count: number, status?: number, onlyPath?: string): void;
  /** What Stripe does when an authorization is never captured: cancels the payment intent with reason "automatic". */
  expireAuthorization(id: string): void;
  close(): Promise<void>;
};

export type FakeStripeOptions = {
  secretKey?: string;
  webhookSecret?: string;
  /** Seconds from a charge to its card's capture_before; null leaves capture_before out, as some charges do. */
  captureWindowSeconds?: number | null;
};

class StripeFailure extends Error {
  constructor(
    readonly status: number,
    readonly error: Json,
  ) {
    super(String(error.message));
  }
}

// An unknown id in the URL is a 404; one in the body is a 400 naming the field. Both are "resource_missing".
const missing = (kind: string, id: string, where: { inBody: boolean; param: string }) =>
  new StripeFailure(where.inBody ? 400 : 404, {
    type: "invalid_request_error",
    code: "resource_missing",
    message: `No such ${kind}: '${id}'`,
    param: where.param,
  });

export async function startFakeStripe(options: FakeStripeOptions = {}): Promise<FakeStripe> {
  const secretKey = options.secretKey ?? `sk_test_fake_${randomBytes(8).toString("hex")}`;
  const webhookSecret = options.webhookSecret ?? `whsec_fake_${randomBytes(12).toString("hex")}`;
  const captureWindow = options.captureWindowSeconds === undefined ? 7 * 24 * 60 * 60 : options.captureWindowSeconds;

  const requests: RecordedRequest[] = [];
  const events: FakeEvent[] = [];
  const created = { customers: 0, paymentMethods: 0, paymentIntents: 0, refunds: 0 };
  const customers = new Set<string>();
  // `used`: paid with once while attached to no customer, after which Stripe refuses it.
  const methods = new Map<string, { json: Json; card: TestCard; used: boolean }>();
  const intents = new Map<string, Json>();
  const charges = new Map<string, Json>();
  const idempotent = new Map<string, { method: string; path: string; body: string; status: number; answer: Json }>();
  let failures = { count: 0, status: 500, onlyPath: undefined as string | undefined };
  // The request being handled, so the events it causes name it as Stripe's do.
  let current = { requestId: null as string | null, idempotencyKey: null as string | null };

  const id = (prefix: string) => `${prefix}_${randomBytes(12).toString("hex")}`;
  const now = () => Math.floor(Date.now() / 1000);
  const copy = (value: Json): Json => structuredClone(value);

  function emit(type: string, object: Json, previous?: Json) {
    events.push({
      id: id("evt"),
      object: "event",
      api_version: Stripe.API_VERSION,
      created: now(),
      data: { object: copy(object), ...(previous ? { previous_attributes: previous } : {}) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: current.requestId, idempotency_key: current.idempotencyKey },
      type,
    });
  }

  function intentOr404(intentId: string, inBody = false): Json {
    const intent = intents.get(intentId);
    if (!intent) throw missing("payment_intent", intentId, { inBody, param: inBody ? "payment_intent" : "intent" });
    return intent;
  }

  function chargeOf(intent: Json): Json {
    const charge = charges.get(String(intent.latest_charge));
    if (!charge) throw new Error(`fake Stripe: ${String(intent.id)} has no charge`);
    return charge;
  }

  function present(intent: Json, expand: string[]): Json {
    const out = copy(intent);
    if (expand.includes("latest_charge") && intent.latest_charge) out.latest_charge = copy(chargeOf(intent));
    return out;
  }

  function wrongState(intent: Json, verb: "captured" | "canceled", allowed: string[]): StripeFailure {
    const message =
      verb === "captured"
        ? `This PaymentIntent could not be captured because it has a status of ${String(intent.status)}. Only a PaymentIntent with one of the following statuses may be captured: ${allowed.join(", ")}.`
        : `You cannot cancel this PaymentIntent because it has a status of ${String(intent.status)}. Only a PaymentIntent with one of the following statuses may be canceled: ${allowed.join(", ")}.`;
    return new StripeFailure(400, {
      type: "invalid_request_error",
      code: "payment_intent_unexpected_state",
      message,
      payment_intent: copy(intent),
    });
  }

  function createPaymentMethod(form: Form): Json {
    if (form.type !== "card") throw invalid("Only card payment methods are modelled by the fake.", "type");
    const token = str(sub(form.card)?.token);
    const card = TEST_TOKENS[token];
    if (!card) throw missing("token", token, { inBody: true, param: "card[token]" });
    const json: Json = {
      id: id("pm"),
      object: "payment_method",
      type: "card",
      billing_details: { address: null, email: null, name: null, phone: null },
      card: {
        brand: card.brand,
        country: "US",
        exp_month: card.expMonth,
        exp_year: card.expYear,
        fingerprint: randomBytes(8).toString("hex"),
        funding: "credit",
        last4: card.last4,
        networks: { available: [card.brand], preferred: null },
      },
      created: now(),
      customer: null,
      livemode: false,
      metadata: {},
    };
    methods.set(String(json.id), { json, card, used: false });
    created.paymentMethods += 1;
    return json;
  }

  function createPaymentIntent(form: Form): { status: number; answer: Json } {
    const amount = Number(form.amount);
    if (!Number.isSafeInteger(amount) || amount <= 0) throw invalid("Invalid positive integer", "amount");
    const currency = str(form.currency);
    if (!/^[a-z]{3}$/.test(currency)) throw invalid(`Invalid currency: ${currency}`, "currency");
    const methodId = str(form.payment_method);
    const method = methods.get(methodId);
    if (!method) throw missing("PaymentMethod", methodId, { inBody: true, param: "payment_method" });
    // Stripe's rule for saved cards: a payment method on no customer pays once; one on a customer pays for that customer.
    const customer = form.customer === undefined ? null : str(form.customer);
    if (method.json.customer !== null && method.json.customer !== customer) {
      throw invalid("The provided PaymentMethod belongs to a Customer, but you did not provide that Customer.", "payment_method");
    }
    if (method.json.customer === null && method.used) {
      throw invalid(
        "The provided PaymentMethod was previously used with a PaymentIntent without Customer attachment, shared with a connected account without Customer attachment, or was detached from a Customer. It may not be used again. To use a PaymentMethod multiple times, you must attach it to a Customer first.",
        "payment_method",
      );
    }
    if (method.json.customer === null) method.used = true;
    const captureMethod = str(form.capture_method) || "automatic";
    const intent: Json = {
      id: id("pi"),
      object: "payment_intent",
      amount,
      amount_capturable: 0,
      amount_received: 0,
      allowed_payment_method_types: list(form.allowed_payment_method_types),
      canceled_at: null,
      cancellation_reason: null,
      capture_method: captureMethod,
      client_secret: null,
      confirmation_method: "automatic",
      created: now(),
      currency,
      customer,
      description: form.description === undefined ? null : str(form.description),
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      metadata: { ...(sub(form.metadata) ?? {}) },
      payment_method: methodId,
      payment_method_types: ["card"],
      status: "requires_payment_method",
    };
    intent.client_secret = `${String(intent.id)}_secret_${randomBytes(8).toString("hex")}`;
    intents.set(String(intent.id), intent);
    created.paymentIntents += 1;
    emit("payment_intent.created", intent);
    const expand = list(form.expand);
    if (form.confirm !== "true") return { status: 200, answer: present(intent, expand) };

    const card = method.card;
    const charge: Json = {
      id: id("ch"),
      object: "charge",
      amount,
      amount_captured: 0,
      amount_refunded: 0,
      captured: false,
      created: now(),
      currency,
      failure_code: card.decline?.code ?? null,
      failure_message: card.decline?.message ?? null,
      livemode: false,
      // Stripe copies the payment intent's metadata onto the charges it makes.
      metadata: { ...(intent.metadata as Json) },
      outcome: card.decline
        ? { network_status: "declined_by_network", reason: card.decline.declineCode, type: "issuer_declined" }
        : { network_status: "approved_by_network", reason: null, type: "authorized" },
      paid: !card.decline,
      payment_intent: intent.id,
      payment_method: methodId,
      payment_method_details: {
        type: "card",
        card: {
          brand: card.brand,
          exp_month: card.expMonth,
          exp_year: card.expYear,
          last4: card.last4,
          ...(captureMethod === "manual" && captureWindow !== null ? { capture_before: now() + captureWindow } : {}),
        },
      },
      refunded: false,
      status: card.decline ? "failed" : "succeeded",
    };
    charges.set(String(charge.id), charge);
    intent.latest_charge = charge.id;

    if (card.decline) {
      const error = {
        type: "card_error",
        code: card.decline.code,
        decline_code: card.decline.declineCode,
        message: card.decline.message,
        charge: charge.id,
        doc_url: `https://docs.stripe.com/error-codes/${card.decline.code.replace(/_/g, "-")}`,
        payment_method: copy(method.json),
      };
      intent.last_payment_error = { ...error };
      emit("charge.failed", charge);
      emit("payment_intent.payment_failed", intent);
      return { status: 402, answer: { error: { ...error, payment_intent: present(intent, expand) } } };
    }
    emit("charge.succeeded", charge);
    if (captureMethod === "manual") {
      intent.status = "requires_capture";
      intent.amount_capturable = amount;
      emit("payment_intent.amount_capturable_updated", intent);
    } else {
      capture(intent);
    }
    return { status: 200, answer: present(intent, expand) };
  }

  function capture(intent: Json) {
    const charge = chargeOf(intent);
    Object.assign(charge, { captured: true, amount_captured: charge.amount });
    Object.assign(intent, { status: "succeeded", amount_received: intent.amount, amount_capturable: 0 });
    emit("charge.captured", charge);
    emit("payment_intent.succeeded", intent);
  }

  /** Releasing an uncaptured charge: Stripe marks it refunded in full, though no money had moved. */
  function release(intent: Json, reason: string | null, eventType: "charge.refunded" | "charge.expired") {
    if (intent.latest_charge) {
      const charge = chargeOf(intent);
      if (charge.status === "succeeded" && !charge.captured) {
        const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
        Object.assign(charge, { amount_refunded: charge.amount, refunded: true });
        emit(eventType, charge, previous);
      }
    }
    Object.assign(intent, { status: "canceled", cancellation_reason: reason, canceled_at: now(), amount_capturable: 0 });
    emit("payment_intent.canceled", intent);
  }

  function createRefund(form: Form): Json {
    const intentId = str(form.payment_intent);
    if (!intentId) throw invalid("The fake models refunds by payment_intent only.", "payment_intent");
    const intent = intentOr404(intentId, true);
    if (intent.status !== "succeeded") {
      throw invalid(`This PaymentIntent (${intentId}) does not have a successful charge to refund.`);
    }
    const charge = chargeOf(intent);
    const refundable = Number(charge.amount_captured) - Number(charge.amount_refunded);
    if (refundable === 0) {
      throw new StripeFailure(400, {
        type: "invalid_request_error",
        code: "charge_already_refunded",
        message: `Charge ${String(charge.id)} has already been refunded.`,
      });
    }
    const amount = form.amount === undefined ? refundable : Number(form.amount);
    if (!Number.isSafeInteger(amount) || amount <= 0) throw invalid("Invalid positive integer", "amount");
    // Stripe answers an over-refund with no error code, only the param and a sentence.
    if (amount > refundable) {
      throw invalid(
        `Refund amount (${amount} ${String(charge.currency)}) is greater than unrefunded amount on charge (${refundable} ${String(charge.currency)})`,
        "amount",
      );
    }
    const refund: Json = {
      id: id("re"),
      object: "refund",
      amount,
      charge: charge.id,
      created: now(),
      currency: charge.currency,
      metadata: {},
      payment_intent: intentId,
      reason: null,
      status: "succeeded",
    };
    created.refunds += 1;
    const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
    charge.amount_refunded = Number(charge.amount_refunded) + amount;
    charge.refunded = charge.amount_refunded === charge.amount_captured;
    emit("refund.created", refund);
    emit("charge.refunded", charge, previous);
    return refund;
  }

  function route(method: string, path: string, form: Form): { status: number; answer: Json } {
    const expand = list(form.expand);
    const ok = (answer: Json) => ({ status: 200, answer });
    if (method === "POST" && path === "/v1/customers") {
      const customer = { id: id("cus"), object: "customer", created: now(), livemode: false, metadata: { ...(sub(form.metadata) ?? {}) } };
      customers.add(customer.id);
      created.customers += 1;
      return ok(customer);
    }
    if (method === "POST" && path === "/v1/payment_methods") return ok(createPaymentMethod(form));
    const pm = /^\/v1\/payment_methods\/([^/]+)(?:\/(attach))?$/.exec(path);
    if (pm) {
      const methodId = decodeURIComponent(pm[1] ?? "");
      const found = methods.get(methodId);
      if (!found) throw missing("payment_method", methodId, { inBody: false, param: "payment_method" });
      if (method === "GET" && !pm[2]) return ok(copy(found.json));
      if (method === "POST" && pm[2] === "attach") {
        const customer = str(form.customer);
        if (!customers.has(customer)) throw missing("customer", customer, { inBody: true, param: "customer" });
        if (found.used)
          throw invalid("This PaymentMethod was previously used without being attached to a Customer. It may not be used again.");
        found.json.customer = customer;
        return ok(copy(found.json));
      }
    }
    if (method === "POST" && path === "/v1/payment_intents") return createPaymentIntent(form);
    if (method === "POST" && path === "/v1/refunds") return ok(createRefund(form));
    const match = /^\/v1\/payment_intents\/([^/]+)(?:\/(capture|cancel))?$/.exec(path);
    if (match) {
      const intent = intentOr404(decodeURIComponent(match[1] ?? ""));
      const action = match[2];
      if (method === "GET" && !action) return ok(present(intent, expand));
      if (method === "POST" && action === "capture") {
        if (intent.status !== "requires_capture") throw wrongState(intent, "captured", ["requires_capture"]);
        capture(intent);
        return ok(present(intent, expand));
      }
      if (method === "POST" && action === "cancel") {
        if (!CANCELABLE.includes(String(intent.status))) throw wrongState(intent, "canceled", CANCELABLE);
        release(intent, form.cancellation_reason === undefined ? null : str(form.cancellation_reason), "charge.refunded");
        return ok(present(intent, expand));
      }
    }
    throw new StripeFailure(404, {
      type: "invalid_request_error",
      message: `Unrecognized request URL (${method}: ${path}). The fake Stripe models only what the adapter calls.`,
    });
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const requestId = id("req");
      const method = req.method ?? "GET";
      const url = new URL(req.url ?? "/", "http://fake-stripe");
      const body = method === "GET" ? url.search.slice(1) : Buffer.concat(chunks).toString("utf8");
      const key = headerOf(req, "idempotency-key");
      const fields = Object.fromEntries(new URLSearchParams(body));
      const record: RecordedRequest = { method, path: url.pathname, fields, idempotencyKey: key, replayed: false, status: 0 };
      requests.push(record);
      const send = (status: number, answer: Json, extra: Record<string, string> = {}) => {
        record.status = status;
        res.writeHead(status, {
          "Content-Type": "application/json",
          "Request-Id": requestId,
          ...(key ? { "Idempotency-Key": key } : {}),
          ...extra,
        });
        res.end(JSON.stringify(answer));
      };

      if (headerOf(req, "authorization") !== `Bearer ${secretKey}`) {
        send(401, { error: { type: "invalid_request_error", message: "Invalid API Key provided: sk_test_****" } });
        return;
      }
      if (failures.count > 0 && (!failures.onlyPath || failures.onlyPath === url.pathname)) {
        failures.count -= 1;
        send(failures.status, { error: { type: "api_error", message: "The fake Stripe was told to fail this request." } });
        return;
      }
      if (key && method === "POST") {
        const earlier = idempotent.get(key);
        if (earlier && (earlier.method !== method || earlier.path !== url.pathname || earlier.body !== body)) {
          send(400, {
            error: {
              type: "idempotency_error",
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
            },
          });
          return;
        }
        if (earlier) {
          record.replayed = true;
          send(earlier.status, earlier.answer, { "Idempotent-Replayed": "true" });
          return;
        }
      }

      current = { requestId, idempotencyKey: key };
      let status: number;
      let answer: Json;
      try {
        ({ status, answer } = route(method, url.pathname, parseForm(body)));
      } catch (err) {
        if (!(err instanceof StripeFailure)) {
          send(500, { error: { type: "api_error", message: `fake Stripe broke: ${String(err)}` } });
          return;
        }
        status = err.status;
        answer = { error: { ...err.error, request_log_url: `https://dashboard.stripe.com/test/logs/${requestId}` } };
      } finally {
        current = { requestId: null, idempotencyKey: null };
      }
      if (key && method === "POST") idempotent.set(key, { method, path: url.pathname, body, status, answer });
      send(status, answer);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    port,
    secretKey,
    webhookSecret,
    requests,
    created,
    events,
    requestsTo(methodAndPath) {
      const [method, path] = methodAndPath.split(" ");
      return requests.filter((r) => r.method === method && r.path === path);
    },
    paymentIntent(intentId) {
      return present(intentOr404(intentId), ["latest_charge"]);
    },
    failNext(count, status = 500, onlyPath) {
      failures = { count, status, onlyPath };
    },
    expireAuthorization(intentId) {
      const intent = intentOr404(intentId);
      if (intent.status !== "requires_capture") throw new Error(`fake Stripe: ${intentId} is ${String(intent.status)}, not authorized`);
      release(intent, "automatic", "charge.expired");
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/**
 * A webhook body and its Stripe-Signature header for an event, signed by the SDK's own test helper so the scheme
 * is Stripe's, not ours. `timestamp` (seconds) backdates the signature.
 */
export function signedWebhook(event: object, secret: string, options: { timestamp?: number } = {}): { body: string; signature: string } {
  const body = JSON.stringify(event, null, 2);
  return { body, signature: Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: options.timestamp }) };
}

// Stripe's form encoding: `card[token]=…`, `metadata[paymentId]=…`, `expand[0]=…`, read back into nested objects.
type Form = { [key: string]: string | Form };

function parseForm(text: string): Form {
  const form: Form = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const path = key.replace(/\]/g, "").split("[");
    let node = form;
    for (const [i, part] of path.entries()) {
      if (i === path.length - 1) {
        node[part] = value;
      } else {
        const next = node[part];
        node = typeof next === "object" ? next : (node[part] = {});
      }
    }
  }
  return form;
}

function str(value: string | Form | undefined): string {
  return typeof value === "string" ? value : "";
}

function sub(value: string | Form | undefined): Record<string, string> | undefined {
  if (typeof value !== "object") return undefined;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, str(v)]));
}

function list(value: string | Form | undefined): string[] {
  return Object.values(sub(value) ?? {});
}

function invalid(message: string, param?: string): StripeFailure {
  return new StripeFailure(400, { type: "invalid_request_error", message, ...(param ? { param } : {}) });
}

function headerOf(req: http.IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === "string" ? value : null;
}
