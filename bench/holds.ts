// Benchmark: holds under 100× contention: fans (2,000 by default) loop on a few seats (20), one seat per
// attempt, through the real hold endpoint (Next.js route → tRPC → gate → one-statement claim in PostgreSQL →
// expiry job and pub/sub); each success is released at once, so the seats stay in play. Set beside
// `pgbench` single-row updates of as many rows on the same PostgreSQL in the same run. Then an open loop
// at 70% of the closed loop's peak attempt rate, for latency at a sustainable rate. Import it only after startStack has set DATABASE_URL and
// REDIS_PREFIX: the server modules below read them once, on load.
import type { Agent } from "node:http";
import pg from "pg";
import { prisma } from "../server/db.ts";
import { updateSettings } from "../server/domain/waiting-room/settings.ts";
import { redis as sharedRedis } from "../server/redis.ts";
import { makeConcert } from "../test/support/factories.ts";
import { commandCpuMs, cpuBetween, cpuSnapshot, type CpuSnapshot } from "./lib/cpu.ts";
import { createFans } from "./lib/fans.ts";
import {
  burst,
  connectionPool,
  latencyStats,
  median,
  openLoop,
  round,
  send,
  sendPooled,
  type OpenLoopResult,
  type Outcome,
} from "./lib/load.ts";
import { prepareSingleRowUpdate, runPgbench, type PgbenchRow, type PgbenchUnavailable } from "./lib/pgbench.ts";
import type { Stack } from "./lib/stack.ts";
import { ratioOf, type SummaryRow } from "./lib/summary.ts";
import { trpcAppCode, trpcData, trpcMutation, trpcQuery } from "./lib/trpc.ts";

/** Thousands of fans in a closed loop queue for seconds: a request only fails after this long. */
const REQUEST_TIMEOUT_MS = 120_000;

/** The web process's PostgreSQL pool (server/db.ts, `max: 10`): how many statements the app can run at once. */
export const APP_DB_POOL = 10;

export type HoldsOptions = {
  runs: number;
  /** Fans looping at once (each has one request in flight at a time). */
  holdFans: number;
  /** Seats in play: contention = holdFans ÷ holdSeats. */
  holdSeats: number;
  /** Connections the fans' requests share (a proxy's upstream pool); the rest wait for one, timed. */
  holdConnections: number;
  /** Seconds of the open-loop phase at 70% of the closed loop's peak. */
  openSeconds: number;
  /** Measured seconds of each run. */
  holdSeconds: number;
  warmupSeconds: number;
  pgbenchSeconds: number;
  /** Client counts for pgbench, each its own row; undefined: the app's pool and half of max_connections. */
  pgbenchClients?: number[];
  pgbenchJobs: number;
};

type Latency = ReturnType<typeof latencyStats>;

export type HoldRun = {
  wallMs: number;
  attempts: number;
  /** holds.create answered 200: the seats were ours (then released at once). */
  holds: number;
  /** holds.create answered 409 SEATS_UNAVAILABLE: someone else had one of the seats. */
  conflicts: number;
  /** Anything else, on create or release: must be 0. */
  errors: number;
  /** Of those, failed releases (each retried up to twice). */
  releaseErrors: number;
  releases: number;
  attemptsPerSecond: number;
  holdsPerSecond: number;
  seatsHeldPerSecond: number;
  conflictRate: number;
  /** holds.create, every attempt; then split by outcome. holds.release separately. */
  latency: { create: Latency; held: Latency; conflict: Latency; release: Latency };
  cpu: CpuSnapshot & { postgresMs: number };
  /** CPU per HTTP request (creates and releases), ms. Postgres and Redis count every client on the machine. */
  cpuPerRequestMs: { web: number; postgres: number; redis: number; bench: number };
  /**
   * Connections to the run's database, sampled every 250 ms: busy (active or in a transaction), of those
   * waiting for a lock held by another transaction (a seat row, or a fan's advisory lock), and open.
   */
  dbConnections: {
    busyMax: number;
    busyMedian: number;
    /** Of the busy ones: running a statement in PostgreSQL, or in a transaction waiting for the app's next statement. */
    activeMedian: number;
    idleInTransactionMedian: number;
    lockWaitMax: number;
    lockWaitMedian: number;
    openMax: number;
  };
  errorSamples: string[];
  verification: { ok: boolean; note: string };
};

/** The same fans calling `auth.me` (session cookie decoded, no database): the HTTP + tRPC floor. */
export type FloorRun = {
  wallMs: number;
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p99: number;
  webCpuPerRequestMs: number;
  errorSamples: string[];
};

/** The open-loop phase: hold attempts sent on a fixed schedule at 70% of the closed loop's attempts/s. */
export type HoldsOpen = OpenLoopResult & {
  holds: number;
  conflicts: number;
  releaseErrors: number;
  verification: { ok: boolean; note: string };
};

