// Finds the PostgreSQL and Redis that the app, the tests and the db scripts need, or starts them; the
// details are in scripts/services/.
import { ensurePostgres, type EnsureOptions } from "./services/postgres.ts";
import { ensureRedis } from "./services/redis.ts";

export { createDatabase, databaseName, dropDatabase, ensurePostgres, withDatabase } from "./services/postgres.ts";
export type { EnsureOptions } from "./services/postgres.ts";
export { deleteRedisKeys, ensureRedis } from "./services/redis.ts";

export type Services = { databaseUrl: string; redisUrl: string; stop(): Promise<void> };

export async function ensureServices(opts: EnsureOptions = {}): Promise<Services> {
  const postgres = await ensurePostgres(opts);
  try {
    const redis = await ensureRedis(opts);
    return {
      databaseUrl: postgres.databaseUrl,
      redisUrl: redis.redisUrl,
      async stop() {
        await Promise.all([redis.stop(), postgres.stop()]);
      },
    };
  } catch (err) {
    await postgres.stop();
    throw err;
  }
}
