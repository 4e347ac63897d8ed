// Waiting-room queue: one admission tick per job, for the showtime the job names.
import type { Job } from "bullmq";
import type { RedisClient } from "../../server/redis.ts";
import { runAdmissionTick } from "../../server/domain/waiting-room/admission.ts";
import { log } from "../../server/log.ts";
import { JOBS, ZAdmitJob } from "../../server/queue/queues.ts";

export function waitingRoomProcessor({ redis }: { redis: RedisClient }) {
  return async (job: Job) => {
    if (job.name !== JOBS.admit) throw new Error(`unknown waiting-room job ${job.name}`);
    const { showtimeId } = ZAdmitJob.parse(job.data);
    const result = await runAdmissionTick(showtimeId, { redis });
    log.debug({ showtimeId, ...result }, "admission tick");
    return result;
  };
}