export type HoldsResult = {
  showtime: { id: string; label: string; seats: number; perUserLimit: number };
  fans: number;
  /** Fans per seat in play. */
  contention: number;
  open?: HoldsOpen;
  warmup: { attempts: number; holds: number; errors: number };
  runs: HoldRun[];
  floor: { runs: FloorRun[]; median: { rps: number; p50: number; p99: number; webCpuPerRequestMs: number }; errors: number };
  median: Pick<
    HoldRun,
    "attempts" | "holds" | "conflicts" | "errors" | "attemptsPerSecond" | "holdsPerSecond" | "seatsHeldPerSecond" | "conflictRate"
  > & {
    p50: number;
    p99: number;
    heldP50: number;
    heldP99: number;
    releaseP50: number;
    releaseP99: number;
    releaseErrors: number;
    webCpuPerRequestMs: number;
    busyConnectionsMax: number;
    busyConnectionsMedian: number;
    activeMedian: number;
    idleInTransactionMedian: number;
    lockWaitsMedian: number;
  };
  pgbench: {
    rows: number;
    maxConnections: number;
    runs: Record<string, (PgbenchRow | PgbenchUnavailable)[]>;
    /** Median tps per client count (null when pgbench could not run). */
    medianTps: Record<string, number | null>;
  };
  ratios: {
    /** HTTP requests/s of the hold loop (creates + releases) ÷ the auth.me floor's requests/s. */
    requestsVsFloor: number | null;
    /** Successful holds/s ÷ pgbench tps, per pgbench client count. */
    holdsVsPgbench: Record<string, number | null>;
    attemptsVsPgbench: Record<string, number | null>;
  };
};

type Contender = { userId: string; cookie: string; accessToken: string };

