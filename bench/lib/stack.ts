// A throwaway Onsale for one benchmark run: its own database and Redis prefix, the built app and the
// worker on a loopback port; `stop()` removes all of it again, as scripts/test.ts does for e2e.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { assertPortFree, ensureBuild, waitForHealth, webCommand, WORKER_COMMAND, type RunningApp } from "../../scripts/app.ts";
import { deployMigrations, seedDatabase } from "../../scripts/db.ts";
import { repoRoot, startProcess, type LongRunning } from "../../scripts/proc.ts";
import { createDatabase, deleteRedisKeys, dropDatabase, ensurePostgres, ensureServices, withDatabase } from "../../scripts/services.ts";

export type Stack = {
  /** The web server (all its processes share the port). */
  baseUrl: string;
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  authSecret: string;
  /** `app.web` is the web server (its primary, with `webs` > 1); `app.worker` the first worker, `app.workers` all. */
  app: RunningApp;
  logDir: string;
  /** The app's logs are kept after the run unless this is cleared (by a run that went well). */
  keepLogs: boolean;
  /** Another worker process with the stack's environment; stopped with the rest at cleanup. For `npm run chaos`. */
  startWorker(): LongRunning;
  /** Every process started so far, in order, dead or alive. */
  processes: LongRunning[];
};

/**
 * Brings the stack up step by step, registering each undo in `cleanups` as soon as there is something to
 * undo, so an error or Ctrl-C at any point leaves nothing behind. The caller runs the cleanups in reverse.
 */
export async function startStack(opts: {
  port: number;
  /** Web processes sharing the port (WEB_CONCURRENCY; default: the launcher's, one per core) and worker processes (default 1). */
  webs?: number;
  workers?: number;
  logLevel: string;
  /** Extra environment for the app and worker only (not the build). */
  appEnv?: Record<string, string>;
  /** Extra environment for the worker processes only (after appEnv). */
  workerEnv?: Record<string, string>;
  /** A Redis of the caller's (e.g. its own redis-server to stop and restart) instead of the shared one. */
  redisUrl?: string;
  cleanups: (() => Promise<void>)[];
  log: (line: string) => void;
}): Promise<Stack> {
  const services = opts.redisUrl
    ? { ...(await ensurePostgres({ log: opts.log })), redisUrl: opts.redisUrl }
    : await ensureServices({ log: opts.log });
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
  const appEnv: NodeJS.ProcessEnv = { ...env, ...opts.appEnv, NEXT_TELEMETRY_DISABLED: "1" };
  // The same command lines and log names as scripts/app.ts startApp (web.log, worker.log, worker-2.log, …),
  // plus PGAPPNAME so each process's database sessions can be told apart in pg_stat_activity.
  const processes: LongRunning[] = [];
  const started = new Map<string, number>();
  const count = (key: string) => {
    const n = (started.get(key) ?? 0) + 1;
    started.set(key, n);
    return n;
  };
  const webEnv = {
    ...appEnv,
    PORT: String(opts.port),
    PGAPPNAME: "onsale-web",
    ...(opts.webs ? { WEB_CONCURRENCY: String(opts.webs) } : {}),
  };
  const web = startProcess("web", process.execPath, webCommand({ mode: "start", port: opts.port, host: "127.0.0.1" }), {
    env: webEnv,
    logFile: path.join(logDir, "web.log"),
  });
  processes.push(web);
  const startWorker = () => {
    const n = count("worker");
    const name = n === 1 ? "worker" : `worker-${n}`;
    const proc = startProcess(name, process.execPath, WORKER_COMMAND, {
      env: { ...appEnv, ...opts.workerEnv, PORT: String(opts.port), PGAPPNAME: `onsale-${name}` },
      logFile: path.join(logDir, `${name}.log`),
    });
    processes.push(proc);
    return proc;
  };
  const initialWorkers = Array.from({ length: opts.workers ?? 1 }, () => startWorker());
  const stopAll = async () => {
    // A process left frozen (SIGSTOP) would sit out its SIGTERM grace: wake every one first.
    for (const proc of processes) {
      try {
        process.kill(-proc.pid, "SIGCONT");
      } catch {
        // already gone
      }
    }
    // Side by side; workers get longer (each allows itself 20 s to finish the jobs it holds).
    await Promise.all(processes.map((p) => p.stop(p.name.startsWith("worker") ? 25_000 : 15_000)));
  };
  const app: RunningApp = { web, workers: initialWorkers, worker: initialWorkers[0]!, stop: stopAll };
  const stack: Stack = {
    baseUrl,
    databaseUrl,
    redisUrl: services.redisUrl,
    redisPrefix,
    authSecret,
    app,
    logDir,
    keepLogs: true,
    startWorker,
    processes,
  };
  opts.cleanups.push(async () => {
    await app.stop();
    if (stack.keepLogs) console.error(`App logs kept: ${path.relative(repoRoot, logDir)}/{web,worker}*.log`);
    else fs.rmSync(logDir, { recursive: true, force: true });
  });
  const health = await waitForHealth(`${baseUrl}/api/health`, app, 90_000);
  opts.log(
    `App is up at ${baseUrl} (web pid ${web.pid}: ${health.web?.processes ?? "?"} processes; worker pid ${app.workers.map((w) => w.pid).join(",")})`,
  );
  return stack;
}
