// What Onsale needs of Redis in production, checked when a worker starts. Redis holds the waiting rooms,
// access grants and queued jobs: evicting any of them under memory pressure would silently drop fans from
// the line or lose a hold's expiry job, so `maxmemory-policy` must be `noeviction` (BullMQ asks the same).
// Without persistence a restart empties all of that; Onsale recovers (holds expire by their predicate and
// the sweep), but the line is lost, so that is worth a warning, not a refusal.
import type { RedisClient } from "../../redis.ts";

export type RedisSettings = { maxmemoryPolicy?: string; appendonly?: string; save?: string };
export type RedisVerdict = { problems: string[]; warnings: string[] };

/** The rules, on settings as CONFIG GET reports them (undefined: could not be read). */
export function judgeRedisSettings(s: RedisSettings): RedisVerdict {
  const problems: string[] = [];
  const warnings: string[] = [];
  if (s.maxmemoryPolicy === undefined) {
    warnings.push("Could not read Redis's maxmemory-policy (CONFIG GET refused); make sure it is noeviction.");
  } else if (s.maxmemoryPolicy !== "noeviction") {
    problems.push(
      `Redis maxmemory-policy is ${s.maxmemoryPolicy}: under memory pressure Redis would evict waiting-room lines, access grants and queued jobs. Set it to noeviction.`,
    );
  }
  if (s.appendonly === undefined || s.save === undefined) {
    warnings.push("Could not read Redis's persistence settings; a restart may empty the waiting rooms and queued jobs.");
  } else if (s.appendonly !== "yes" && s.save.trim() === "") {
    warnings.push(
      "Redis persistence is off (no AOF, no RDB snapshots): a restart empties the waiting rooms and delayed jobs. Holds still expire (by their time and the sweep), but fans lose their place in line.",
    );
  }
  return { problems, warnings };
}

async function configGet(redis: RedisClient, name: string): Promise<string | undefined> {
  try {
    const reply = (await redis.config("GET", name)) as unknown as string[];
    return reply[1];
  } catch {
    return undefined;
  }
}

export async function readRedisSettings(redis: RedisClient): Promise<RedisSettings> {
  const [maxmemoryPolicy, appendonly, save] = await Promise.all([
    configGet(redis, "maxmemory-policy"),
    configGet(redis, "appendonly"),
    configGet(redis, "save"),
  ]);
  return { maxmemoryPolicy, appendonly, save };
}

/**
 * Logs every warning; a problem is logged too, and in production it stops the start (throws), since
 * running on an evicting Redis would lose fans' places and jobs without a trace.
 */
export async function checkRedisSettings(
  redis: RedisClient,
  { production, warn }: { production: boolean; warn: (message: string) => void },
): Promise<RedisVerdict> {
  const verdict = judgeRedisSettings(await readRedisSettings(redis));
  for (const message of [...verdict.warnings, ...verdict.problems]) warn(message);
  if (production && verdict.problems.length > 0) throw new Error(verdict.problems.join(" "));
  return verdict;
}
