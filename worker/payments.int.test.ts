// The sandbox's events delivered by a real worker process: late, in no set order, each twice here, and
// kept once each by the webhook receiver.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "../server/db.ts";
import { sandboxWebhookSecret } from "../server/domain/payments/config.ts";
import { paymentEventsOf, REDELIVER_AFTER_MS, redeliverSandboxEvents } from "../server/domain/payments/events.ts";
import { sandboxProvider } from "../server/domain/payments/sandbox.ts";
import { enqueueSandboxEvents, paymentsQueue } from "../server/queue/queues.ts";
import { startWorker, waitFor, type RunningWorker } from "../test/support/processes.ts";

const workers: RunningWorker[] = [];
const queue = paymentsQueue();
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await queue.close();
});

describe("sandbox events in the worker", () => {
  it("delivers every event of a payment, each twice, and the receiver keeps each once", async () => {
    const sandbox = sandboxProvider({
      webhookSecret: sandboxWebhookSecret(),
      deliver: (eventIds) => enqueueSandboxEvents(eventIds, { duplicateRate: 1, maxDelayMs: 500 }),
    });
    const { methodRef } = await sandbox.attachCard("tok_visa", { idempotencyKey: randomUUID() });
    const auth = await sandbox.authorize({
      amountMinor: 30_000,
      currency: "KRW",
      methodRef,
      idempotencyKey: randomUUID(),
      description: "Onsale tickets",
      metadata: { paymentId: "pay_worker_test" },
    });
    if (!auth.ok) throw new Error(auth.message);
    await sandbox.capture(auth.paymentRef, { idempotencyKey: randomUUID() });
    await sandbox.refund(auth.paymentRef, { amountMinor: 30_000, idempotencyKey: randomUUID() });
    const sent = await prisma().sandboxEvent.findMany({ where: { paymentId: auth.paymentRef }, select: { id: true } });
    expect(sent).toHaveLength(3);
    // Two deliveries of each event were queued (read before a worker runs: done jobs are removed).
    for (const { id } of sent) {
      expect(await queue.getJob(id)).toBeDefined();
      expect(await queue.getJob(`${id}.again`)).toBeDefined();
    }
    workers.push(startWorker());

    const kept = await waitFor(
      async () => {
        const events = await paymentEventsOf(auth.paymentRef);
        const { waiting = 0, delayed = 0, active = 0 } = await queue.getJobCounts("waiting", "delayed", "active");
        return events.length === 3 && waiting + delayed + active === 0 ? events : undefined;
      },
      45_000,
      "every delivery to be done",
    );
    expect(kept.map((e) => e.type)).toEqual(["payment.authorized", "payment.captured", "payment.refunded"]);
    expect(new Set(kept.map((e) => e.eventId))).toEqual(new Set(sent.map((e) => e.id)));
    expect(await prisma().paymentEvent.count({ where: { paymentRef: auth.paymentRef } })).toBe(3);
  }, 90_000);

  it("sends again, in a round of its own, an event whose delivery was lost, and then finds nothing left", async () => {
    if (workers.length === 0) workers.push(startWorker());
    // A processor whose deliveries are all lost (as when Redis was down as the change committed).
    const lossy = sandboxProvider({ webhookSecret: sandboxWebhookSecret(), deliver: async () => false });
    const { methodRef } = await lossy.attachCard("tok_mastercard", { idempotencyKey: randomUUID() });
    const auth = await lossy.authorize({
      amountMinor: 12_000,
      currency: "KRW",
      methodRef,
      idempotencyKey: randomUUID(),
      description: "Onsale tickets",
      metadata: { paymentId: "pay_worker_sweep" },
    });
    if (!auth.ok) throw new Error(auth.message);
    const [event] = await prisma().sandboxEvent.findMany({ where: { paymentId: auth.paymentRef }, select: { id: true } });
    const mine = event!.id;
    // What a sweep would send again (other files' undelivered events too); only this test's goes out.
    const sweep = async (now: Date) => {
      let found: string[] = [];
      await redeliverSandboxEvents({
        now,
        limit: 100_000,
        enqueue: (ids, options) => {
          found = ids;
          return enqueueSandboxEvents(
            ids.filter((id) => id === mine),
            options,
          );
        },
      });
      return found.includes(mine);
    };
    // Too young for the sweep: its own deliveries may still be under way.
    expect(await sweep(new Date())).toBe(false);
    const later = new Date(Date.now() + REDELIVER_AFTER_MS + 1_000);
    expect(await sweep(later)).toBe(true);
    const kept = await waitFor(
      async () => {
        const events = await paymentEventsOf(auth.paymentRef);
        return events.length === 1 ? events : undefined;
      },
      45_000,
      "the swept event to be delivered",
    );
    expect(kept.map((e) => [e.eventId, e.type])).toEqual([[mine, "payment.authorized"]]);
    // Delivered now: the next sweep leaves it alone.
    expect(await sweep(later)).toBe(false);
  }, 90_000);
});
