// A throwaway Onsale for one benchmark run: its own database and Redis prefix, the built app and the
// worker on a loopback port; `stop()` removes all of it again, as scripts/test.ts does for e2e.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { assertPortFree, ensureBuild, startApp, waitForHealth, type RunningApp } from "../../scripts/app.ts";
import { deployMigrations, seedDatabase } from "../../scripts/db.ts";
import { repoRoot } from "../../scripts/proc.ts";
import { createDatabase, deleteRedisKeys, dropDatabase, ensureServices, withDatabase } from "../../scripts/services.ts";

export type Stack = {
  baseUrl: string;
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  authSecret: string;
  app: RunningApp;
  logDir: string;
  /** The app's logs are kept after the run unless this is cleared (by a run that went well). */
  keepLogs: boolean;
};

/**
 * Brings the stack up step by step, registering each undo in `cleanups` as soon as there is something to
 * undo, so an error or Ctrl-C at any point leaves nothing behind. The caller runs the cleanups in reverse.
 */
export async function startStack(opts: {
  port: number;
  logLevel: string;
  /** Extra environment for the app and worker only (not the build). */
  appEnv?: Record<string, string>;
  cleanups: (() => Promise<void>)[];
  log: (line: string) => void;
}): Promise<Stack> {
  const services = await ensureServices({ log: opts.log });
  opts.cleanups.push(() => services.stop());

  const id = randomBytes(4).toString("hex");
  const database = `onsale_bench_${id}`;
  const databaseUrl = withDatabase(services.databaseUrl, database);
  const redisPrefix = `onsale-bench-${id}`;
  const baseUrl = `http://127.0.0.1:${opts.port}`;
  const authSecret = randomBytes(32).toString("base64url");
  // This process imports server/ modules too (the seed, the key names): give them the same settings.
  Object.assign(process.env, { DATABASE_URL: databaseUrl, REDIS_URL: services.redisUrl, REDIS_PREFIX: redisPrefix });

  await assertPortFree(opts.port);
  await createDatabase(databaseUrl);
  opts.cleanups.push(async () => {
    const [dropped, keys] = await Promise.allSettled([dropDatabase(databaseUrl), deleteRedisKeys(services.redisUrl, redisPrefix)]);
    if (dropped.status === "rejected") console.error(`could not drop ${database}: ${dropped.reason}`);
    if (keys.status === "rejected") console.error(`could not delete Redis keys ${redisPrefix}*: ${keys.reason}`);
  });
  opts.log(`Database ${database}, Redis prefix ${redisPrefix}`);

  await deployMigrations(databaseUrl, { quiet: true });
  await seedDatabase(databaseUrl);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: services.redisUrl,
    REDIS_PREFIX: redisPrefix,
    AUTH_SECRET: authSecret,
    NEXTAUTH_URL: baseUrl,
    LOG_LEVEL: opts.logLevel,
    // Benchmarks drive thousands of fans from one address, far past the per-minute limits on purpose.
    RATE_LIMITS: "off",
  };
  await ensureBuild(env, opts.log);

  const logDir = path.join(repoRoot, ".data", "logs", redisPrefix);
  const app = startApp({ mode: "start", port: opts.port, host: "127.0.0.1", env: { ...env, ...opts.appEnv }, logDir });
  const stack: Stack = { baseUrl, databaseUrl, redisUrl: services.redisUrl, redisPrefix, authSecret, app, logDir, keepLogs: true };
  opts.cleanups.push(async () => {
    await app.stop();
    if (stack.keepLogs) console.error(`App logs kept: ${path.relative(repoRoot, logDir)}/{next,worker}.log`);
    else fs.rmSync(logDir, { recursive: true, force: true });
  });
  await waitForHealth(`${baseUrl}/api/health`, app, 90_000);
  opts.log(`App is up at ${baseUrl} (web pid ${app.web.pid}, worker pid ${app.worker.pid})`);
  return stack;
}