export async function benchHolds(
  stack: Stack,
  opts: HoldsOptions,
  signal: AbortSignal,
  log: (line: string) => void,
  hooks: { beforePhases?: () => Promise<void>; afterPhases?: () => Promise<void> } = {},
): Promise<HoldsResult> {
  const db = new pg.Client({ connectionString: stack.databaseUrl });
  await db.connect();
  const redis = sharedRedis();
  // Every fan's request goes out at once, over at most holdConnections connections (the rest wait for one).
  const agent = connectionPool(opts.holdConnections);
  let pgbenchTable: Awaited<ReturnType<typeof prepareSingleRowUpdate>> | undefined;
  try {
    // --- Setup: a showtime of `holdSeats` seats in play, its waiting room off (join admits at once), fans with access
    // Rows of 10 in two sections; only the first `holdSeats` seats (by id) are ever asked for.
    const concert = await makeConcert({
      title: "Bench Holds",
      artist: "Bench",
      layout: { rows: Math.ceil(opts.holdSeats / 20), seatsPerRow: 10 },
    });
    const showtimeId = concert.showtimes[0]!.id;
    const { rows: seatRows } = await db.query<{ id: number }>(`SELECT id FROM "Seat" WHERE "showtimeId" = $1 ORDER BY id LIMIT $2`, [
      showtimeId,
      opts.holdSeats,
    ]);
    const seatIds = seatRows.map((r) => r.id);
    // High enough never to be what refuses a hold, even with a fan's open-loop attempts overlapping.
    const perUserLimit = Math.max(seatIds.length, 8);
    await prisma().showtime.update({ where: { id: showtimeId }, data: { perUserLimit } });
    await updateSettings(redis, showtimeId, { enabled: false, accessSeconds: 3600 });
    const contention = round(opts.holdFans / seatIds.length);
    const label = `${seatIds.length} seats in play (${contention}× contention), one seat per attempt, per-user limit ${perUserLimit}`;
    log(`Holds: showtime ${showtimeId}, ${label}`);

    const fans = await createFans(db, opts.holdFans, stack.authSecret);
    const contenders: Contender[] = [];
    // Admitted in bursts of 200: thousands at once would only time out against one busy web process.
    for (let i = 0; i < fans.length && !signal.aborted; i += 200) {
      const batch = fans.slice(i, i + 200);
      const joined = await burst(
        batch.length,
        (j) => trpcMutation(stack.baseUrl, "waitingRoom.join", { showtimeId }, batch[j]!.cookie),
        readAccessToken,
        signal,
      );
      joined.outcomes.forEach((o, j) => {
        if (o.ok) contenders.push({ userId: batch[j]!.id, cookie: batch[j]!.cookie, accessToken: o.value });
        else throw new Error(`fan ${batch[j]!.id} was not admitted: ${o.error}`);
      });
    }
    if (contenders.length < fans.length) throw new Error(`interrupted while admitting fans (${contenders.length} of ${fans.length})`);
    log(`${contenders.length} fans admitted (waiting room off, access for an hour)`);

    const target = { baseUrl: stack.baseUrl, showtimeId, seatIds, contenders, agent };
    const pids = { web: stack.app.web.pid, worker: stack.app.worker.pid };

    // --- pgbench table and client counts ------------------------------------------------------------------
    pgbenchTable = await prepareSingleRowUpdate(db, seatIds.length);
    const { rows: mc } = await db.query<{ max_connections: string }>(`SHOW max_connections`);
    const maxConnections = Number(mc[0]?.max_connections ?? 100);
    // The app's own concurrency, and the most the fans could ask for as far as the server allows
    // without starving others' test runs of connections: half of max_connections.
    const clientCounts = opts.pgbenchClients ?? [...new Set([APP_DB_POOL, Math.min(opts.holdFans, Math.floor(maxConnections / 2))])];

    // --- Warm-up ----------------------------------------------------------------------------------------
    const warm = await contend(target, opts.warmupSeconds * 1000, signal);
    const warmLeft = await releaseLeftovers(db, target);
    log(
      `Warm-up: ${warm.attempts} attempts, ${warm.holds} holds, ${warm.errors} errors${warmLeft ? `; ${warmLeft} holds left over, released` : ""}`,
    );
    if (warm.attempts > 0 && warm.holds === 0)
      throw new Error(`no hold succeeded in the warm-up, e.g.\n  ${warm.errorSamples.join("\n  ")}`);

    // --- Runs: holds over HTTP, then pgbench, interleaved so each pair sees the same machine --------------
    const runs: HoldRun[] = [];
    const floorRuns: FloorRun[] = [];
    const pgbenchRuns: Record<string, (PgbenchRow | PgbenchUnavailable)[]> = Object.fromEntries(clientCounts.map((c) => [String(c), []]));
    for (let r = 0; r < opts.runs && !signal.aborted; r++) {
      const holdsBefore = await countHolds(db, showtimeId);
      const sampler = sampleConnections(stack.databaseUrl);
      const before = await cpuSnapshot(pids, redis);
      const pgBefore = commandCpuMs("postgres");
      await hooks.beforePhases?.(); // a profile window per holds run: not the floor, not pgbench
      const raw = await contend(target, opts.holdSeconds * 1000, signal);
      const cpu = { ...cpuBetween(before, await cpuSnapshot(pids, redis)), postgresMs: Math.round(commandCpuMs("postgres") - pgBefore) };
      await hooks.afterPhases?.(); // after the CPU reading: writing the profile costs the web process too
      const connections = await sampler.stop();
      const verification = await verify(db, showtimeId, holdsBefore, raw.holds);
      runs.push(toRun(raw, cpu, connections, verification));
      log(`holds run ${r + 1}/${opts.runs}: ${line(runs.at(-1)!)}; ${verification.note}`);
      const tidied = await releaseLeftovers(db, target);
      if (tidied) log(`released ${tidied} holds left over by failed releases, so the next run starts with every seat free`);

      const floorBefore = await cpuSnapshot(pids, redis);
      const floor = await noopFloor(target, Math.min(opts.holdSeconds, 5) * 1000, signal);
      const floorCpu = cpuBetween(floorBefore, await cpuSnapshot(pids, redis));
      floor.webCpuPerRequestMs = round(floorCpu.webMs / Math.max(1, floor.requests), 3);
      floorRuns.push(floor);
      log(
        `auth.me floor run ${r + 1}/${opts.runs}: ${floor.rps} req/s, p50 ${floor.p50} ms, p99 ${floor.p99} ms, ${floor.errors} errors, web ${floor.webCpuPerRequestMs} ms CPU/request`,
      );

      for (const clients of clientCounts) {
        if (signal.aborted) break;
        const row = await runPgbench({
          databaseUrl: stack.databaseUrl,
          script: pgbenchTable.script,
          clients,
          jobs: opts.pgbenchJobs,
          seconds: opts.pgbenchSeconds,
        });
        pgbenchRuns[String(clients)]!.push(row);
        log(
          `pgbench run ${r + 1}/${opts.runs}, -c ${clients}: ${"unavailable" in row ? row.unavailable : `${row.tps} tps, ${row.latencyAvgMs} ms average`}`,
        );
      }
    }
    if (runs.length === 0) throw new Error("interrupted before the first holds run finished");

    // --- Open loop at 70% of the closed loop's peak attempts/s ------------------------------------------
    let open: HoldsOpen | undefined;
    const peak = median(runs.map((r) => r.attemptsPerSecond));
    if (!signal.aborted && peak > 0) {
      const rate = 0.7 * peak;
      log(`holds open loop: ${round(rate)} attempts/s (70% of ${round(peak)}) for ${opts.openSeconds} s`);
      const holdsBefore = await countHolds(db, showtimeId);
      const raw = await contendOpen(target, rate, opts.openSeconds * 1000, signal);
      const verification = await verify(db, showtimeId, holdsBefore, raw.holds);
      open = { ...raw, verification };
      log(
        `holds open loop: sent ${open.sent} (${open.sentRps}/s), ${open.holds} holds, ${open.conflicts} conflicts, ${open.errors} errors; ` +
          `p50 ${open.p50} ms, p99 ${open.p99} ms (from the scheduled send), generator lag p99 ${open.lagP99} ms; ${verification.note}`,
      );
      const tidied = await releaseLeftovers(db, target);
      if (tidied) log(`released ${tidied} holds left over by failed releases`);
    }

    const m = (pick: (r: HoldRun) => number) => round(median(runs.map(pick)));
    const medianRun: HoldsResult["median"] = {
      attempts: m((r) => r.attempts),
      holds: m((r) => r.holds),
      conflicts: m((r) => r.conflicts),
      errors: runs.reduce((sum, r) => sum + r.errors, 0),
      attemptsPerSecond: m((r) => r.attemptsPerSecond),
      holdsPerSecond: m((r) => r.holdsPerSecond),
      seatsHeldPerSecond: m((r) => r.seatsHeldPerSecond),
      conflictRate: round(median(runs.map((r) => r.conflictRate)), 3),
      p50: m((r) => r.latency.create.p50),
      p99: m((r) => r.latency.create.p99),
      heldP50: m((r) => r.latency.held.p50),
      heldP99: m((r) => r.latency.held.p99),
      releaseP50: m((r) => r.latency.release.p50),
      releaseP99: m((r) => r.latency.release.p99),
      webCpuPerRequestMs: round(median(runs.map((r) => r.cpuPerRequestMs.web)), 3),
      busyConnectionsMax: Math.max(...runs.map((r) => r.dbConnections.busyMax)),
      lockWaitsMedian: round(median(runs.map((r) => r.dbConnections.lockWaitMedian))),
      busyConnectionsMedian: round(median(runs.map((r) => r.dbConnections.busyMedian))),
      activeMedian: round(median(runs.map((r) => r.dbConnections.activeMedian))),
      idleInTransactionMedian: round(median(runs.map((r) => r.dbConnections.idleInTransactionMedian))),
      releaseErrors: runs.reduce((sum, r) => sum + r.releaseErrors, 0),
    };
    const medianTps: Record<string, number | null> = {};
    for (const [clients, rows] of Object.entries(pgbenchRuns)) {
      const tps = rows.flatMap((row) => ("tps" in row ? [row.tps] : []));
      medianTps[clients] = tps.length ? round(median(tps)) : null;
    }
    const floorMedian = {
      rps: round(median(floorRuns.map((f) => f.rps))),
      p50: round(median(floorRuns.map((f) => f.p50))),
      p99: round(median(floorRuns.map((f) => f.p99))),
      webCpuPerRequestMs: round(median(floorRuns.map((f) => f.webCpuPerRequestMs)), 3),
    };
    const requestsPerSecond = round(median(runs.map((r) => (r.attempts + r.releases) / (r.wallMs / 1000))));
    const ratio = (value: number) =>
      Object.fromEntries(Object.entries(medianTps).map(([c, tps]) => [c, tps ? round(value / tps, 4) : null]));
    return {
      showtime: { id: showtimeId, label, seats: seatIds.length, perUserLimit },
      fans: contenders.length,
      contention,
      open,
      warmup: { attempts: warm.attempts, holds: warm.holds, errors: warm.errors },
      runs,
      floor: { runs: floorRuns, median: floorMedian, errors: floorRuns.reduce((n, f) => n + f.errors, 0) },
      median: medianRun,
      pgbench: { rows: seatIds.length, maxConnections, runs: pgbenchRuns, medianTps },
      ratios: {
        requestsVsFloor: floorMedian.rps ? round(requestsPerSecond / floorMedian.rps, 4) : null,
        holdsVsPgbench: ratio(medianRun.holdsPerSecond),
        attemptsVsPgbench: ratio(medianRun.attemptsPerSecond),
      },
    };
  } finally {
    agent.destroy();
    await pgbenchTable?.remove().catch(() => {});
    await db.end();
  }
}

