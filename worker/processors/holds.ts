// Holds queue: a hold's delayed job (job id = hold id) wakes up when it runs out and expires every hold
// due by then, its own included, so a second in which thousands end is tidied by its first few jobs.
import type { Job } from "bullmq";
import { tidyExpiredHolds } from "../../server/domain/holds/expiry.ts";
import { JOBS, ZExpireHoldJob } from "../../server/queue/queues.ts";

export function holdsProcessor() {
  return async (job: Job) => {
    if (job.name !== JOBS.expireHold) throw new Error(`unknown holds job ${job.name}`);
    ZExpireHoldJob.parse(job.data);
    return tidyExpiredHolds();
  };
}
