// Which card processor an environment names, and the refusals that keep fake cards out of production.
import { describe, expect, it } from "vitest";
import { parseEnv } from "../../env.ts";
import { providerNameOf, sandboxWebhookSecret } from "./config.ts";

const STRONG = "an-auth-secret-with-plenty-of-different-characters-0123456789";

describe("payment provider configuration", () => {
  it("uses the sandbox in development, and Stripe once its key is set", () => {
    expect(providerNameOf(parseEnv({}))).toBe("sandbox");
    expect(providerNameOf(parseEnv({ STRIPE_SECRET_KEY: "sk_test_123", STRIPE_WEBHOOK_SECRET: "whsec_123" }))).toBe("stripe");
    expect(providerNameOf(parseEnv({ PAYMENT_PROVIDER: "sandbox", STRIPE_SECRET_KEY: "sk_test_123" }))).toBe("sandbox");
  });

  it("makes production name its processor, so lost Stripe keys never mean test cards", () => {
    const production = parseEnv({ NODE_ENV: "production", AUTH_SECRET: STRONG });
    expect(() => providerNameOf(production)).toThrow(/PAYMENT_PROVIDER must be set in production/);
    expect(providerNameOf(parseEnv({ NODE_ENV: "production", AUTH_SECRET: STRONG, PAYMENT_PROVIDER: "sandbox" }))).toBe("sandbox");
    // Stripe's calls, secret key and all, go to Stripe itself in production.
    expect(() => parseEnv({ NODE_ENV: "production", AUTH_SECRET: STRONG, STRIPE_API_URL: "http://127.0.0.1:12111" })).toThrow(
      /STRIPE_API_URL: only a test's fake/,
    );
  });

  it("refuses Stripe without both keys, and keys that are not Stripe's", () => {
    expect(() => parseEnv({ PAYMENT_PROVIDER: "stripe", STRIPE_SECRET_KEY: "sk_test_123" })).toThrow(
      /needs STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET/,
    );
    // Chosen by its key alone, Stripe needs its webhook secret too.
    expect(() => parseEnv({ STRIPE_SECRET_KEY: "sk_test_123" })).toThrow(/needs STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET/);
    expect(() => parseEnv({ STRIPE_SECRET_KEY: "pk_test_123" })).toThrow(/STRIPE_SECRET_KEY: must be a Stripe secret key/);
    expect(() => parseEnv({ STRIPE_WEBHOOK_SECRET: "secret" })).toThrow(/STRIPE_WEBHOOK_SECRET: must be a Stripe webhook signing secret/);
  });

  it("derives the sandbox's webhook key from AUTH_SECRET, so each installation's differs", () => {
    const a = sandboxWebhookSecret(parseEnv({ AUTH_SECRET: STRONG }));
    const b = sandboxWebhookSecret(parseEnv({ AUTH_SECRET: `${STRONG}x` }));
    expect(a).not.toBe(b);
    expect(a).not.toContain(STRONG);
    expect(a.length).toBeGreaterThanOrEqual(40);
  });
});
