// The start-up check against the real Redis: an evicting policy stops a production start, and only warns
// elsewhere. The policy is switched for a moment and put back; with maxmemory 0 nothing is ever evicted.
import { afterAll, describe, expect, it } from "vitest";
import { redis } from "../../redis.ts";
import { checkRedisSettings, readRedisSettings } from "./redis-settings.ts";

const original = await readRedisSettings(redis());
afterAll(async () => {
  if (original.maxmemoryPolicy) await redis().config("SET", "maxmemory-policy", original.maxmemoryPolicy);
});

describe("checkRedisSettings", () => {
  it("reads the live settings, refuses an evicting policy in production and only warns elsewhere", async () => {
    expect(original.maxmemoryPolicy).toBeTypeOf("string");
    await redis().config("SET", "maxmemory-policy", "allkeys-lru");
    const warned: string[] = [];
    await expect(checkRedisSettings(redis(), { production: true, warn: (m) => warned.push(m) })).rejects.toThrow(/noeviction/);
    expect(warned.some((m) => m.includes("allkeys-lru"))).toBe(true);
    const outside = await checkRedisSettings(redis(), { production: false, warn: () => {} });
    expect(outside.problems).toHaveLength(1);

    await redis().config("SET", "maxmemory-policy", "noeviction");
    expect((await checkRedisSettings(redis(), { production: true, warn: () => {} })).problems).toEqual([]);
  });
});
