// Building and running the Next.js app and the worker, shared by scripts/start.ts and scripts/test.ts.
import fs from "node:fs";
import path from "node:path";
import { binPath, portInUse, repoRoot, run, seconds, sleep, startProcess, type LongRunning } from "./proc.ts";
import { buildSeatPaint } from "./seat-paint.ts";

// What a production build depends on: these folders, plus the config files in the repo root.
const BUILD_INPUT_DIRS = ["app", "server", "prisma", "worker", "public", "components", "lib", "styles"];
const BUILD_INPUT_FILES =
  /^(next\.config\.|package(-lock)?\.json$|tsconfig\.json$|postcss\.config\.|tailwind\.config\.|middleware\.|proxy\.|instrumentation(-client)?\.|\.env)/;
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

/**
 * Bundles the map painter (unchanged files stay as they are), then runs `next build` unless the last build
 * is newer than its inputs; returns whether it built.
 */
export async function ensureBuild(env: NodeJS.ProcessEnv, log: (line: string) => void = console.log): Promise<boolean> {
  await buildSeatPaint();
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

/** One Onsale: its web server (one process, or a primary and its servers) and its workers; `stop()` stops them all. */
export type RunningProcesses = { web: LongRunning; workers: LongRunning[]; stop(): Promise<void> };
/** The web server and one worker (what `npm start` and the tests run). */
export type RunningApp = RunningProcesses & { worker: LongRunning };

/** The web server's command line (server/http/main.ts); the benchmarks start it the same way. */
export function webCommand(opts: { mode: "start" | "dev"; port: number; host?: string }): string[] {
  // In dev, next dev reloads pages itself; the API path's code (server/) is loaded by Node, which restarts
  // the server when it changes.
  const watch = opts.mode === "dev" ? ["--watch-path=server"] : [];
  const args = [...(opts.mode === "dev" ? ["--dev"] : []), "--port", String(opts.port), ...(opts.host ? ["--host", opts.host] : [])];
  // `node --import tsx` rather than the tsx CLI: one process fewer between us and the server's signals.
  return [...watch, "--import", "tsx", "server/http/main.ts", ...args];
}

/** The worker's command line (worker/index.ts). */
export const WORKER_COMMAND = ["--import", "tsx", "worker/index.ts"];

/**
 * Starts the web server and the worker. The web server runs WEB_CONCURRENCY processes (from `env`; one per
 * core when unset, one in dev) on one port. With `logDir` their output goes to web.log and worker.log there
 * (and to `tail()` for error messages); without it, to the terminal.
 */
export function startApp(opts: {
  mode: "start" | "dev";
  port: number;
  host?: string;
  env: NodeJS.ProcessEnv;
  logDir?: string;
}): RunningApp {
  const logFile = (name: string) => (opts.logDir ? path.join(opts.logDir, `${name}.log`) : undefined);
  const env = { ...opts.env, NEXT_TELEMETRY_DISABLED: "1" };
  const web = startProcess("web", process.execPath, webCommand(opts), {
    env: { ...env, PORT: String(opts.port) },
    logFile: logFile("web"),
  });
  const worker = startProcess("worker", process.execPath, WORKER_COMMAND, {
    env: { ...env, PORT: String(opts.port) },
    logFile: logFile("worker"),
  });
  return {
    web,
    worker,
    workers: [worker],
    async stop() {
      // Side by side; the worker gets longer (it allows itself 20 s to finish the jobs it holds).
      await Promise.all([worker.stop(25_000), web.stop(15_000)]);
    },
  };
}

/** What waitForHealth reads of /api/health: how many of the web server's processes are up. */
export type HealthAnswer = { status: string; web?: { processes: number; of: number } };

/**
 * Polls GET url until it answers 200 with every web process up; returns the answer. Throws (with the
 * processes' last log lines) on timeout or exit.
 */
export async function waitForHealth(url: string, app: Pick<RunningProcesses, "web" | "workers">, timeoutMs: number): Promise<HealthAnswer> {
  const deadline = Date.now() + timeoutMs;
  let exited: string | undefined;
  const procs = [app.web, ...app.workers];
  for (const proc of procs) {
    void proc.exited.then((code) => (exited ??= `${proc.name} exited with code ${code}`));
  }
  let last = "no answer yet";
  while (Date.now() < deadline && !exited) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      const health = (await res.json().catch(() => ({}))) as HealthAnswer;
      if (res.status === 200 && (!health.web || health.web.processes >= health.web.of)) return health;
      last = res.status === 200 ? `${health.web?.processes} of ${health.web?.of} web processes up` : `HTTP ${res.status}`;
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
