// The shared Redis connection and key naming. Every key starts with REDIS_PREFIX.
import { Redis } from "ioredis";
import { env } from "./env.ts";
import { log } from "./log.ts";

export function createRedis(options: { maxRetriesPerRequest?: number | null } = {}): Redis {
  const client = new Redis(env().REDIS_URL, {
    maxRetriesPerRequest: options.maxRetriesPerRequest ?? 2,
    lazyConnect: false,
    enableOfflineQueue: true,
  });
  // Without a listener ioredis prints every failed reconnect as an unhandled error; health reports the outage.
  client.on("error", (err: Error) => log.warn({ err: err.message }, "redis connection error"));
  return client;
}

const globalForRedis = globalThis as unknown as { onsaleRedis?: Redis };

export function redis(): Redis {
  globalForRedis.onsaleRedis ??= createRedis();
  return globalForRedis.onsaleRedis;
}

/** `key("worker", "hb", id)` → `onsale:worker:hb:<id>`. */
export function key(...parts: string[]): string {
  return [env().REDIS_PREFIX, ...parts].join(":");
}
