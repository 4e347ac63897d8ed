// Worker liveness: the worker records a beat in Redis; health reads it. Missing beats mean no live worker.
import { prisma, type DbTx } from "../../db.ts";
import { key, type RedisClient } from "../../redis.ts";

/**
 * `database` is the beating worker's databaseIdentity, so health can refuse a worker of another database;
 * it is missing while the worker has not yet reached its database.
 */
export type Beat = { at: number; workerId: string; database?: string };

export const HEARTBEAT_MISSES_ALLOWED = 3;

const identities = new WeakMap<DbTx, Promise<string>>();

/**
 * Which database a process serves, however its URL names it: the cluster's system identifier (made by
 * initdb, unique per cluster) and the database's name; the name alone where a host does not let us read
 * the identifier. Asked once per client, as it does not change while the process runs (a failed ask is
 * asked again next time), so beats and health do not wait on the database for it.
 */
export function databaseIdentity(db: DbTx = prisma()): Promise<string> {
  let known = identities.get(db);
  if (!known) {
    known = db.$queryRaw<{ id: string }[]>`
      SELECT (SELECT system_identifier FROM pg_control_system())::text || '/' || current_database() AS id`
      .catch(() => db.$queryRaw<{ id: string }[]>`SELECT '/' || current_database() AS id`)
      .then(([row]) => {
        if (!row) throw new Error("no database identity");
        return row.id;
      });
    identities.set(db, known);
    known.catch(() => identities.delete(db));
  }
  return known;
}

export async function recordHeartbeat({
  redis,
  db = prisma(),
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
  // A worker that cannot reach its database yet still beats: it is alive, and says so.
  const beat: Beat = { at, workerId, database: await databaseIdentity(db).catch(() => undefined) };
  await redis.set(key("worker", "heartbeat"), JSON.stringify(beat), "PX", intervalMs * HEARTBEAT_MISSES_ALLOWED);
}

export async function lastHeartbeat(redis: RedisClient): Promise<Beat | null> {
  const raw = await redis.get(key("worker", "heartbeat"));
  return raw ? (JSON.parse(raw) as Beat) : null;
}
