// `npm run simulate -- --fans 5000 --seats 1000 [--arrival ramp:30] [--web 2 --workers 2] ...`: a whole
// on-sale against a real Onsale through its HTTP API (the tRPC endpoints the pages use), then a report
// (terminal, JSON, HTML) with the invariants read back from PostgreSQL and Redis. Exit 1 on a violated
// invariant, 2 on bad options. Options and the arrival curves: docs/simulator.md.
import { setMaxListeners } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { repoRoot } from "../scripts/proc.ts";
import { sleep } from "./lib/sim/client.ts";
import { checkAdmissionOrder, type Admission } from "./lib/sim/fairness.ts";
import { stepStats, STEPS, type FanState } from "./lib/sim/metrics.ts";
import { parseOptions, USAGE, type SimOptions } from "./lib/sim/options.ts";
import { formatReport, renderHtml, type SimReport } from "./lib/sim/report.ts";
import { startStack, type Stack } from "./lib/stack.ts";

const FAN_STATES: FanState[] = ["scheduled", "waiting", "admitted", "holding", "paid", "soldOut", "abandoned", "gaveUp", "stopped"];

const stampOf = (d: Date) => d.toISOString().replace(/[:]/g, "-").replace(/\..*$/, "Z");

async function main(): Promise<number> {
  let opts: SimOptions;
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (err) {
    console.error(err instanceof z.ZodError ? z.prettifyError(err) : err instanceof Error ? err.message : err);
    console.error(USAGE);
    return 2;
  }
  const log = (line: string) => console.log(line);
  const cleanups: (() => Promise<void>)[] = [];
  const controller = new AbortController();
  // Every fan's pending sleep and request listens to this one signal.
  setMaxListeners(0, controller.signal);
  let interrupted = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (interrupted) process.exit(130);
      interrupted = true;
      console.error(`\n${signal}: stopping the fans and cleaning up (send it again to quit at once)`);
      controller.abort();
    });
  }
  const startedAt = new Date();
  let stack: Stack | undefined;
  try {
    // 1. The app: a throwaway stack (own database and Redis prefix, production build), or a running one.
    let baseUrls: string[];
    let secret: string;
    if (opts["base-url"]) {
      const env = z.object({ DATABASE_URL: z.string().min(1), AUTH_SECRET: z.string().min(1) }).safeParse(process.env);
      if (!env.success) {
        console.error(
          "--base-url needs DATABASE_URL and AUTH_SECRET of that app (to create fans and read back), and its REDIS_URL/REDIS_PREFIX",
        );
        return 2;
      }
      baseUrls = [opts["base-url"].replace(/\/$/, "")];
      secret = env.data.AUTH_SECRET;
    } else {
      stack = await startStack({ port: opts.port, webs: opts.web, workers: opts.workers, logLevel: opts["log-level"], cleanups, log });
      baseUrls = [stack.baseUrl];
      secret = stack.authSecret;
    }
    if (controller.signal.aborted) return 130;

    // server/ modules read DATABASE_URL and REDIS_* when loaded: import them only now.
    const [{ runOnSale }, { auditInvariants }, { prisma, disconnectDb }, { redis }, { wrKeys, ARRIVAL_SCORE_OFFSET }] = await Promise.all([
      import("./lib/sim/run.ts"),
      import("../server/domain/audit/invariants.ts"),
      import("../server/db.ts"),
      import("../server/redis.ts"),
      import("../server/domain/waiting-room/keys.ts"),
    ]);
    cleanups.push(async () => {
      await disconnectDb();
      await redis().quit();
    });

    // 2–3. Fans, the on-sale, the run (bench/lib/sim/run.ts).
    const run = await runOnSale(opts, { baseUrls, authSecret: secret, controller, cleanups, log });
    const { onSale, showtimeId, t0, openAfterMs, metrics, records, samples, durationMs } = run;
    const keys = wrKeys(showtimeId);
    const stoppedByCap = controller.signal.aborted && !interrupted;
    if (interrupted) return 130;

    // 4. Read back: the auditor for this showtime, admission order from Redis, what the database sold.
    await sleep(500);
    const audit = await auditInvariants(prisma(), { showtimeId });
    const stream = await redis().xrange(keys.admissions, "-", "+");
    const admissions: Admission[] = stream.map(([id, fields]) => {
      const f = new Map<string, string>();
      for (let i = 0; i + 1 < fields.length; i += 2) f.set(fields[i]!, fields[i + 1]!);
      return { user: f.get("user") ?? "", score: Number(f.get("score")), atMs: Number(id.split("-")[0]) };
    });
    const fairness = checkAdmissionOrder(admissions, records, ARRIVAL_SCORE_OFFSET, t0);
    const [sold] = await prisma().$queryRaw<{ seats: bigint; orders: bigint; firstPaid: Date | null; lastPaid: Date | null }[]>`
      SELECT (SELECT count(*) FROM "Seat" WHERE "showtimeId" = ${showtimeId} AND status = 'SOLD') AS seats,
             (SELECT count(*) FROM "Order" WHERE "showtimeId" = ${showtimeId}) AS orders,
             (SELECT min("createdAt") FROM "Order" WHERE "showtimeId" = ${showtimeId}) AS "firstPaid",
             (SELECT max("createdAt") FROM "Order" WHERE "showtimeId" = ${showtimeId}) AS "lastPaid"`;
    const seatsSoldInDb = Number(sold?.seats ?? 0);
    const lastPaidMs = sold?.lastPaid ? sold.lastPaid.getTime() - (t0 + openAfterMs) : null;
    const soldOutAfterOpeningMs = seatsSoldInDb === onSale.seats ? lastPaidMs : null;

    const checks: SimReport["invariants"]["checks"] = [
      ...audit.checks.map((c) => ({ name: c.name, ok: c.ok, violations: c.violations, examples: c.examples, source: "database" })),
      {
        name: "admission order equals arrival order (outside the pre-queue)",
        ok: fairness.ok,
        violations: fairness.outOfOrder + fairness.skipped + fairness.seqMismatches,
        examples: fairness.examples,
        source: "redis",
      },
      {
        name: "a double click is charged once (both answers name one order)",
        ok: metrics.clientViolations.length === 0,
        violations: metrics.clientViolations.length,
        examples: metrics.clientViolations.slice(0, 5),
        source: "fans",
      },
      {
        // A checkout cut off by --max-seconds may still have sold its seats: those count as either.
        name: "fans and database agree on seats sold",
        ok: seatsSoldInDb >= metrics.seatsSold && seatsSoldInDb <= metrics.seatsSold + metrics.unconfirmedSeats,
        violations: seatsSoldInDb >= metrics.seatsSold && seatsSoldInDb <= metrics.seatsSold + metrics.unconfirmedSeats ? 0 : 1,
        examples: [{ fansSaw: metrics.seatsSold, cutOffAtTheCap: metrics.unconfirmedSeats, database: seatsSoldInDb }],
        source: "fans+database",
      },
    ];
    const report: SimReport = {
      startedAt: startedAt.toISOString(),
      options: { ...opts, arrival: opts.arrival.spec },
      setup: {
        showtimeId,
        seats: onSale.seats,
        fans: opts.fans,
        baseUrls,
        webProcesses: opts["base-url"] ? null : opts.web,
        workerProcesses: opts["base-url"] ? null : opts.workers,
        rateLimits: opts["base-url"]
          ? "as configured on that app (each fan sends its own X-Forwarded-For)"
          : "off (RATE_LIMITS=off: all fans share one machine)",
        opensAfterMs: openAfterMs,
      },
      durationMs,
      stoppedByCap,
      outcome: {
        fans: Object.fromEntries(FAN_STATES.map((s) => [s, metrics.count(s)])),
        seatsSold: metrics.seatsSold,
        seatsSoldInDb,
        ordersInDb: Number(sold?.orders ?? 0),
        soldOutAfterOpeningMs,
        salesPerSecond: lastPaidMs && lastPaidMs > 0 ? Math.round((seatsSoldInDb / (lastPaidMs / 1000)) * 10) / 10 : 0,
      },
      steps: stepStats(metrics, durationMs),
      errorsByCode: Object.fromEntries(metrics.errorsByCode),
      errorExamples: Object.fromEntries(metrics.errorExamples),
      invariants: { ok: checks.every((c) => c.ok), checks },
      fairness,
      samples,
      latencies: Object.fromEntries(STEPS.map((s) => [s, metrics.latencies.get(s)!.map((x) => Math.round(x * 10) / 10)])),
    };

    const dir = path.resolve(repoRoot, opts.out);
    fs.mkdirSync(dir, { recursive: true });
    const base = path.join(dir, `simulate-${stampOf(startedAt)}`);
    fs.writeFileSync(`${base}.json`, JSON.stringify(report, null, 2));
    fs.writeFileSync(`${base}.html`, renderHtml(report));
    console.log(`\n${formatReport(report)}`);
    console.log(`\nReport: ${path.relative(process.cwd(), base)}.json and .html`);
    if (stack && report.invariants.ok) stack.keepLogs = false;
    return report.invariants.ok ? 0 : 1;
  } finally {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (err) {
        console.error(`cleanup failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
