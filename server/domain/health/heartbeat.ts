// Worker liveness: the worker records a beat in Redis; health reads it. Missing beats mean no live worker.
import { prisma, type DbTx } from "../../db.ts";
import { key, type RedisClient } from "../../redis.ts";

/** `database` is the beating worker's databaseIdentity: health trusts only a worker of its own database. */
export type Beat = { at: number; workerId: string; database: string };

export const HEARTBEAT_MISSES_ALLOWED = 3;

/**
 * Which database a process serves, however its URL names it: the cluster's system identifier (made by
 * initdb, unique per cluster) and the database's name.
 */
export async function databaseIdentity(db: DbTx = prisma): Promise<string> {
  const [row] = await db.$queryRaw<{ id: string }[]>`
    SELECT (SELECT system_identifier FROM pg_control_system())::text || '/' || current_database() AS id`;
  if (!row) throw new Error("no database identity");
  return row.id;
}

export async function recordHeartbeat({
  redis,
  db = prisma,
  workerId,
  intervalMs,
  at = Date.now(),
}: {
  redis: RedisClient;
  db?: DbTx;
  workerId: string;
  intervalMs: number;
  at?: number;
}): Promise<void> {
  const beat: Beat = { at, workerId, database: await databaseIdentity(db) };
  await redis.set(key("worker", "heartbeat"), JSON.stringify(beat), "PX", intervalMs * HEARTBEAT_MISSES_ALLOWED);
}

export async function lastHeartbeat(redis: RedisClient): Promise<Beat | null> {
  const raw = await redis.get(key("worker", "heartbeat"));
  return raw ? (JSON.parse(raw) as Beat) : null;
}