/** The access token a join answers with when the waiting room is off. */
function readAccessToken(status: number, body: string): Outcome<string> {
  const data = trpcData(status, body);
  if (!data.ok) return data;
  const value = data.value as { state?: string; accessToken?: unknown };
  if (value.state === "READY" && typeof value.accessToken === "string") return { ok: true, value: value.accessToken };
  return { ok: false, error: `expected READY with an access token, got ${JSON.stringify(value).slice(0, 300)}` };
}

type RawRun = {
  wallMs: number;
  attempts: number;
  holds: number;
  seatsHeld: number;
  conflicts: number;
  errors: number;
  releaseErrors: number;
  releases: number;
  create: number[];
  held: number[];
  conflict: number[];
  release: number[];
  errorSamples: string[];
};

/**
 * Every contender loops until `ms` have passed: one random seat of those in play, hold; on success
 * release at once, so the seat goes back into the contest. One request in flight per fan.
 */
async function contend(
  t: { baseUrl: string; showtimeId: string; seatIds: number[]; contenders: Contender[]; agent: Agent },
  ms: number,
  signal: AbortSignal,
): Promise<RawRun> {
  const raw: RawRun = {
    wallMs: 0,
    attempts: 0,
    holds: 0,
    seatsHeld: 0,
    conflicts: 0,
    errors: 0,
    releaseErrors: 0,
    releases: 0,
    create: [],
    held: [],
    conflict: [],
    release: [],
    errorSamples: [],
  };
  const samples = new Set<string>();
  const fail = (text: string) => {
    raw.errors++;
    // One sample per kind of error: request ids differ on every answer.
    if (samples.size < 5) samples.add(text.replace(/"requestId":"[^"]*"/g, '"requestId":"…"').slice(0, 400));
  };
  const pick = (): number[] => [t.seatIds[Math.floor(Math.random() * t.seatIds.length)]!];
  const started = performance.now();
  const end = started + ms;
  await Promise.all(
    t.contenders.map(async (fan) => {
      while (performance.now() < end && !signal.aborted) {
        const seatIds = pick();
        const sent = await sendPooled(
          t.agent,
          trpcMutation(t.baseUrl, "holds.create", { showtimeId: t.showtimeId, accessToken: fan.accessToken, seatIds }, fan.cookie),
          signal,
          REQUEST_TIMEOUT_MS,
        );
        if (signal.aborted) break;
        raw.attempts++;
        if (!sent.ok) {
          fail(`holds.create: ${sent.error}`);
          continue;
        }
        const { status, body, ms: took } = sent.value;
        raw.create.push(took);
        if (status === 409 && trpcAppCode(body) === "SEATS_UNAVAILABLE") {
          raw.conflicts++;
          raw.conflict.push(took);
          continue;
        }
        const data = trpcData(status, body);
        const holdId = data.ok ? (data.value as { holdId?: unknown }).holdId : undefined;
        if (typeof holdId !== "string") {
          fail(`holds.create: ${data.ok ? `no holdId in ${body.slice(0, 300)}` : data.error}`);
          continue;
        }
        raw.holds++;
        raw.seatsHeld += seatIds.length;
        raw.held.push(took);
        // Released even past the deadline (or on abort's heels), else its seats stay out of the contest;
        // a failed release is an error, and retried (twice) as a fan's page would.
        for (let attempt = 0; attempt < 3; attempt++) {
          const released = await sendPooled(
            t.agent,
            trpcMutation(t.baseUrl, "holds.release", { holdId }, fan.cookie),
            new AbortController().signal,
            REQUEST_TIMEOUT_MS,
          );
          raw.releases++;
          const r = released.ok ? trpcData(released.value.status, released.value.body) : released;
          if (released.ok) raw.release.push(released.value.ms);
          if (r.ok) break;
          raw.releaseErrors++;
          fail(`holds.release: ${r.error}`);
        }
      }
    }),
  );
  raw.wallMs = performance.now() - started;
  raw.errorSamples = [...samples];
  return raw;
}

/**
 * Hold attempts on a fixed schedule (`rate` per second for `ms`), each from the next fan in turn, one
 * random seat in play; a success is released at once, as in the closed loop. Latency is the create's,
 * from its scheduled moment.
 */
async function contendOpen(
  t: { baseUrl: string; showtimeId: string; seatIds: number[]; contenders: Contender[]; agent: Agent },
  rate: number,
  ms: number,
  signal: AbortSignal,
): Promise<Omit<HoldsOpen, "verification">> {
  let holds = 0;
  let conflicts = 0;
  let releaseErrors = 0;
  const result = await openLoop(
    { rate, ms },
    async (i) => {
      const fan = t.contenders[i % t.contenders.length]!;
      const seatIds = [t.seatIds[Math.floor(Math.random() * t.seatIds.length)]!];
      const sent = await sendPooled(
        t.agent,
        trpcMutation(t.baseUrl, "holds.create", { showtimeId: t.showtimeId, accessToken: fan.accessToken, seatIds }, fan.cookie),
        signal,
        REQUEST_TIMEOUT_MS,
      );
      const answeredAt = performance.now();
      if (!sent.ok) return { ok: false, error: `holds.create: ${sent.error}`, answeredAt };
      const { status, body } = sent.value;
      if (status === 409 && trpcAppCode(body) === "SEATS_UNAVAILABLE") {
        conflicts++;
        return { ok: true, answeredAt };
      }
      const data = trpcData(status, body);
      const holdId = data.ok ? (data.value as { holdId?: unknown }).holdId : undefined;
      if (typeof holdId !== "string")
        return { ok: false, error: `holds.create: ${data.ok ? `no holdId in ${body.slice(0, 300)}` : data.error}`, answeredAt };
      holds++;
      for (let attempt = 0; attempt < 3; attempt++) {
        const released = await sendPooled(
          t.agent,
          trpcMutation(t.baseUrl, "holds.release", { holdId }, fan.cookie),
          new AbortController().signal,
          REQUEST_TIMEOUT_MS,
        );
        if (released.ok && trpcData(released.value.status, released.value.body).ok) break;
        releaseErrors++;
      }
      return { ok: true, answeredAt };
    },
    signal,
  );
  return { ...result, holds, conflicts, releaseErrors };
}

/** Every contender calls `auth.me` back to back for `ms`: what the same HTTP path costs with no work behind it. */
async function noopFloor(
  t: { baseUrl: string; contenders: Contender[]; agent: Agent },
  ms: number,
  signal: AbortSignal,
): Promise<FloorRun> {
  const latencies: number[] = [];
  const samples = new Set<string>();
  let errors = 0;
  const started = performance.now();
  const end = started + ms;
  await Promise.all(
    t.contenders.map(async (fan) => {
      while (performance.now() < end && !signal.aborted) {
        const sent = await sendPooled(t.agent, trpcQuery(t.baseUrl, "auth.me", undefined, fan.cookie), signal, REQUEST_TIMEOUT_MS);
        if (signal.aborted) break;
        const data = sent.ok ? trpcData(sent.value.status, sent.value.body) : sent;
        if (sent.ok) latencies.push(sent.value.ms);
        if (!data.ok) {
          errors++;
          if (samples.size < 5) samples.add(`auth.me: ${data.error}`.slice(0, 400));
        }
      }
    }),
  );
  const wallMs = performance.now() - started;
  const stats = latencyStats(latencies);
  return {
    wallMs: round(wallMs),
    requests: latencies.length,
    errors,
    rps: round((latencies.length - errors) / (wallMs / 1000)),
    p50: stats.p50,
    p99: stats.p99,
    webCpuPerRequestMs: 0,
    errorSamples: [...samples],
  };
}

function toRun(raw: RawRun, cpu: HoldRun["cpu"], dbConnections: HoldRun["dbConnections"], verification: HoldRun["verification"]): HoldRun {
  const perSecond = (n: number) => round(n / (raw.wallMs / 1000));
  const requests = Math.max(1, raw.attempts + raw.releases);
  const per = (cpuMs: number) => round(cpuMs / requests, 3);
  return {
    wallMs: round(raw.wallMs),
    attempts: raw.attempts,
    holds: raw.holds,
    conflicts: raw.conflicts,
    errors: raw.errors,
    releaseErrors: raw.releaseErrors,
    releases: raw.releases,
    attemptsPerSecond: perSecond(raw.attempts),
    holdsPerSecond: perSecond(raw.holds),
    seatsHeldPerSecond: perSecond(raw.seatsHeld),
    conflictRate: round(raw.conflicts / Math.max(1, raw.attempts), 3),
    latency: {
      create: latencyStats(raw.create),
      held: latencyStats(raw.held),
      conflict: latencyStats(raw.conflict),
      release: latencyStats(raw.release),
    },
    cpu,
    cpuPerRequestMs: { web: per(cpu.webMs), postgres: per(cpu.postgresMs), redis: per(cpu.redisMs), bench: per(cpu.benchMs) },
    dbConnections,
    errorSamples: raw.errorSamples,
    verification,
  };
}

/** Releases (over HTTP, as their owners) the holds a run left active, retrying until each is gone. */
async function releaseLeftovers(db: pg.Client, t: { baseUrl: string; showtimeId: string; contenders: Contender[] }): Promise<number> {
  const { rows } = await db.query<{ id: string; userId: string }>(
    `SELECT id, "userId" FROM "Hold" WHERE "showtimeId" = $1 AND status = 'ACTIVE'`,
    [t.showtimeId],
  );
  const cookies = new Map(t.contenders.map((c) => [c.userId, c.cookie]));
  for (const hold of rows) {
    const cookie = cookies.get(hold.userId);
    if (!cookie) throw new Error(`hold ${hold.id} belongs to ${hold.userId}, not a benchmark fan`);
    for (let attempt = 1; ; attempt++) {
      const sent = await send(trpcMutation(t.baseUrl, "holds.release", { holdId: hold.id }, cookie), new AbortController().signal, 30_000);
      if (sent.ok && trpcData(sent.value.status, sent.value.body).ok) break;
      if (attempt === 5)
        throw new Error(`could not release leftover hold ${hold.id}: ${sent.ok ? sent.value.body.slice(0, 300) : sent.error}`);
    }
  }
  return rows.length;
}

async function countHolds(db: pg.Client, showtimeId: string): Promise<number> {
  const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM "Hold" WHERE "showtimeId" = $1`, [showtimeId]);
  return Number(rows[0]?.n ?? 0);
}

/**
 * After a run every hold was released: no seat is held or sold, no hold is still active, and exactly as
 * many holds were written as the endpoint said it granted (a refused hold leaves no row: it rolled back).
 */
async function verify(db: pg.Client, showtimeId: string, holdsBefore: number, granted: number): Promise<HoldRun["verification"]> {
  const { rows } = await db.query<{ taken: string; active: string }>(
    `SELECT (SELECT count(*) FROM "Seat" WHERE "showtimeId" = $1 AND status <> 'AVAILABLE') AS taken,
            (SELECT count(*) FROM "Hold" WHERE "showtimeId" = $1 AND status = 'ACTIVE') AS active`,
    [showtimeId],
  );
  const taken = Number(rows[0]?.taken);
  const active = Number(rows[0]?.active);
  const written = (await countHolds(db, showtimeId)) - holdsBefore;
  const ok = taken === 0 && active === 0 && written === granted;
  return {
    ok,
    note: `${written} hold rows for ${granted} granted, ${taken} seats left taken, ${active} holds left active${ok ? " ✓" : " (MISMATCH)"}`,
  };
}

/** Polls pg_stat_activity for the run's database until stopped. */
function sampleConnections(databaseUrl: string): { stop(): Promise<HoldRun["dbConnections"]> } {
  const client = new pg.Client({ connectionString: databaseUrl });
  const busy: number[] = [];
  const active: number[] = [];
  const idleTx: number[] = [];
  const locked: number[] = [];
  const open: number[] = [];
  let stopped = false;
  const loop = (async () => {
    await client.connect();
    while (!stopped) {
      const { rows } = await client.query<{ busy: string; active: string; idle_tx: string; locked: string; open: string }>(
        `SELECT count(*) FILTER (WHERE state = 'active' OR state LIKE 'idle in transaction%') AS busy,
                count(*) FILTER (WHERE state = 'active') AS active, count(*) FILTER (WHERE state LIKE 'idle in transaction%') AS idle_tx,
                count(*) FILTER (WHERE wait_event_type = 'Lock') AS locked, count(*) AS open
         FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
      );
      busy.push(Number(rows[0]?.busy));
      active.push(Number(rows[0]?.active));
      idleTx.push(Number(rows[0]?.idle_tx));
      locked.push(Number(rows[0]?.locked));
      open.push(Number(rows[0]?.open));
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop.catch(() => {});
      await client.end().catch(() => {});
      return {
        busyMax: Math.max(0, ...busy),
        busyMedian: busy.length ? median(busy) : 0,
        activeMedian: active.length ? median(active) : 0,
        idleInTransactionMedian: idleTx.length ? median(idleTx) : 0,
        lockWaitMax: Math.max(0, ...locked),
        lockWaitMedian: locked.length ? median(locked) : 0,
        openMax: Math.max(0, ...open),
      };
    },
  };
}

