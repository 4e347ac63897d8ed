// The processor's webhook as the processor calls it: a signed event is kept once however often it
// comes, events that came out of order read in the order they happened, and a bad signature keeps nothing.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "../db.ts";
import { sandboxWebhookSecret } from "../domain/payments/config.ts";
import { paymentEventsOf } from "../domain/payments/events.ts";
import { signSandboxEvent } from "../domain/payments/sandbox.ts";
import { handlePaymentWebhook } from "./payment-webhook.ts";

function sandboxEvent(paymentRef: string, type: string, occurredAt: Date) {
  return { id: `evt_sbx_${randomUUID()}`, type, paymentRef, occurredAt: occurredAt.toISOString(), amountMinor: 5_000, metadata: {} };
}

function post(body: string, signature: string | null) {
  const headers = new Headers({ "content-type": "application/json" });
  if (signature) headers.set("onsale-sandbox-signature", signature);
  return handlePaymentWebhook(new Request("http://localhost/api/payments/webhook", { method: "POST", headers, body }));
}

const signed = (body: string) => signSandboxEvent(body, sandboxWebhookSecret(), new Date());

describe("payment webhook", () => {
  it("keeps a signed event once, answering 200 to every delivery", async () => {
    const paymentRef = `pi_sbx_${randomUUID()}`;
    const body = JSON.stringify(sandboxEvent(paymentRef, "payment.authorized", new Date()));
    // Delivered three times at once: one is kept, the others are told they repeat it.
    const answers = await Promise.all([post(body, signed(body)), post(body, signed(body)), post(body, signed(body))]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    const outcomes = (await Promise.all(answers.map((r) => r.json()))) as { outcome: string }[];
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(["duplicate", "duplicate", "recorded"]);
    expect(await prisma().paymentEvent.count({ where: { paymentRef } })).toBe(1);
  });

  it("reads events in the order they happened, whatever order they came in, also within one second", async () => {
    const paymentRef = `pi_sbx_${randomUUID()}`;
    const t = Date.now();
    const at = (ms: number) => new Date(t + ms);
    // Stamped as Stripe stamps (whole seconds): capture and first refund in the same second as the authorization.
    const events = [
      { ...sandboxEvent(paymentRef, "payment.refunded", at(0)), amountMinor: 5_000 },
      { ...sandboxEvent(paymentRef, "payment.refunded", at(0)), amountMinor: 2_000 },
      sandboxEvent(paymentRef, "payment.captured", at(0)),
      sandboxEvent(paymentRef, "payment.authorized", at(0)),
      sandboxEvent(paymentRef, "payment.authorized", at(-60_000)),
    ];
    for (const event of events) {
      const body = JSON.stringify(event);
      expect((await post(body, signed(body))).status).toBe(200);
    }
    expect((await paymentEventsOf(paymentRef)).map((e) => e.type)).toEqual([
      "payment.authorized",
      "payment.authorized",
      "payment.captured",
      "payment.refunded",
      "payment.refunded",
    ]);
    const rows = await prisma().paymentEvent.findMany({ where: { paymentRef, type: "payment.refunded" } });
    const byId = new Map(rows.map((r) => [r.eventId, (r.payload as { amountMinor: number }).amountMinor]));
    expect((await paymentEventsOf(paymentRef)).slice(3).map((e) => byId.get(e.eventId))).toEqual([2_000, 5_000]);
  });

  it("refuses a missing or wrong signature, or a changed body, with 400, keeping nothing", async () => {
    const paymentRef = `pi_sbx_${randomUUID()}`;
    const body = JSON.stringify(sandboxEvent(paymentRef, "payment.captured", new Date()));
    const answers = [
      await post(body, null),
      await post(body, signSandboxEvent(body, "not-the-secret", new Date())),
      await post(body.replace("5000", "1"), signed(body)),
      await post(body, signSandboxEvent(body, sandboxWebhookSecret(), new Date(Date.now() - 3_600_000))),
    ];
    for (const res of answers) {
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: "BAD_REQUEST" } });
    }
    expect(await prisma().paymentEvent.count({ where: { paymentRef } })).toBe(0);
  });
});
