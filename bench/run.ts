// `npm run bench [-- options]`: measures (never asserts) Onsale under load on this machine, against a
// throwaway database, Redis prefix and app on a loopback port, all removed afterwards. Not part of
// `npm test`. Results go to the terminal, each benchmark's table as it finishes and one summary table at
// the end (each headline figure beside its raw limit and its goal (docs/performance.md)), and to ONE file per run,
// bench/results/<date>.json (not in git), holding every benchmark of the run, the commit and the machine.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { repoRoot, run, seconds, signalRunning } from "../scripts/proc.ts";
import { webServerProcesses } from "./lib/cpu.ts";
import { summarizeProfile, type ProfileSummary } from "./lib/profile.ts";
import { met, printSummary, type SummaryRow } from "./lib/summary.ts";
import { startStack, type Stack } from "./lib/stack.ts";

const BENCHMARKS = ["holds", "seatmap", "waiting-room", "checkout", "api", "expiry"] as const;
type Benchmark = (typeof BENCHMARKS)[number];

const USAGE = `usage: npm run bench [-- options]
  --only LIST         benchmarks to run, comma-separated, in this order: holds, seatmap, waiting-room, checkout, api, expiry
                      (default all)
  --runs N            runs of each measured closed-loop phase; medians are reported (default 3)
  --open-seconds N    seconds of each open-loop phase at 70% of the closed-loop peak (holds, checkout, join, status;
                      default 10)
  --port N            port for the app under test (default 3200)
  --web N             web processes sharing that port (WEB_CONCURRENCY; default: one per core, as npm start)
  --log-level LEVEL   the app's LOG_LEVEL (default warn; info logs every request)
  --max-seconds N     stop measuring after this long (default 1200)
  --profile           record a V8 CPU profile of the web process over each benchmark's HTTP phases (after
                      warm-up), print where its CPU went, keep the .cpuprofile in bench/results/ for DevTools
 holds (100× contention: 2,000 fans looping on 20 seats over HTTP, beside pgbench single-row updates):
  --hold-fans N       fans looping at once (default 2000)
  --hold-seats N      seats they contend for, one per attempt (default 20; contention = fans ÷ seats)
  --hold-connections N  connections the fans' requests share, as a proxy's pool would (default 200)
  --hold-seconds N    measured seconds per run (default 10)
  --pgbench-seconds N pgbench -T per run and client count (default 10)
  --pgbench-clients L pgbench client counts, comma-separated (default: the app's DB pool, 10, and the fans
                      capped at half of PostgreSQL's max_connections); the summary uses the first
 seatmap (a hold seen from a second browser, on the largest seat map; its payload):
  --samples N         holds watched from the browser, each released (default 30)
  --payload-reads N   reads of the seat map per encoding (default 10)
  --page-loads N      first renders of the page timed, each in a fresh browser context (default 5)
 waiting-room (join and status over HTTP: bursts, closed loops beside auth.me, open loops; redis-benchmark):
  --fans N            simultaneous fans of the bursts (default 1000, at most 10000)
  --wr-clients N      clients of the closed loops (join, status and the auth.me floor; default 50)
  --wr-seconds N      seconds of each closed-loop phase (default 10; the floor runs 5)
  --warmup N          warm-up requests of each kind (default 300)
 checkout (fans paying at once, double clicks and unaffordable holds, checked in the database; beside pgbench tpcb-like):
  --checkout-fans N   fans paying at once per run (default 200); pgbench uses --pgbench-seconds
 api (partner price API and the REST arena seat map in a closed loop, beside an auth.me floor):
  --api-seconds N     measured seconds per phase (default 10)
  --partner-clients N concurrent clients on the partner price API (default 50)
  --seatmap-clients N concurrent clients on the REST seat map (default 10)
 expiry (N holds ending in the same second, released by the worker):
  --expiry-holds N    holds, one seat each (default 10000)
  --expiry-lead-seconds N   seconds from setup's end to the common end, to enqueue every job first (default 15)
  --expiry-timeout-seconds N  seconds after it to wait for the worker (default 180)`;

