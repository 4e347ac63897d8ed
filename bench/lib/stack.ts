// A throwaway Onsale for one benchmark run: its own database and Redis prefix, the built app and the
// worker on a loopback port; `stop()` removes all of it again, as scripts/test.ts does for e2e.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { assertPortFree, ensureBuild, startApps, waitForHealth, type RunningApp } from "../../scripts/app.ts";
import { deployMigrations, seedDatabase } from "../../scripts/db.ts";
import { repoRoot } from "../../scripts/proc.ts";
import { createDatabase, deleteRedisKeys, dropDatabase, ensureServices, withDatabase } from "../../scripts/services.ts";

export type Stack = {
  /** The first web process (the only one unless `webs` > 1). */
  baseUrl: string;
  /** Every web process, on consecutive ports from `port`. */
  baseUrls: string[];
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  authSecret: string;
  /** `app.web`/`app.worker` are the first of each; `app.webs`/`app.workers` all of them. */
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
  /** Web processes on ports port, port+1, … (default 1) and worker processes (default 1). */
  webs?: number;
  workers?: number;
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
  const webs = opts.webs ?? 1;
  const baseUrls = Array.from({ length: webs }, (_, i) => `http://127.0.0.1:${opts.port + i}`);
  const baseUrl = baseUrls[0]!;
  const authSecret = randomBytes(32).toString("base64url");
  // This process imports server/ modules too (the seed, the key names): give them the same settings.
  Object.assign(process.env, { DATABASE_URL: databaseUrl, REDIS_URL: services.redisUrl, REDIS_PREFIX: redisPrefix });

  for (let i = 0; i < webs; i++) await assertPortFree(opts.port + i);
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
  const running = startApps({ mode: "start", port: opts.port, webs, workers: opts.workers ?? 1, host: "127.0.0.1", env: { ...env, ...opts.appEnv }, logDir });
  const app: RunningApp = { ...running, web: running.webs[0]!, worker: running.workers[0]! };
  const stack: Stack = { baseUrl, baseUrls, databaseUrl, redisUrl: services.redisUrl, redisPrefix, authSecret, app, logDir, keepLogs: true };
  opts.cleanups.push(async () => {
    await app.stop();
    if (stack.keepLogs) console.error(`App logs kept: ${path.relative(repoRoot, logDir)}/{next,worker}*.log`);
    else fs.rmSync(logDir, { recursive: true, force: true });
  });
  for (const url of baseUrls) await waitForHealth(`${url}/api/health`, app, 90_000);
  const pids = (procs: { pid: number }[]) => procs.map((p) => p.pid).join(",");
  opts.log(`App is up at ${baseUrls.join(" ")} (web pid ${pids(app.webs)}, worker pid ${pids(app.workers)})`);
  return stack;
}
