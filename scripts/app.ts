// Building and running the Next.js app and the worker, shared by scripts/start.ts and scripts/test.ts.
import fs from "node:fs";
import path from "node:path";
import { binPath, portInUse, repoRoot, run, seconds, sleep, startProcess, type LongRunning } from "./proc.ts";

// What a production build depends on: these folders, plus the config files in the repo root.
const BUILD_INPUT_DIRS = ["app", "server", "prisma", "worker", "public", "components", "lib", "styles"];
const BUILD_INPUT_FILES = /^(next\.config\.|package(-lock)?\.json$|tsconfig\.json$|postcss\.config\.|tailwind\.config\.|middleware\.|proxy\.|instrumentation(-client)?\.|\.env)/;
const NOT_BUILD_INPUTS = new Set(["node_modules", ".next", "generated"]); // server/generated follows prisma/

const buildIdFile = path.join(repoRoot, ".next", "BUILD_ID");

/** Why `.next` needs a rebuild, or undefined when BUILD_ID is newer than every input. */
export function buildStaleness(): string | undefined {
  if (!fs.existsSync(buildIdFile)) return "no build yet";
  const builtAt = fs.statSync(buildIdFile).mtimeMs;
  const newer = (file: string) => fs.statSync(file).mtimeMs > builtAt;
  for (const name of fs.readdirSync(repoRoot)) {
    const file = path.join(repoRoot, name);
    if (BUILD_INPUT_FILES.test(name) && fs.statSync(file).isFile() && newer(file)) return `${name} changed`;
  }
  for (const dir of BUILD_INPUT_DIRS) {
    const changed = newestChange(path.join(repoRoot, dir), builtAt);
    if (changed) return `${path.relative(repoRoot, changed)} changed`;
  }
  return undefined;
}

function newestChange(dir: string, since: number): string | undefined {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    if (NOT_BUILD_INPUTS.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const changed = newestChange(full, since);
      if (changed) return changed;
    } else if (fs.statSync(full).mtimeMs > since) {
      return full;
    }
  }
  return undefined;
}

/** Runs `next build` unless the last build is newer than its inputs; returns whether it built. */
export async function ensureBuild(env: NodeJS.ProcessEnv, log: (line: string) => void = console.log): Promise<boolean> {
  const reason = buildStaleness();
  if (!reason) {
    log("Build: .next is newer than its inputs, skipping next build");
    return false;
  }
  const started = Date.now();
  log(`Build: ${reason}, running next build`);
  const result = await run(process.execPath, [binPath("next"), "build"], {
    env: { ...env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.code !== 0) throw new Error(`next build failed (${result.code})`);
  log(`Build: done in ${seconds(started)}`);
  return true;
}

/** Throws when something already listens on the port: a health check would otherwise reach it instead. */
export async function assertPortFree(port: number): Promise<void> {
  if (await portInUse(port)) throw new Error(`Port ${port} is already in use (another Onsale still running?); stop it or set PORT`);
}

/** Every web and worker process of one Onsale; `stop()` stops them all. */
export type RunningProcesses = { webs: LongRunning[]; workers: LongRunning[]; stop(): Promise<void> };
/** One web process and one worker (what `npm start` and the tests run). */
export type RunningApp = RunningProcesses & { web: LongRunning; worker: LongRunning };

/**
 * Starts `next start|dev` and the worker. With `logDir` their output goes to files there (and to
 * `tail()` for error messages); without it, to the terminal.
 */
export function startApp(opts: {
  mode: "start" | "dev";
  port: number;
  host?: string;
  env: NodeJS.ProcessEnv;
  logDir?: string;
}): RunningApp {
  const running = startApps({ ...opts, webs: 1, workers: 1 });
  return { ...running, web: running.webs[0]!, worker: running.workers[0]! };
}

/**
 * Starts `webs` web processes on consecutive ports from `port` and `workers` worker processes, all with
 * the same environment (database, Redis, prefix), as several machines behind a load balancer would run.
 * Logs go to `next.log`/`worker.log` for the first of each and `next-2.log`, `worker-2.log`, … after.
 */
export function startApps(opts: {
  mode: "start" | "dev";
  port: number;
  webs: number;
  workers: number;
  host?: string;
  env: NodeJS.ProcessEnv;
  logDir?: string;
}): RunningProcesses {
  if (opts.webs < 1 || opts.workers < 0) throw new Error("startApps: at least one web process, and no negative count of workers");
  const logFile = (name: string, i: number) => (opts.logDir ? path.join(opts.logDir, `${i === 0 ? name : `${name}-${i + 1}`}.log`) : undefined);
  const label = (name: string, i: number, n: number) => (n === 1 ? name : `${name}-${i + 1}`);
  const webs = Array.from({ length: opts.webs }, (_, i) => {
    const port = opts.port + i;
    const env = { ...opts.env, PORT: String(port), NEXT_TELEMETRY_DISABLED: "1" };
    const nextArgs = [binPath("next"), opts.mode, "-p", String(port), ...(opts.host ? ["-H", opts.host] : [])];
    return startProcess(label("next", i, opts.webs), process.execPath, nextArgs, { env, logFile: logFile("next", i) });
  });
  const workerEnv = { ...opts.env, PORT: String(opts.port), NEXT_TELEMETRY_DISABLED: "1" };
  // `node --import tsx` rather than the tsx CLI: one process fewer between us and the worker's signals.
  const workers = Array.from({ length: opts.workers }, (_, i) =>
    startProcess(label("worker", i, opts.workers), process.execPath, ["--import", "tsx", "worker/index.ts"], {
      env: workerEnv,
      logFile: logFile("worker", i),
    }),
  );
  return {
    webs,
    workers,
    async stop() {
      // Side by side; workers get longer (each allows itself 20 s to finish the jobs it holds).
      await Promise.all([...workers.map((w) => w.stop(25_000)), ...webs.map((w) => w.stop(10_000))]);
    },
  };
}

/** Polls GET url until it answers 200; throws (with the processes' last log lines) on timeout or exit. */
export async function waitForHealth(url: string, app: Pick<RunningProcesses, "webs" | "workers">, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: string | undefined;
  const procs = [...app.webs, ...app.workers];
  for (const proc of procs) {
    void proc.exited.then((code) => (exited ??= `${proc.name} exited with code ${code}`));
  }
  let last = "no answer yet";
  while (Date.now() < deadline && !exited) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await sleep(500);
  }
  const logs = procs
    .map((proc) => [proc.name, proc.tail(30)] as const)
    .map(([name, tail]) => (tail ? `--- last lines of ${name} ---\n${tail}` : ""))
    .filter(Boolean)
    .join("\n");
  throw new Error(`${url} did not answer 200 (${exited ?? `timed out after ${timeoutMs / 1000}s, last: ${last}`})\n${logs}`);
}
