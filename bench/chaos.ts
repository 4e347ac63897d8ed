// `npm run chaos -- [--seconds 120] [--seed N] [--aof] ...`: the on-sale simulator against a throwaway
// Onsale (its own redis-server, 2 web and 2 worker processes) while a seeded injector fires random faults
// (worker SIGKILL and SIGSTOP, Redis killed and restarted, PostgreSQL sessions terminated, a web process
// killed), then a settle, the invariant auditor, and the fans' payments reconciled with the database.
// Exit 1 on a violated invariant (with --strict also on a 500 or a system that did not recover), 2 on bad
// options. docs/chaos.md.
import { setMaxListeners } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { repoRoot } from "../scripts/proc.ts";
import { startInjector, type Injector } from "./lib/chaos/faults.ts";
import { CHAOS_USAGE, parseChaosOptions, type ChaosOptions } from "./lib/chaos/options.ts";
import { admissionStalls, reconcile, scanLogs, tabulateAnswers, type OrderRow } from "./lib/chaos/outcome.ts";
import { startOwnRedis } from "./lib/chaos/redis-server.ts";
import { formatChaosReport, type ChaosReport } from "./lib/chaos/report.ts";
import { sleep } from "./lib/sim/client.ts";
import { stepStats, type Answer, type FanState } from "./lib/sim/metrics.ts";
import { startStack } from "./lib/stack.ts";

const FAN_STATES: FanState[] = ["scheduled", "waiting", "admitted", "holding", "paid", "soldOut", "abandoned", "gaveUp", "stopped"];
const stampOf = (d: Date) => d.toISOString().replace(/[:]/g, "-").replace(/\..*$/, "Z");

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(3000) });
    return res.status === 200;
  } catch {
    return false;
  }
}

