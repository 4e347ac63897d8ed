// The shared Redis connection and key naming. Every key starts with REDIS_PREFIX. One switch,
// REDIS_CLUSTER_NODES, turns every client made here into an ioredis Cluster; callers never branch.
import { Cluster, Redis } from "ioredis";
import { env } from "./env.ts";
import { log } from "./log.ts";

/** A single Redis or a Redis Cluster: the same commands, routed by key slot on a cluster. */
export type RedisClient = Redis | Cluster;

export type RedisClientOptions = { maxRetriesPerRequest?: number | null };

export function createRedis(options: RedisClientOptions = {}): RedisClient {
  // null (retry forever, for connections that block or subscribe) is a value here, not a missing one.
  const maxRetriesPerRequest = options.maxRetriesPerRequest === undefined ? 2 : options.maxRetriesPerRequest;
  const nodes = env().REDIS_CLUSTER_NODES;
  const client: RedisClient = nodes
    ? new Cluster(nodes, {
        // Per-node connection options; the cluster itself queues commands while it (re)learns the slots.
        redisOptions: { maxRetriesPerRequest },
        enableOfflineQueue: true,
        lazyConnect: false,
      })
    : new Redis(env().REDIS_URL, { maxRetriesPerRequest, lazyConnect: false, enableOfflineQueue: true });
  // Without a listener ioredis prints every failed reconnect as an unhandled error; health reports the outage.
  client.on("error", (err: Error) => log.warn({ err: err.message }, "redis connection error"));
  return client;
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

/** `key("worker", "hb", id)` → `onsale:worker:hb:<id>`. */
export function key(...parts: string[]): string {
  return [env().REDIS_PREFIX, ...parts].join(":");
}