function line(r: HoldRun): string {
  return (
    `${r.attemptsPerSecond} attempts/s, ${r.holdsPerSecond} holds/s (${Math.round(r.conflictRate * 100)}% conflicts), ` +
    `p50 ${r.latency.create.p50} ms, p99 ${r.latency.create.p99} ms, ${r.errors} errors, ` +
    `web ${r.cpuPerRequestMs.web} ms CPU/request, DB connections busy ${r.dbConnections.busyMedian} (${r.dbConnections.activeMedian} in a statement, ${r.dbConnections.idleInTransactionMedian} waiting for the app, ${r.dbConnections.lockWaitMedian} for a lock)`
  );
}

export function printHolds(r: HoldsResult, opts: HoldsOptions): void {
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  const m = r.median;
  console.log(
    `\nHolds over HTTP: ${r.fans} fans contending for ${r.showtime.label}; closed loop, ${opts.holdSeconds} s per run, medians of ${r.runs.length} runs`,
  );
  console.log(`${"".padEnd(34)}${pad("per s", 10)}${pad("p50 ms", 10)}${pad("p99 ms", 10)}`);
  console.log(`${"holds.create attempts".padEnd(34)}${pad(m.attemptsPerSecond, 10)}${pad(m.p50, 10)}${pad(m.p99, 10)}`);
  console.log(
    `${"  successful holds".padEnd(34)}${pad(m.holdsPerSecond, 10)}${pad(m.heldP50, 10)}${pad(m.heldP99, 10)}   (${m.seatsHeldPerSecond} seats/s)`,
  );
  console.log(
    `${"  SEATS_UNAVAILABLE".padEnd(34)}${pad(round(m.attemptsPerSecond - m.holdsPerSecond), 10)}${"".padEnd(20)}   (${Math.round(m.conflictRate * 100)}% of attempts)`,
  );
  console.log(`${"holds.release".padEnd(34)}${pad(m.holdsPerSecond, 10)}${pad(m.releaseP50, 10)}${pad(m.releaseP99, 10)}`);
  console.log(`other errors: ${m.errors}${m.errors ? `  ✗ (${m.releaseErrors} of them failed releases, retried)` : ""}`);
  for (const sample of [...new Set(r.runs.flatMap((x) => x.errorSamples))].slice(0, 5)) console.log(`  error: ${sample}`);
  const cpu = (k: keyof HoldRun["cpuPerRequestMs"]) => round(median(r.runs.map((x) => x.cpuPerRequestMs[k])), 2);
  console.log(
    `CPU ms per HTTP request (create or release): web ${cpu("web")}, postgres ${cpu("postgres")} (all clients), redis ${cpu("redis")} (all clients), load generator ${cpu("bench")}`,
  );
  console.log(
    `DB connections of the run (sampled every 250 ms, medians): ${m.busyConnectionsMedian} busy (at most ${m.busyConnectionsMax}; app pool ${APP_DB_POOL}): ` +
      `${m.activeMedian} running a statement, ${m.idleInTransactionMedian} in a transaction waiting for the app, ${m.lockWaitsMedian} waiting for a lock`,
  );
  const f = r.floor.median;
  console.log(
    `auth.me, same fans, same server (the HTTP + tRPC + session floor, no database): ${f.rps} req/s, p50 ${f.p50} ms, p99 ${f.p99} ms, web ${f.webCpuPerRequestMs} ms CPU/request${r.floor.errors ? `, ${r.floor.errors} errors` : ""}`,
  );
  console.log(`hold-loop HTTP requests/s (creates + releases) ÷ auth.me req/s: ${r.ratios.requestsVsFloor ?? "n/a"}`);
  const verified = r.runs.every((x) => x.verification.ok);
  console.log(
    `After each run: ${verified ? "every seat free, no hold left active, hold rows = holds granted ✓" : "MISMATCH, see the JSON"}`,
  );
  if (r.open) {
    const o = r.open;
    console.log(
      `\nOpen loop at 70% of the peak: ${o.targetRps} attempts/s asked, ${o.sentRps}/s sent for ${o.seconds} s (${o.sent} attempts, ${o.skipped} skipped); ` +
        `${o.holds} holds, ${o.conflicts} SEATS_UNAVAILABLE, ${o.errors} errors`,
    );
    console.log(
      `holds.create latency from the scheduled send: p50 ${o.p50} ms, p90 ${o.p90} ms, p99 ${o.p99} ms, max ${o.max} ms ` +
        `(generator lag p99 ${o.lagP99} ms, at most ${o.maxInFlight} in flight); ${o.verification.note}`,
    );
    for (const sample of o.errorSamples) console.log(`  error: ${sample}`);
  }

  console.log(
    `\npgbench single-row update (${r.pgbench.rows} rows, \\set id random(1, ${r.pgbench.rows}); UPDATE … SET v = v + 1 WHERE id = :id), medians`,
  );
  for (const [clients, rows] of Object.entries(r.pgbench.runs)) {
    const first = rows.find((row): row is PgbenchRow => "tps" in row);
    const unavailable = rows.find((row): row is PgbenchUnavailable => "unavailable" in row);
    console.log(
      `${(first?.command ?? `pgbench -c ${clients}`).padEnd(52)}${pad(r.pgbench.medianTps[clients] ?? "n/a", 10)} tps${unavailable ? `  (${unavailable.unavailable})` : ""}`,
    );
  }
  if (!Object.keys(r.pgbench.runs).includes(String(r.fans))) {
    console.log(`(-c ${r.fans} not run: max_connections is ${r.pgbench.maxConnections}, shared with other clients)`);
  }
  const x = (v: number | null) => (v ? `${v} (${Math.round(v * 1000) / 10}%)` : "n/a");
  for (const clients of Object.keys(r.pgbench.runs)) {
    console.log(
      `successful holds/s ÷ pgbench -c ${clients} tps: ${x(r.ratios.holdsVsPgbench[clients] ?? null)};  attempts/s ÷ it: ${x(r.ratios.attemptsVsPgbench[clients] ?? null)}`,
    );
  }
}

