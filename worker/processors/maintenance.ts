// Maintenance queue: the heartbeat tick, the sweep of run-out holds, and keeping admission schedulers in step.
import type { Job, Queue } from "bullmq";
import type { RedisClient } from "../../server/redis.ts";
import { recordHeartbeat } from "../../server/domain/health/heartbeat.ts";
import { sweepExpiredHolds } from "../../server/domain/holds/expiry.ts";
import { publishSeatChanges } from "../../server/domain/seatmap/events.ts";
import { syncAdmissionSchedulers } from "../../server/domain/waiting-room/schedule.ts";
import { sweepExpiredTransfers } from "../../server/domain/tickets/transfers.ts";
import { JOBS, ZHeartbeatJob, ZSweepHoldsJob, ZSweepTransfersJob, ZSyncWaitingRoomsJob } from "../../server/queue/queues.ts";

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
        await recordHeartbeat(redis, { at: Date.now(), workerId }, intervalMs);
        return;
      case JOBS.sweepHolds:
        ZSweepHoldsJob.parse(job.data);
        return sweepHolds();
      case JOBS.sweepTransfers:
        ZSweepTransfersJob.parse(job.data);
        return sweepExpiredTransfers();
      case JOBS.syncWaitingRooms:
        ZSyncWaitingRoomsJob.parse(job.data);
        return { live: await syncAdmissionSchedulers(waitingRoomQueue, { redis }) };
      default:
        throw new Error(`unknown maintenance job ${job.name}`);
    }
  };
}

async function sweepHolds() {
  const { expired, freed, freedByShowtime } = await sweepExpiredHolds();
  for (const [showtimeId, seatIds] of freedByShowtime) await publishSeatChanges(showtimeId, seatIds, "AVAILABLE");
  return { expired, freed };
}
