// Maintenance queue: the heartbeat tick that proves the queue pipeline works end to end.
import type { Job } from "bullmq";
import type { Redis } from "ioredis";
import { recordHeartbeat } from "../../server/domain/health/heartbeat.ts";
import { JOBS, ZHeartbeatJob } from "../../server/queue/queues.ts";

export function maintenanceProcessor({ redis, workerId, intervalMs }: { redis: Redis; workerId: string; intervalMs: number }) {
  return async (job: Job) => {
    switch (job.name) {
      case JOBS.heartbeat:
        ZHeartbeatJob.parse(job.data);
        await recordHeartbeat(redis, { at: Date.now(), workerId }, intervalMs);
        return;
      default:
        throw new Error(`unknown maintenance job ${job.name}`);
    }
  };
}
