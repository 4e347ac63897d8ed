// Tickets queue: end a transfer offer left unanswered when its time is up (job id = transfer id).
import type { Job } from "bullmq";
import { expireTransfer } from "../../server/domain/tickets/transfers.ts";
import { JOBS, ZExpireTransferJob } from "../../server/queue/queues.ts";

export function ticketsProcessor() {
  return async (job: Job) => {
    if (job.name !== JOBS.expireTransfer) throw new Error(`unknown tickets job ${job.name}`);
    const { transferId } = ZExpireTransferJob.parse(job.data);
    return expireTransfer(transferId);
  };
}
