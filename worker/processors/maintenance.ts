// Maintenance queue: the heartbeat tick, the sweeps of run-out holds and offers and of sandbox events never
// delivered, and keeping admission schedulers in step.
import type { Job, Queue } from "bullmq";
import type { RedisClient } from "../../server/redis.ts";
import { recordHeartbeat } from "../../server/domain/health/heartbeat.ts";
import { tidyExpiredHolds } from "../../server/domain/holds/expiry.ts";
import { syncAdmissionSchedulers } from "../../server/domain/waiting-room/schedule.ts";
import { sweepExpiredTransfers } from "../../server/domain/tickets/transfers.ts";
import { redeliverSandboxEvents } from "../../server/domain/payments/events.ts";
import { sandboxInUse } from "../../server/domain/payments/config.ts";
import {
  JOBS,
  ZHeartbeatJob,
  ZSweepHoldsJob,
  ZSweepSandboxEventsJob,
  ZSweepTransfersJob,
  ZSyncWaitingRoomsJob,
} from "../../server/queue/queues.ts";

export function maintenanceProcessor({
  redis,
  workerId,
  intervalMs,
  waitingRoomQueue,
}: {
  redis: RedisClient;
  workerId: string;
  intervalMs: number;
  waitingRoomQueue: Queue;
}) {
  return async (job: Job) => {
    switch (job.name) {
      case JOBS.heartbeat:
        ZHeartbeatJob.parse(job.data);
        await recordHeartbeat({ redis, workerId, intervalMs });
        return;
      case JOBS.sweepHolds:
        ZSweepHoldsJob.parse(job.data);
        return tidyExpiredHolds();
      case JOBS.sweepTransfers:
        ZSweepTransfersJob.parse(job.data);
        return sweepExpiredTransfers();
      case JOBS.sweepSandboxEvents:
        ZSweepSandboxEventsJob.parse(job.data);
        // Under Stripe, old sandbox events are nobody's to deliver (Stripe's own webhooks retry themselves).
        return sandboxInUse() ? redeliverSandboxEvents() : { redelivered: 0 };
      case JOBS.syncWaitingRooms:
        ZSyncWaitingRoomsJob.parse(job.data);
        return { live: await syncAdmissionSchedulers(waitingRoomQueue, { redis }) };
      default:
        throw new Error(`unknown maintenance job ${job.name}`);
    }
  };
}