async function main(): Promise<number> {
  let opts: ChaosOptions;
  try {
    opts = parseChaosOptions(process.argv.slice(2));
  } catch (err) {
    console.error(err instanceof z.ZodError ? z.prettifyError(err) : err instanceof Error ? err.message : err);
    console.error(CHAOS_USAGE);
    return 2;
  }
  // This process's own server/ modules (the sampler's Redis client) would log every reconnect while Redis is down.
  process.env.LOG_LEVEL = "fatal";
  const log = (line: string) => console.log(line);
  const cleanups: (() => Promise<void>)[] = [];
  // `controller` stops the fans (at the cap or on a signal); `interrupt` only on a signal.
  const controller = new AbortController();
  const interrupt = new AbortController();
  setMaxListeners(0, controller.signal);
  let interrupted = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (interrupted) process.exit(130);
      interrupted = true;
      console.error(`\n${signal}: stopping the fans and the faults, cleaning up (send it again to quit at once)`);
      controller.abort();
      interrupt.abort();
    });
  }
  const startedAt = new Date();
  let injector: Injector | undefined;
  try {
    // 1. Our own Redis (to kill and restart), then the throwaway stack on it.
    const redisServer = await startOwnRedis({ aof: opts.aof });
    cleanups.push(() => redisServer.close());
    log(
      `Redis: own redis-server at ${redisServer.url} (${opts.aof ? "appendonly, fsync every second" : "no persistence: a restart comes back empty"})`,
    );
    const stack = await startStack({
      port: opts.port,
      webs: opts.web,
      workers: opts.workers,
      logLevel: opts["log-level"],
      appEnv: { WORKER_LOCK_MS: String(opts["lock-ms"]) },
      // The workers' start and recovery lines are info; the injector waits for "worker started".
      workerEnv: { LOG_LEVEL: "info" },
      redisUrl: redisServer.url,
      cleanups,
      log,
    });
    if (controller.signal.aborted) return 130;

    // server/ modules read DATABASE_URL and REDIS_* when loaded: import them only now.
    const [{ runOnSale }, { auditInvariants, WORKER_SWEEP_INTERVAL_MS }, { prisma, disconnectDb }, { redis }] = await Promise.all([
      import("./lib/sim/run.ts"),
      import("../server/domain/audit/invariants.ts"),
      import("../server/db.ts"),
      import("../server/redis.ts"),
    ]);
    cleanups.push(async () => {
      await disconnectDb();
      await redis().quit();
    });

    // 2. The on-sale, with the injector started as the first fan arrives.
    const answers: Answer[] = [];
    const chaosSamples: { t: number; waiting: number; admissions: number; sold: number }[] = [];
    let sampler: NodeJS.Timeout | undefined;
    let t0 = 0;
    const run = await runOnSale(
      { ...opts, "max-seconds": opts.seconds },
      {
        baseUrls: [stack.baseUrl],
        authSecret: stack.authSecret,
        controller,
        cleanups,
        log,
        resilient: true,
        // Access lapses sooner than the simulator's 300 s: admission is capped by the stock left minus the
        // shoppers with access, so fans who walked away would otherwise block the line for five minutes.
        accessSeconds: opts["access-seconds"],
        stopKeeping: () => injector !== undefined && (injector.faults.length > 0 || injector.current() !== undefined),
        progressSuffix: () => `  faults ${injector?.faults.length ?? 0}${injector?.current() ? ` (${injector.current()} now)` : ""}`,
        onStart: ({ t0: start, metrics }) => {
          t0 = start;
          metrics.onAnswer = (a) => answers.push(a);
          sampler = setInterval(
            () =>
              chaosSamples.push({
                t: Date.now() - t0,
                waiting: metrics.count("waiting"),
                admissions: metrics.admissions,
                sold: metrics.seatsSold,
              }),
            1000,
          );
          injector = startInjector({
            stack,
            redis: redisServer,
            kinds: opts.faults,
            seed: opts.seed * 7_919 + 17,
            t0,
            from: opts["open-after"] * 1000 + 3000,
            until: opts.seconds * 1000 - 15_000,
            meanGapMs: opts["fault-gap"] * 1000,
            lockMs: opts["lock-ms"],
            log,
          });
        },
      },
    );
    clearInterval(sampler);
    const runEndedAt = Date.now();
    injector!.stop();
    await injector!.done;
    if (interrupted) return 130;
    const { metrics, records, showtimeId } = run;

    // 3. Settle: every process whole (a process that died by itself is a finding, and is replaced as a
    // supervisor would), health green on every web process, then at least one sweep interval.
    const settleStarted = Date.now();
    const unexpectedExits: ChaosReport["unexpectedExits"] = [];
    for (const proc of stack.processes) {
      const code = await Promise.race([proc.exited, sleep(50).then(() => "alive" as const)]);
      if (code !== "alive" && !injector!.killedPids.has(proc.pid))
        unexpectedExits.push({ name: proc.name, pid: proc.pid, code, tail: proc.tail(20) });
    }
    const dead = new Set(unexpectedExits.map((e) => e.pid));
    injector!.workers.forEach((w, i) => {
      if (dead.has(w.pid)) injector!.workers[i] = stack.startWorker();
    });
    if (unexpectedExits.length)
      log(`Died by themselves during the run (replaced): ${unexpectedExits.map((e) => `${e.name} exit ${e.code}`).join(", ")}`);
    let healthyAfterMs: number | null = null;
    for (const deadline = Date.now() + 90_000; Date.now() < deadline; await sleep(1000)) {
      if (await healthy(stack.baseUrl)) {
        healthyAfterMs = Date.now() - runEndedAt;
        break;
      }
    }
    const settleMs = (opts.settle ?? (WORKER_SWEEP_INTERVAL_MS + 5000) / 1000) * 1000;
    log(
      `Settling: ${healthyAfterMs === null ? "health NOT green within 90 s" : `health green ${(healthyAfterMs / 1000).toFixed(1)} s after the fans stopped`}; waiting ${settleMs / 1000} s (a sweep interval) before the audit`,
    );
    await sleep(settleMs, interrupt.signal);
    if (interrupted) return 130;
    const settledAt = Date.now();

    // 4. Audit, and the fans' payments against the orders.
    const audit = await auditInvariants(prisma(), { showtimeId });
    const orders = await prisma().$queryRaw<OrderRow[]>`
      SELECT o.id, o."userId", o."idempotencyKey", o.status::text AS status,
             (SELECT count(*)::int FROM "Ticket" t WHERE t."orderId" = o.id AND t.status = 'VALID') AS tickets
      FROM "Order" o WHERE o."showtimeId" = ${showtimeId}`;
    const [sold] = await prisma().$queryRaw<
      { seats: number }[]
    >`SELECT count(*)::int AS seats FROM "Seat" WHERE "showtimeId" = ${showtimeId} AND status = 'SOLD'`;
    const seatsSoldInDb = sold?.seats ?? 0;
    const reconciliation = reconcile(records, run.userIds, orders, seatsSoldInDb);
    const auditedAt = Date.now();

    const faults = injector!.faults;
    const faultCounts: Record<string, number> = {};
    for (const f of faults) if (!f.skipped) faultCounts[f.kind] = (faultCounts[f.kind] ?? 0) + 1;
    const tables = tabulateAnswers(answers, faults, t0);
    const checks: ChaosReport["invariants"]["checks"] = [
      ...audit.checks.map((c) => ({ name: c.name, ok: c.ok, violations: c.violations, examples: c.examples, source: "database" })),
      {
        name: "a double click is charged once (every answer for one key names one order)",
        ok: metrics.clientViolations.length === 0,
        violations: metrics.clientViolations.length,
        examples: metrics.clientViolations.slice(0, 5),
        source: "fans",
      },
      {
        name: "fans and database agree on payments and seats sold (unknown outcomes settled by key)",
        ok: reconciliation.ok,
        violations: reconciliation.violations.length,
        examples: reconciliation.violations.slice(0, 5),
        source: "fans+database",
      },
    ];
    const invariantsOk = checks.every((c) => c.ok);
    const recovered = healthyAfterMs !== null && unexpectedExits.length === 0;
    const report: ChaosReport = {
      startedAt: startedAt.toISOString(),
      options: { ...opts, arrival: opts.arrival.spec },
      setup: {
        showtimeId,
        seats: run.onSale.seats,
        fans: opts.fans,
        webProcesses: opts.web,
        workerProcesses: opts.workers,
        redis: `own redis-server :${redisServer.port} ${opts.aof ? "with AOF" : "without persistence"}`,
        lockMs: opts["lock-ms"],
        logDir: path.relative(repoRoot, stack.logDir),
      },
      timings: {
        setupMs: t0 - startedAt.getTime(),
        runMs: runEndedAt - t0,
        settleMs: settledAt - settleStarted,
        auditMs: auditedAt - settledAt,
        totalMs: Date.now() - startedAt.getTime(),
      },
      faults,
      faultCounts,
      unexpectedExits,
      recovery: {
        ok: recovered,
        detail: [
          healthyAfterMs === null
            ? "health not green on every web process within 90 s of the end"
            : `every web process healthy ${(healthyAfterMs / 1000).toFixed(1)} s after the fans stopped`,
          unexpectedExits.length ? `${unexpectedExits.length} process(es) died by themselves` : "no process died by itself",
        ].join("; "),
        healthyAfterMs,
      },
      answers: tables,
      steps: stepStats(metrics, run.durationMs),
      outcome: {
        fans: Object.fromEntries(FAN_STATES.map((s) => [s, metrics.count(s)])),
        rejoined: records.filter((r) => (r.rejoins ?? 0) > 0).length,
        seatsSoldInDb,
        ordersInDb: orders.length,
        seatsSoldByFans: metrics.seatsSold,
      },
      reconciliation,
      admissionStalls: admissionStalls(chaosSamples, run.onSale.seats, faults),
      logErrors: scanLogs(stack.logDir),
      invariants: { ok: invariantsOk, checks },
      ok: invariantsOk && (!opts.strict || (recovered && tables.serverErrors.count === 0)),
    };
    const dir = path.resolve(repoRoot, opts.out);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `chaos-${stampOf(startedAt)}.json`);
    fs.writeFileSync(file, JSON.stringify(report, null, 2));
    console.log(`\n${formatChaosReport(report)}`);
    if (!report.ok && invariantsOk) console.log("  --strict: a 500 or a system that did not recover fails the run");
    console.log(`\nReport: ${path.relative(process.cwd(), file)}`);
    // The logs are the evidence of any finding: kept unless the run was clean.
    stack.keepLogs = !(invariantsOk && recovered && tables.serverErrors.count === 0);
    return report.ok ? 0 : 1;
  } finally {
    const cleanupStarted = Date.now();
    injector?.stop();
    await injector?.done.catch(() => {});
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (err) {
        console.error(`cleanup failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    console.log(
      `Cleaned up in ${((Date.now() - cleanupStarted) / 1000).toFixed(1)} s; ${((Date.now() - startedAt.getTime()) / 1000).toFixed(1)} s in all`,
    );
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
