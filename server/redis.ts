// The shared Redis connection and key naming. Every key starts with REDIS_PREFIX.
import { Redis } from "ioredis";
import { env } from "./env.ts";

export function createRedis(options: { maxRetriesPerRequest?: number | null } = {}): Redis {
  return new Redis(env().REDIS_URL, {
    maxRetriesPerRequest: options.maxRetriesPerRequest ?? 2,
    lazyConnect: false,
    enableOfflineQueue: true,
  });
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
