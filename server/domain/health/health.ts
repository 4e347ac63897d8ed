// System health for /api/health: database, Redis and the worker, each with its own time limit.
import type { RedisClient } from "../../redis.ts";
import type { DbTx } from "../../db.ts";
import { databaseIdentity, lastHeartbeat } from "./heartbeat.ts";

export type Check = { ok: boolean; latencyMs: number; error?: string; detail?: Record<string, unknown> };
export type Health = { status: "ok" | "down"; checks: { database: Check; redis: Check; worker: Check } };

const CHECK_TIMEOUT_MS = 1_500;

async function timed(run: () => Promise<Record<string, unknown> | void>): Promise<Check> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const detail = await Promise.race([
      run(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - started), ...(detail ? { detail } : {}) };
  } catch (error) {
    // Only the message: connection strings or stacks never reach the response.
    const message = error instanceof Error ? error.message.split("\n")[0]! : "failed";
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: message };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A connection that lost Redis and is reconnecting answers nothing until its retries run out (seconds);
 * health says so at once instead of waiting on it. Other states (connecting at start, lazy) are pinged.
 */
function lostConnection(redis: RedisClient): void {
  if (redis.status === "reconnecting" || redis.status === "close" || redis.status === "end") {
    throw new Error(`Redis connection lost (${redis.status})`);
  }
}

export async function checkHealth({ db, redis, now = Date.now() }: { db: DbTx; redis: RedisClient; now?: number }): Promise<Health> {
  const [database, redisCheck, worker] = await Promise.all([
    timed(async () => {
      await db.$queryRaw`SELECT 1`;
    }),
    timed(async () => {
      lostConnection(redis);
      if ((await redis.ping()) !== "PONG") throw new Error("unexpected PING reply");
    }),
    timed(async () => {
      lostConnection(redis);
      const [beat, own] = await Promise.all([lastHeartbeat(redis), databaseIdentity(db).catch(() => undefined)]);
      if (!beat) throw new Error("no worker heartbeat");
      // Two installations given one REDIS_PREFIX share their queues: a worker of the other's database is
      // not ours, whatever it beats. (Compared only when both sides know their database.)
      if (own && beat.database && beat.database !== own) {
        throw new Error("the worker beating under this REDIS_PREFIX serves another database; give each installation its own REDIS_PREFIX");
      }
      return { lastBeatAgoMs: now - beat.at, workerId: beat.workerId };
    }),
  ]);
  const ok = database.ok && redisCheck.ok && worker.ok;
  return { status: ok ? "ok" : "down", checks: { database, redis: redisCheck, worker } };
}
