// `npm run bench [-- options]`: measures (never asserts) Onsale under load on this machine, against a
// throwaway database, Redis prefix and app on a loopback port, all removed afterwards. Not part of
// `npm test`. Results go to the terminal and to bench/results/<benchmark>-<date>.json (not in git).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { repoRoot, run, seconds, signalRunning } from "../scripts/proc.ts";
import { summarizeProfile, type ProfileSummary } from "./lib/profile.ts";
import { startStack } from "./lib/stack.ts";
import type { WaitingRoomResult } from "./waiting-room.ts";

const USAGE = `usage: npm run bench [-- options]
  --fans N            simultaneous fans (default 1000, at most 10000)
  --runs N            runs of each phase; medians are reported (default 3)
  --rounds N          bursts per sustained status run (default 5)
  --warmup N          warm-up requests of each kind (default 300)
  --port N            port for the app under test (default 3200)
  --log-level LEVEL   the app's LOG_LEVEL (default warn; info logs every request)
  --max-seconds N     stop measuring after this long (default 600)
  --profile           record a V8 CPU profile of the web process over the HTTP phases (after warm-up),
                      print where its CPU went, keep the .cpuprofile in bench/results/ for DevTools`;

function options() {
  const { values } = parseArgs({
    options: {
      fans: { type: "string", default: "1000" },
      runs: { type: "string", default: "3" },
      rounds: { type: "string", default: "5" },
      warmup: { type: "string", default: "300" },
      port: { type: "string", default: "3200" },
      "log-level": { type: "string", default: "warn" },
      "max-seconds": { type: "string", default: "600" },
      profile: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const int = (name: keyof typeof values, min: number, max: number) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}\n${USAGE}`);
    return n;
  };
  return {
    fans: int("fans", 1, 10_000),
    runs: int("runs", 1, 20),
    rounds: int("rounds", 1, 50),
    warmup: int("warmup", 0, 10_000),
    port: int("port", 1024, 65_535),
    maxSeconds: int("max-seconds", 10, 3600),
    logLevel: String(values["log-level"]),
    profile: Boolean(values.profile),
    redisRequests: 100_000,
    redisClients: 50,
  };
}

const controller = new AbortController();
let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.error(`\n${signal}: stopping; cleaning up (send it again to quit at once)`);
    signalRunning(signal); // a build or migration in progress
    controller.abort(new Error(`interrupted by ${signal}`));
  });
}

async function main(): Promise<number> {
  const opts = options();
  const startedAt = new Date();
  const log = (line: string) => console.log(`[${seconds(startedAt.getTime()).padStart(6)}] ${line}`);
  const cleanups: (() => Promise<void>)[] = [];
  const profileDir = path.join(resultsDir, `profile-${stampOf(startedAt)}`);
  try {
    if (opts.profile) fs.mkdirSync(profileDir, { recursive: true });
    const stack = await startStack({
      port: opts.port,
      logLevel: opts.logLevel,
      appEnv: opts.profile
        ? {
            NODE_OPTIONS: [process.env.NODE_OPTIONS, `--import=${pathToFileURL(path.join(repoRoot, "bench", "lib", "cpu-profile.mjs")).href}`]
              .filter(Boolean)
              .join(" "),
            ONSALE_CPU_PROFILE_DIR: profileDir,
          }
        : {},
      cleanups,
      log,
    });
    if (controller.signal.aborted) return 130;
    // Imported only now: server/ modules read DATABASE_URL and REDIS_PREFIX once, when first loaded, and
    // must see the throwaway ones startStack set, never the defaults (the development database and keys).
    const { benchWaitingRoom } = await import("./waiting-room.ts");
    const deadline = setTimeout(() => controller.abort(new Error(`--max-seconds ${opts.maxSeconds} reached`)), opts.maxSeconds * 1000);
    let result: WaitingRoomResult;
    try {
      // SIGUSR2 toggles the profiler that cpu-profile.mjs preloaded into the web process.
      const toggleProfiler = async () => {
        if (opts.profile) process.kill(stack.app.web.pid, "SIGUSR2");
      };
      result = await benchWaitingRoom(stack, opts, controller.signal, log, { beforePhases: toggleProfiler, afterPhases: toggleProfiler });
    } finally {
      clearTimeout(deadline);
    }
    const finishedAt = new Date();
    let profile: ProfileSummary | undefined;
    if (opts.profile) profile = await webProfile(profileDir, stack.app.web.pid);
    const report = {
      benchmark: "waiting-room",
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      environment: await environment(),
      config: { ...opts, target: stack.baseUrl },
      ...result,
      ...(profile ? { webProfile: profile } : {}),
    };
    printTable(result, opts);
    if (profile) printProfile(profile, result);
    const file = writeResults("waiting-room", finishedAt, report);
    console.log(`\nResults: ${path.relative(repoRoot, file)}`);
    const failed = Object.values(result.phases).some((p) => p.runs.some((r) => r.errors > 0 || r.verification?.ok === false));
    stack.keepLogs = failed;
    return 0; // measured, not asserted: errors are in the table and the file
  } finally {
    if (opts.profile) removeIfEmpty(profileDir);
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (err) {
        console.error(`cleanup failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}

function printTable(r: WaitingRoomResult, opts: ReturnType<typeof options>) {
  const { join, status, sustained } = r.phases;
  const verified = (p: typeof join) => (p.runs.every((x) => x.verification?.ok) ? "positions 1..N ✓" : "positions WRONG");
  const rows: [string, typeof join, string][] = [
    [`join, ${opts.fans} at once`, join, verified(join)],
    [`status, ${opts.fans} at once`, status, verified(status)],
    [`status, ${opts.rounds}×${opts.fans} back to back`, sustained, verified(sustained)],
  ];
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  console.log(`\nWaiting room over HTTP (${r.showtime.label}); medians of ${opts.runs} runs`);
  console.log(`${"phase".padEnd(32)}${pad("req/s", 10)}${pad("p50 ms", 10)}${pad("p99 ms", 10)}${pad("max ms", 10)}${pad("errors", 8)}  CPU ms/req web/redis/client`);
  for (const [name, phase, note] of rows) {
    const s = phase.median;
    const cpu = (k: "web" | "redis" | "bench") => medianNumber(phase.runs.map((x) => x.cpuPerRequestMs[k])).toFixed(2);
    console.log(
      `${name.padEnd(32)}${pad(s.rps, 10)}${pad(s.p50, 10)}${pad(s.p99, 10)}${pad(s.max, 10)}${pad(s.errors, 8)}  ${`${cpu("web")}/${cpu("redis")}/${cpu("bench")}`.padEnd(24)}${note}`,
    );
  }
  for (const sample of new Set([join, status, sustained].flatMap((p) => p.median.errorSamples))) console.log(`  error: ${sample}`);

  console.log(`\nRedis alone (${opts.redisClients} clients, no pipelining)`);
  const js = r.redis.joinScript;
  console.log(`${"join Lua script (EVALSHA)".padEnd(32)}${pad(js.rps, 10)}${pad(js.p50, 10)}${pad(js.p99, 10)}   ops/s, ms`);
  if ("unavailable" in r.redis.benchmark) console.log(`redis-benchmark: ${r.redis.benchmark.unavailable}`);
  else for (const row of r.redis.benchmark) console.log(`${`redis-benchmark ${row.test.toUpperCase()}`.padEnd(32)}${pad(row.rps, 10)}${pad(row.p50, 10)}${pad(row.p99, 10)}`);

  const x = (ratio: number | null) => (ratio ? `${ratio} (1 : ${Math.round(1 / ratio)})` : "n/a");
  console.log(`\nHTTP join req/s ÷ Redis ZADD ops/s:        ${x(r.ratios.joinVsZadd)}`);
  console.log(`HTTP status req/s ÷ Redis GET ops/s:       ${x(r.ratios.statusVsGet)}`);
  console.log(`HTTP join req/s ÷ join script calls/s:     ${x(r.ratios.joinVsJoinScript)}`);
}

function medianNumber(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const resultsDir = path.join(repoRoot, "bench", "results");

function stampOf(at: Date): string {
  return at.toISOString().replace(/:/g, "-").replace(/\..*$/, "");
}

function writeResults(name: string, at: Date, report: unknown): string {
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${name}-${stampOf(at)}.json`);
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

function removeIfEmpty(dir: string) {
  try {
    fs.rmdirSync(dir); // fails, as it should, when a profile was written
  } catch {
    // kept
  }
}

/** The web process's profile, once it has finished writing it. */
async function webProfile(dir: string, pid: number): Promise<ProfileSummary | undefined> {
  const file = path.join(dir, `${pid}.cpuprofile`);
  for (let waited = 0; waited < 15_000; waited += 250) {
    try {
      return summarizeProfile(file);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250)); // not there yet, or still being written
    }
  }
  console.error(`no CPU profile of the web process appeared at ${path.relative(repoRoot, file)}`);
  return undefined;
}

function printProfile(p: ProfileSummary, r: WaitingRoomResult) {
  const requests = Object.values(r.phases).reduce((n, phase) => n + phase.runs.reduce((m, run) => m + run.requests, 0), 0);
  console.log(`\nWeb process CPU over the HTTP phases: ${p.totalMs} ms for ${requests} requests (${path.relative(repoRoot, p.file)})`);
  for (const a of p.byArea.slice(0, 12)) console.log(`  ${String(a.share).padStart(5)}%  ${String(a.ms).padStart(9)} ms  ${a.area}`);
  console.log("  top functions by self time:");
  for (const f of p.topFunctions) console.log(`  ${String(f.share).padStart(5)}%  ${String(f.ms).padStart(9)} ms  ${f.fn.slice(0, 110)}`);
}

/** What a reader needs to compare two result files: the code, the machine and how loaded it was. */
async function environment() {
  const git = async (args: string[]) => {
    const result = await run("git", args, { capture: true }).catch(() => undefined);
    return result?.code === 0 ? result.stdout.trim() : undefined; // undefined: no git, or not a checkout
  };
  const commit = await git(["rev-parse", "HEAD"]);
  return {
    commit: commit ?? null,
    uncommittedChanges: commit ? Boolean(await git(["status", "--porcelain"])) : null,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: os.loadavg().map((n) => Math.round(n * 100) / 100),
  };
}

main().then(
  (code) => process.exit(interrupted ? 130 : code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(interrupted ? 130 : 1);
  },
);
