// A throwaway Onsale for one benchmark run: its own database and Redis prefix, the built app and the
// worker on a loopback port; `stop()` removes all of it again, as scripts/test.ts does for e2e.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { assertPortFree, ensureBuild, waitForHealth, type RunningApp } from "../../scripts/app.ts";
import { deployMigrations, seedDatabase } from "../../scripts/db.ts";
import { binPath, repoRoot, startProcess, type LongRunning } from "../../scripts/proc.ts";
import { createDatabase, deleteRedisKeys, dropDatabase, ensurePostgres, ensureServices, withDatabase } from "../../scripts/services.ts";

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
  /**
   * Another worker process, or web process `index` again on its port (after the first was killed), with
   * the stack's environment; stopped with the rest at cleanup. For `npm run chaos`.
   */
  startWorker(): LongRunning;
  startWeb(index: number): LongRunning;
  /** Every process started so far, in order, dead or alive. */
  processes: LongRunning[];
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
  const appEnv: NodeJS.ProcessEnv = { ...env, ...opts.appEnv, NEXT_TELEMETRY_DISABLED: "1" };
  // The same command lines and log names as scripts/app.ts startApps (next.log, next-2.log, worker.log, …),
  // plus PGAPPNAME so each process's database sessions can be told apart in pg_stat_activity.
  const processes: LongRunning[] = [];
  const started = new Map<string, number>();
  const count = (key: string) => {
    const n = (started.get(key) ?? 0) + 1;
    started.set(key, n);
    return n;
  };
  const startWeb = (index: number) => {
    const port = opts.port + index;
    const base = index === 0 ? "next" : `next-${index + 1}`;
    const n = count(base);
    const name = n === 1 ? base : `${base}-restart-${n - 1}`;
    const args = [binPath("next"), "start", "-p", String(port), "-H", "127.0.0.1"];
    const proc = startProcess(name, process.execPath, args, { env: { ...appEnv, PORT: String(port), PGAPPNAME: `onsale-${name}` }, logFile: path.join(logDir, `${name}.log`) });
    processes.push(proc);
    return proc;
  };
  const startWorker = () => {
    const n = count("worker");
    const name = n === 1 ? "worker" : `worker-${n}`;
    // `node --import tsx` rather than the tsx CLI: one process fewer between us and the worker's signals.
    const args = ["--import", "tsx", "worker/index.ts"];
    const proc = startProcess(name, process.execPath, args, { env: { ...appEnv, ...opts.workerEnv, PORT: String(opts.port), PGAPPNAME: `onsale-${name}` }, logFile: path.join(logDir, `${name}.log`) });
    processes.push(proc);
    return proc;
  };
  const initialWebs = Array.from({ length: webs }, (_, i) => startWeb(i));
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
    await Promise.all(processes.map((p) => p.stop(p.name.startsWith("worker") ? 25_000 : 10_000)));
  };
  const app: RunningApp = { webs: initialWebs, workers: initialWorkers, web: initialWebs[0]!, worker: initialWorkers[0]!, stop: stopAll };
  const stack: Stack = { baseUrl, baseUrls, databaseUrl, redisUrl: services.redisUrl, redisPrefix, authSecret, app, logDir, keepLogs: true, startWorker, startWeb, processes };
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
