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

/** Showtimes (of `ids`, or all) whose waiting room is on and whose sale is open or about to open. */
async function liveShowtimes(db: DbTx, now: Date, ids?: string[]) {
  const candidates = await db.showtime.findMany({
    where: {
      ...(ids ? { id: { in: ids } } : {}),
      status: "PUBLISHED",
      wrEnabled: true,
      concert: { status: "PUBLISHED" },
      saleEndsAt: { gt: now },
      startsAt: { gt: now },
    },
    select: { id: true, wrIntervalMs: true, wrPrequeueMinutes: true, presaleStartsAt: true, generalSaleStartsAt: true },
  });
  return candidates.filter((s) => {
    const opens = Math.min(s.generalSaleStartsAt.getTime(), s.presaleStartsAt?.getTime() ?? Infinity);
    return now.getTime() >= opens - s.wrPrequeueMinutes * 60_000 - LEAD_MS;
  });
}

/**
 * Makes the schedulers match the showtimes whose waiting room is on and whose sale is open or about to
 * open, and republishes their settings. Idempotent, so every worker may run it. A scheduler added while
 * it runs (a showtime just created, an admin's change) is kept: only schedulers that existed before the
 * showtimes were read are candidates for removal, and each is checked again just before it goes.
 */
export async function syncAdmissionSchedulers(
  queue: Queue,
  { db = prisma(), redis = sharedRedis(), now = new Date() }: { db?: DbTx; redis?: RedisClient; now?: Date } = {},
): Promise<string[]> {
  const existing = (await queue.getJobSchedulers(0, -1)).map((s) => s.key).filter((key) => key.startsWith(SCHEDULER_PREFIX));
  const live = await liveShowtimes(db, now);
  for (const s of live) {
    await syncSettings(redis, s.id, db);
    await scheduleAdmission(queue, s.id, s.wrIntervalMs);
  }
  const wanted = new Set(live.map((s) => schedulerIdOf(s.id)));
  const unwanted = existing.filter((key) => !wanted.has(key)).map((key) => key.slice(SCHEDULER_PREFIX.length));
  if (unwanted.length) {
    const liveNow = new Set((await liveShowtimes(db, new Date(), unwanted)).map((s) => s.id));
    for (const showtimeId of unwanted) {
      if (!liveNow.has(showtimeId)) await queue.removeJobScheduler(schedulerIdOf(showtimeId));
    }
  }
  return live.map((s) => s.id);
}