function options() {
  const { values } = parseArgs({
    options: {
      only: { type: "string", default: BENCHMARKS.join(",") },
      fans: { type: "string", default: "1000" },
      runs: { type: "string", default: "3" },
      "open-seconds": { type: "string", default: "10" },
      warmup: { type: "string", default: "300" },
      port: { type: "string", default: "3200" },
      web: { type: "string" },
      "log-level": { type: "string", default: "warn" },
      "max-seconds": { type: "string", default: "1200" },
      "hold-fans": { type: "string", default: "2000" },
      "hold-seats": { type: "string", default: "20" },
      "hold-connections": { type: "string", default: "200" },
      "hold-seconds": { type: "string", default: "10" },
      "pgbench-seconds": { type: "string", default: "10" },
      "pgbench-clients": { type: "string" },
      samples: { type: "string", default: "30" },
      "page-loads": { type: "string", default: "5" },
      "payload-reads": { type: "string", default: "10" },
      "wr-clients": { type: "string", default: "50" },
      "wr-seconds": { type: "string", default: "10" },
      "checkout-fans": { type: "string", default: "200" },
      "api-seconds": { type: "string", default: "10" },
      "partner-clients": { type: "string", default: "50" },
      "seatmap-clients": { type: "string", default: "10" },
      "expiry-holds": { type: "string", default: "10000" },
      "expiry-lead-seconds": { type: "string", default: "15" },
      "expiry-timeout-seconds": { type: "string", default: "180" },
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
  const only = String(values.only)
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = only.filter((name) => !(BENCHMARKS as readonly string[]).includes(name));
  if (unknown.length || only.length === 0) throw new Error(`--only takes ${BENCHMARKS.join(", ")} (got ${String(values.only)})\n${USAGE}`);
  const pgbenchClients = values["pgbench-clients"]?.split(",").map((c) => {
    const n = Number(c.trim());
    if (!Number.isInteger(n) || n < 1 || n > 1000) throw new Error(`--pgbench-clients takes whole numbers from 1 to 1000 (got ${c})`);
    return n;
  });
  return {
    only: BENCHMARKS.filter((b) => only.includes(b)),
    fans: int("fans", 1, 10_000),
    runs: int("runs", 1, 20),
    openSeconds: int("open-seconds", 1, 300),
    warmup: int("warmup", 0, 10_000),
    port: int("port", 1024, 65_535),
    web: values.web === undefined ? undefined : int("web", 1, 64),
    maxSeconds: int("max-seconds", 10, 7200),
    logLevel: String(values["log-level"]),
    profile: Boolean(values.profile),
    redisRequests: 100_000,
    redisClients: 50,
    holdFans: int("hold-fans", 1, 10_000),
    holdSeats: int("hold-seats", 1, 10_000),
    holdConnections: int("hold-connections", 1, 5000),
    holdSeconds: int("hold-seconds", 1, 300),
    warmupSeconds: 2,
    pgbenchSeconds: int("pgbench-seconds", 1, 300),
    pgbenchClients,
    pgbenchJobs: 2,
    samples: int("samples", 1, 1000),
    payloadReads: int("payload-reads", 1, 1000),
    pageLoads: int("page-loads", 1, 100),
    wrClients: int("wr-clients", 1, 10_000),
    wrSeconds: int("wr-seconds", 1, 300),
    checkoutFans: int("checkout-fans", 1, 1000),
    apiSeconds: int("api-seconds", 1, 300),
    partnerClients: int("partner-clients", 1, 1000),
    seatmapClients: int("seatmap-clients", 1, 1000),
    expiryHolds: int("expiry-holds", 1, 100_000),
    expiryLeadSeconds: int("expiry-lead-seconds", 1, 600),
    expiryTimeoutSeconds: int("expiry-timeout-seconds", 5, 3600),
  };
}
type Options = ReturnType<typeof options>;

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
  const benchmarks: Record<string, object> = {};
  const summary: SummaryRow[] = [];
  const loadBefore = os.loadavg();
  try {
    if (opts.profile) fs.mkdirSync(profileDir, { recursive: true });
    const stack = await startStack({
      port: opts.port,
      webs: opts.web,
      logLevel: opts.logLevel,
      appEnv: opts.profile
        ? {
            NODE_OPTIONS: [
              process.env.NODE_OPTIONS,
              `--import=${pathToFileURL(path.join(repoRoot, "bench", "lib", "cpu-profile.mjs")).href}`,
            ]
              .filter(Boolean)
              .join(" "),
            ONSALE_CPU_PROFILE_DIR: profileDir,
          }
        : {},
      cleanups,
      log,
    });
    if (controller.signal.aborted) return 130;
    log(`Benchmarks: ${opts.only.join(", ")}`);
    const deadline = setTimeout(() => controller.abort(new Error(`--max-seconds ${opts.maxSeconds} reached`)), opts.maxSeconds * 1000);
    let failed = false;
    let broken = false;
    try {
      for (const name of opts.only) {
        if (controller.signal.aborted) break;
        try {
          const outcome = await runBenchmark(name, stack, opts, log, profileDir);
          benchmarks[name] = outcome.report;
          summary.push(...outcome.summary);
          failed ||= outcome.failed;
          broken ||= outcome.broken;
        } catch (err) {
          // One benchmark's setup failing (or an interrupt) must not lose the others' figures: recorded, and the run goes on.
          const message = err instanceof Error ? err.message : String(err);
          console.error(`✗ ${name} did not finish: ${message}`);
          benchmarks[name] = { benchmark: name, error: message };
          summary.push({ benchmark: name, figure: `did not finish: ${message.split("\n")[0]!.slice(0, 80)}`, value: null, unit: "" });
          failed = true;
        }
      }
    } finally {
      clearTimeout(deadline);
    }
    stack.keepLogs = failed;
    const finishedAt = new Date();
    const file = writeResults(finishedAt, {
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      environment: { ...(await environment()), loadAverageAtStart: loadBefore.map((n) => Math.round(n * 100) / 100) },
      config: { ...opts, target: stack.baseUrl },
      summary: summary.map((row) => ({ ...row, met: met(row) })),
      benchmarks,
    });
    printSummary(summary);
    console.log(
      `load average at start ${loadBefore.map((n) => n.toFixed(2)).join(" ")}, at the end ${os
        .loadavg()
        .map((n) => n.toFixed(2))
        .join(" ")} (${os.cpus().length} cores)`,
    );
    console.log(`\nResults: ${path.relative(repoRoot, file)}\n`);
    if (broken) {
      console.error("✗ A benchmark found the database inconsistent afterwards (see its table and JSON): exiting with 1.");
      return 1;
    }
    return 0; // measured, not asserted: errors are in the tables and the file; only broken data fails the run
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

type Outcome = { report: object; summary: SummaryRow[]; failed: boolean; broken: boolean };

/**
 * Runs one benchmark and prints its table; returns its report (for the run's file) and its summary rows;
 * `failed` if it saw errors, `broken` if its check of the data afterwards failed (checkout: a fan charged
 * twice, a wallet ≠ its ledger; expiry: a hold not EXPIRED or a seat not AVAILABLE).
 */
async function runBenchmark(
  name: Benchmark,
  stack: Stack,
  opts: Options,
  log: (line: string) => void,
  profileDir: string,
): Promise<Outcome> {
  const startedAt = new Date();
  log(`--- ${name} ---`);
  // SIGUSR2 toggles the profiler that cpu-profile.mjs preloaded into each web process (the serving ones,
  // not their primary). A benchmark may profile several windows (each measured run, not what lies
  // between): each process's is kept under its own name and they are added up.
  const servers = () => {
    const children = webServerProcesses(stack.app.web.pid);
    return children.length > 0 ? children : [stack.app.web.pid];
  };
  const windows: string[] = [];
  let profiled: number[] = [];
  const hooks = {
    beforePhases: async () => {
      if (!opts.profile) return;
      profiled = servers();
      for (const pid of profiled) process.kill(pid, "SIGUSR2");
    },
    afterPhases: async () => {
      if (!opts.profile) return;
      for (const pid of profiled) process.kill(pid, "SIGUSR2");
      const round = windows.length + 1;
      for (const pid of profiled) {
        const kept = await keepProfile(profileDir, pid, `${name}-${pid}-${round}`);
        if (kept) windows.push(kept);
      }
    },
  };
  // Imported only now: server/ modules read DATABASE_URL and REDIS_PREFIX once, when first loaded, and
  // must see the throwaway ones startStack set, never the defaults (the development database and keys).
  let result: object;
  let requests: number;
  let failed: boolean;
  let print: () => void;
  let summary: SummaryRow[];
  let broken = false;
  if (name === "holds") {
    const { benchHolds, printHolds, holdsSummary } = await import("./holds.ts");
    const r = await benchHolds(stack, opts, controller.signal, log, hooks);
    result = r;
    requests = r.runs.reduce((n, run) => n + run.attempts + run.releases, 0);
    failed = r.runs.some((run) => run.errors > 0 || !run.verification.ok) || (r.open?.errors ?? 0) > 0;
    print = () => printHolds(r, opts);
    summary = holdsSummary(r);
  } else if (name === "seatmap") {
    const { benchSeatmap, printSeatmap, seatmapSummary } = await import("./seatmap-latency.ts");
    const r = await benchSeatmap(stack, opts, controller.signal, log, hooks);
    result = r;
    requests = r.payload.reads * 2; // the profile covers the seat map reads
    failed = r.errors > 0 || r.missed > 0;
    print = () => printSeatmap(r);
    summary = seatmapSummary(r);
  } else if (name === "checkout") {
    const { benchCheckout, printCheckout, checkoutSummary } = await import("./checkout.ts");
    const r = await benchCheckout(stack, opts, controller.signal, log, hooks);
    result = r;
    requests = r.runs.reduce((n, run) => n + run.requests, 0);
    failed = r.median.unexpectedErrors > 0 || !r.verified || (r.open?.errors ?? 0) > 0;
    broken = !r.verified;
    print = () => printCheckout(r, opts);
    summary = checkoutSummary(r);
  } else if (name === "api") {
    const { benchApi, printApi, apiSummary } = await import("./api.ts");
    const r = await benchApi(stack, opts, controller.signal, log, hooks);
    result = r;
    requests = [...r.partner.runs, ...r.seatmap.runs].reduce((n, p) => n + p.requests, 0); // the profiled phases
    failed = r.errors > 0;
    print = () => printApi(r, opts);
    summary = apiSummary(r);
  } else if (name === "expiry") {
    const { benchExpiry, printExpiry, expirySummary } = await import("./expiry.ts");
    const r = await benchExpiry(stack, opts, controller.signal, log);
    result = r;
    requests = 0;
    failed = !r.verification.ok;
    broken = !r.verification.ok;
    print = () => printExpiry(r);
    summary = expirySummary(r);
  } else {
    const { benchWaitingRoom, printWaitingRoom, waitingRoomSummary } = await import("./waiting-room.ts");
    const r = await benchWaitingRoom(stack, opts, controller.signal, log, hooks);
    result = r;
    requests = Object.values(r.phases).reduce((n, phase) => n + phase.runs.reduce((m, run) => m + run.requests, 0), 0);
    failed = r.errors > 0 || Object.values(r.phases).some((p) => p.runs.some((x) => x.errors > 0 || x.verification?.ok === false));
    print = () => printWaitingRoom(r, opts);
    summary = waitingRoomSummary(r);
  }
  const finishedAt = new Date();
  let profile: ProfileSummary | undefined;
  if (windows.length > 0) profile = summarizeProfile(windows);
  print();
  if (profile) printProfile(profile, requests);
  console.log("");
  const report = {
    benchmark: name,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    loadAverage: os.loadavg().map((n) => Math.round(n * 100) / 100),
    ...result,
    ...(profile ? { webProfile: profile } : {}),
  };
  return { report, summary, failed, broken };
}

const resultsDir = path.join(repoRoot, "bench", "results");

function stampOf(at: Date): string {
  return at.toISOString().replace(/:/g, "-").replace(/\..*$/, "");
}

/** bench/results/<date>.json: one file per run, every benchmark of it. */
function writeResults(at: Date, report: unknown): string {
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${stampOf(at)}.json`);
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

/** Waits for the web process to finish writing its profile, then moves it to `<as>.cpuprofile`. */
async function keepProfile(dir: string, pid: number, as: string): Promise<string | undefined> {
  const file = path.join(dir, `${pid}.cpuprofile`);
  for (let waited = 0; waited < 15_000; waited += 250) {
    try {
      JSON.parse(fs.readFileSync(file, "utf8")); // complete, not half written
      const kept = path.join(dir, `${as}.cpuprofile`);
      fs.renameSync(file, kept);
      return kept;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250)); // not there yet, or still being written
    }
  }
  console.error(`no CPU profile of the web process appeared at ${path.relative(repoRoot, file)}`);
  return undefined;
}

function printProfile(p: ProfileSummary, requests: number) {
  const where =
    p.files.length > 1 ? `${p.files.length} windows, ${path.relative(repoRoot, path.dirname(p.file))}/` : path.relative(repoRoot, p.file);
  console.log(
    `\nWeb process CPU over the measured phases: ${p.totalMs} ms for ${requests} requests, ${Math.round((p.totalMs / Math.max(1, requests)) * 100) / 100} ms each (${where})`,
  );
  for (const a of p.byArea.slice(0, 12)) console.log(`  ${String(a.share).padStart(5)}%  ${String(a.ms).padStart(9)} ms  ${a.area}`);
  console.log("  per request, by part of the budget (docs/performance.md):");
  for (const b of p.byPart)
    console.log(
      `  ${String(b.share).padStart(5)}%  ${(Math.round((b.ms / Math.max(1, requests)) * 1000) / 1000).toFixed(3).padStart(9)} ms  ${b.part}`,
    );
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
