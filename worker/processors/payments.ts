// Payments queue: deliver the sandbox processor's events to the webhook receiver, late, unordered and
// now and then twice, as a real processor's arrive (server/queue/queues.ts, enqueueSandboxEvents).
import type { Job } from "bullmq";
import { deliverSandboxEvent } from "../../server/domain/payments/events.ts";
import { JOBS, ZDeliverSandboxEventJob } from "../../server/queue/queues.ts";

export function paymentsProcessor() {
  return async (job: Job) => {
    if (job.name !== JOBS.deliverSandboxEvent) throw new Error(`unknown payments job ${job.name}`);
    const { eventId } = ZDeliverSandboxEventJob.parse(job.data);
    return deliverSandboxEvent(eventId);
  };
}
