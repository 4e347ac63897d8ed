// Holds queue: expire one hold when its time is up (job id = hold id).
import type { Job } from "bullmq";
import { expireHold } from "../../server/domain/holds/expiry.ts";
import { publishSeatChanges } from "../../server/domain/seatmap/events.ts";
import { JOBS, ZExpireHoldJob } from "../../server/queue/queues.ts";

export function holdsProcessor() {
  return async (job: Job) => {
    if (job.name !== JOBS.expireHold) throw new Error(`unknown holds job ${job.name}`);
    const { holdId } = ZExpireHoldJob.parse(job.data);
    const { expired, freed, showtimeId, seatIds } = await expireHold(holdId);
    if (showtimeId) await publishSeatChanges(showtimeId, seatIds, "AVAILABLE");
    return { expired, freed };
  };
}
