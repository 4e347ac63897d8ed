// The shared Redis connection and key naming. Every key starts with REDIS_PREFIX. One switch,
// REDIS_CLUSTER_NODES, turns every client made here into an ioredis Cluster; callers never branch.
import { Cluster, Redis } from "ioredis";
import { env } from "./env.ts";
import { log } from "./log.ts";

/** A single Redis or a Redis Cluster: the same commands, routed by key slot on a cluster. */
export type RedisClient = Redis | Cluster;

export type RedisClientOptions = { maxRetriesPerRequest?: number | null };

/**
 * Reconnect delay after the n-th failed attempt: quick at first, never more than a second. A command
 * issued while Redis is down waits in the offline queue until `maxRetriesPerRequest` more attempts have
 * failed and is then rejected (MaxRetriesPerRequestError → 503 UNAVAILABLE), so with 2 retries a call
 * answers within about 3 s however long the outage; ioredis's default (up to 2 s a step) made it ~6 s.
 * The short cap also means the process is back within a second of Redis.
 */
export function reconnectDelay(attempt: number): number {
  return Math.min(attempt * 100, 1_000);
}

export function createRedis(options: RedisClientOptions = {}): RedisClient {
  // null (retry forever, for connections that block or subscribe) is a value here, not a missing one.
  const maxRetriesPerRequest = options.maxRetriesPerRequest === undefined ? 2 : options.maxRetriesPerRequest;
  const nodes = env().REDIS_CLUSTER_NODES;
  const client: RedisClient = nodes
    ? new Cluster(nodes, {
        // Per-node connection options; the cluster itself queues commands while it (re)learns the slots.
        redisOptions: { maxRetriesPerRequest },
        clusterRetryStrategy: reconnectDelay,
        enableOfflineQueue: true,
        lazyConnect: false,
      })
    : new Redis(env().REDIS_URL, { maxRetriesPerRequest, retryStrategy: reconnectDelay, lazyConnect: false, enableOfflineQueue: true });
  // Without a listener ioredis prints every failed reconnect as an unhandled error; health reports the outage.
  client.on("error", connectionErrorLogger("redis connection error"));
  return client;
}

/** How often a connection that keeps failing to reconnect is logged again (it tries every second). */
const CONNECTION_ERROR_LOG_EVERY_MS = 10_000;

/**
 * A listener for a connection's "error" events that logs the first, then at most one every 10 s with the
 * count of those in between, so an outage is visible in the logs without a line per reconnect attempt.
 */
export function connectionErrorLogger(msg: string, fields: Record<string, unknown> = {}): (err: Error) => void {
  let lastAt = 0;
  let quiet = 0;
  return (err: Error) => {
    const now = Date.now();
    if (now - lastAt < CONNECTION_ERROR_LOG_EVERY_MS) {
      quiet++;
      return;
    }
    log.warn({ ...fields, err: err.message, ...(quiet ? { repeated: quiet } : {}) }, msg);
    lastAt = now;
    quiet = 0;
  };
}

/** True when the switch selects Redis Cluster. */
export function usingCluster(): boolean {
  return env().REDIS_CLUSTER_NODES !== undefined;
}

const globalForRedis = globalThis as unknown as { onsaleRedis?: RedisClient };

export function redis(): RedisClient {
  globalForRedis.onsaleRedis ??= createRedis();
  return globalForRedis.onsaleRedis;
}

/** `key("worker", "hb", id)` → `<REDIS_PREFIX>:worker:hb:<id>`. */
export function key(...parts: string[]): string {
  return [env().REDIS_PREFIX, ...parts].join(":");
}
