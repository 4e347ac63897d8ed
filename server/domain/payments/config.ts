// The card processor this installation uses (env.ts, PAYMENT_PROVIDER): made once per process.
import { createHash } from "node:crypto";
import { env } from "../../env.ts";
import { enqueueSandboxEvents } from "../../queue/queues.ts";
import type { PaymentProvider, ProviderName } from "./provider.ts";
import { sandboxProvider } from "./sandbox.ts";
import { stripeProvider } from "./stripe.ts";

let cached: PaymentProvider | undefined;

/** Which processor the environment names; production must name one (a lost Stripe key never means fake cards). */
export function providerNameOf(e = env()): ProviderName {
  if (e.PAYMENT_PROVIDER) return e.PAYMENT_PROVIDER;
  if (e.NODE_ENV === "production") {
    throw new Error("PAYMENT_PROVIDER must be set in production: stripe (with its keys), or sandbox for a rehearsal that takes no money.");
  }
  return e.STRIPE_SECRET_KEY ? "stripe" : "sandbox";
}

/** Whether this installation pays with the sandbox (false too while production has named no processor). */
export function sandboxInUse(e = env()): boolean {
  try {
    return providerNameOf(e) === "sandbox";
  } catch {
    return false;
  }
}

/** The sandbox's webhook secret, derived from AUTH_SECRET (as the waiting room's key is), so it has no default of its own. */
export function sandboxWebhookSecret(e = env()): string {
  return createHash("sha256").update(`onsale-sandbox-webhook:${e.AUTH_SECRET}`).digest("base64url");
}

export function paymentProvider(): PaymentProvider {
  if (cached) return cached;
  const e = env();
  if (providerNameOf(e) === "stripe") {
    if (!e.STRIPE_SECRET_KEY || !e.STRIPE_WEBHOOK_SECRET)
      throw new Error("PAYMENT_PROVIDER stripe needs STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET.");
    const api = e.STRIPE_API_URL ? new URL(e.STRIPE_API_URL) : undefined;
    cached = stripeProvider({
      secretKey: e.STRIPE_SECRET_KEY,
      webhookSecret: e.STRIPE_WEBHOOK_SECRET,
      ...(api && { host: api.hostname, port: Number(api.port) || undefined, protocol: api.protocol === "http:" ? "http" : "https" }),
    });
  } else {
    cached = sandboxProvider({ webhookSecret: sandboxWebhookSecret(e), deliver: (eventIds) => enqueueSandboxEvents(eventIds) });
  }
  return cached;
}
