// One admission tick scheduler per showtime whose waiting room is live, kept in step with the settings.
import type { Queue } from "bullmq";
import { prisma, type DbTx } from "../../db.ts";
import { JOBS } from "../../queue/queues.ts";
import { redis as sharedRedis, type RedisClient } from "../../redis.ts";
import { syncSettings } from "./settings.ts";

const SCHEDULER_PREFIX = "admit:";
/** Ticks start a little before the pre-queue opens, so opening happens on time. */
const LEAD_MS = 5 * 60_000;

export function schedulerIdOf(showtimeId: string): string {
  return `${SCHEDULER_PREFIX}${showtimeId}`;
}

export async function scheduleAdmission(queue: Queue, showtimeId: string, intervalMs: number): Promise<void> {
  await queue.upsertJobScheduler(
    schedulerIdOf(showtimeId),
    { every: intervalMs },
    { name: JOBS.admit, data: { showtimeId }, opts: { removeOnComplete: true, removeOnFail: 100 } },
  );
}

/**
 * Makes the schedulers match the showtimes whose waiting room is on and whose sale is open or about to
 * open, and republishes their settings. Idempotent, so every worker may run it.
 */
export async function syncAdmissionSchedulers(
  queue: Queue,
  { db = prisma, redis = sharedRedis(), now = new Date() }: { db?: DbTx; redis?: RedisClient; now?: Date } = {},
): Promise<string[]> {
  const candidates = await db.showtime.findMany({
    where: {
      status: "PUBLISHED",
      wrEnabled: true,
      concert: { status: "PUBLISHED" },
      saleEndsAt: { gt: now },
      startsAt: { gt: now },
    },
    select: { id: true, wrIntervalMs: true, wrPrequeueMinutes: true, presaleStartsAt: true, generalSaleStartsAt: true },
  });
  const live = candidates.filter((s) => {
    const opens = Math.min(s.generalSaleStartsAt.getTime(), s.presaleStartsAt?.getTime() ?? Infinity);
    return now.getTime() >= opens - s.wrPrequeueMinutes * 60_000 - LEAD_MS;
  });
  for (const s of live) {
    await syncSettings(redis, s.id, db);
    await scheduleAdmission(queue, s.id, s.wrIntervalMs);
  }
  const wanted = new Set(live.map((s) => schedulerIdOf(s.id)));
  const existing = await queue.getJobSchedulers(0, -1);
  for (const scheduler of existing) {
    if (scheduler.key.startsWith(SCHEDULER_PREFIX) && !wanted.has(scheduler.key)) {
      await queue.removeJobScheduler(scheduler.key);
    }
  }
  return live.map((s) => s.id);
}