export function holdsSummary(r: HoldsResult): SummaryRow[] {
  // The summary sets holds beside pgbench at the app's own concurrency (the first client count: its pool).
  const [clients, tps] = Object.entries(r.pgbench.medianTps)[0] ?? ["?", null];
  const limit = { name: `pgbench single-row update -c ${clients} (${r.pgbench.rows} rows)`, value: tps, unit: "tps" };
  const who = `${r.fans.toLocaleString("en-US")} fans on ${r.showtime.seats} seats`;
  return [
    {
      benchmark: "holds",
      figure: `successful holds/s, ${who} (${r.contention}×)`,
      value: r.median.holdsPerSecond,
      unit: "/s",
      limit,
      ratio: ratioOf(r.median.holdsPerSecond, tps),
    },
    {
      benchmark: "holds",
      figure: `hold attempts/s, same runs`,
      value: r.median.attemptsPerSecond,
      unit: "/s",
      limit,
      ratio: ratioOf(r.median.attemptsPerSecond, tps),
      goal: { kind: "ratio-at-least", min: 0.25 },
    },
    {
      benchmark: "holds",
      figure: r.open ? `holds.create p99, open loop at ${r.open.targetRps}/s (70% of peak)` : "holds.create p99, open loop (not run)",
      value: r.open?.p99 ?? null,
      unit: "ms",
      goal: { kind: "value-below", max: 100 },
    },
  ];
}
