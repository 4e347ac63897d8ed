// The race the one counting script (rate-limit.ts `takeRateLimit`) prevents, for negative controls: the
// count read, then written back one higher, in two round trips, so parallel calls all read the same count
// and all pass. `pause` runs between the read and the write.
import { AppError } from "../../server/domain/errors.ts";
import type { Pause } from "../../server/domain/protections.ts";
import type { RateClass } from "../../server/domain/rate-limit/limits.ts";
import type { Subject } from "../../server/domain/rate-limit/rate-limit.ts";
import { key, redis as sharedRedis, type RedisClient } from "../../server/redis.ts";

export async function readThenWriteRateLimit(
  cls: RateClass,
  subjects: Subject[],
  { redis = sharedRedis(), windowMs = 60_000, pause }: { redis?: RedisClient; windowMs?: number; pause?: Pause } = {},
): Promise<void> {
  for (const s of subjects) {
    const k = key("rl", cls, s.kind, s.id);
    const count = Number((await redis.get(k)) ?? 0) + 1;
    await pause?.();
    await redis.set(k, String(count), "PX", windowMs);
    if (count > s.limit) throw new AppError("RATE_LIMITED", "Too many requests.", { class: cls });
  }
}
