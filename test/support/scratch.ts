// The names of one test run's throwaway database and Redis key prefix, made by scripts/test.ts and
// demanded by the int project's guard (test/support/int-guard.ts), so the two cannot drift apart.
import { randomBytes } from "node:crypto";

const ID = /^[0-9a-f]{8}$/;

export type ScratchNames = { id: string; database: string; redisPrefix: string };

export function newScratchNames(id: string = randomBytes(4).toString("hex")): ScratchNames {
  if (!ID.test(id)) throw new Error(`a scratch id is 8 hex digits, not ${JSON.stringify(id)}`);
  return { id, database: `onsale_test_${id}`, redisPrefix: `onsale-test-${id}` };
}

/**
 * Why these settings are not one test run's scratch database and Redis prefix (of the same run), or
 * undefined when they are.
 */
export function notScratch(env: Record<string, string | undefined>): string | undefined {
  if (!env.DATABASE_URL) return "DATABASE_URL is not set, so the tests would use the development database";
  let database: string;
  try {
    database = decodeURIComponent(new URL(env.DATABASE_URL).pathname.replace(/^\//, ""));
  } catch {
    return "DATABASE_URL is not a URL";
  }
  const id = /^onsale_test_(.*)$/.exec(database)?.[1];
  if (id === undefined || !ID.test(id))
    return `DATABASE_URL names the database "${database}", not a scratch one (onsale_test_<8 hex digits>)`;
  const expected = newScratchNames(id).redisPrefix;
  if (env.REDIS_PREFIX !== expected) {
    const actual = env.REDIS_PREFIX === undefined ? "is not set" : `is "${env.REDIS_PREFIX}"`;
    return `REDIS_PREFIX ${actual}, not the run's scratch prefix "${expected}"`;
  }
  return undefined;
}
