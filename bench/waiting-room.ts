// Benchmark: fans joining a waiting room and asking for their place, through the real HTTP endpoint
// (Next.js route → tRPC → domain → Redis script). Three ways: N fans at once (a burst, positions checked);
// a closed loop of C clients beside `auth.me` (the no-op tRPC call) with the same C clients on the same
// server in the same run, and `auth.me` beside a bare Node `http` server (bench/lib/bare-http.ts); and an open loop at 70% of the closed loop's
// rate for latency at a sustainable rate. Raw Redis throughput (redis-benchmark, the join script) for scale.
// Import it only after startStack has set REDIS_PREFIX: the server modules below read it once, on load.
import { Redis } from "ioredis";
import pg from "pg";
import { wrKeys } from "../server/domain/waiting-room/keys.ts";
import { runJoin } from "../server/domain/waiting-room/scripts.ts";
import { startBareHttp, type BareHttp } from "./lib/bare-http.ts";
import { cpuBetween, cpuSnapshot, groupCpuMs, type CpuSnapshot } from "./lib/cpu.ts";
import { createFans, sessionCookie, type Fan } from "./lib/fans.ts";
import {
  burst,
  closedLoop,
  connectionPool,
  median,
  medianOf,
  merge,
  openLoop,
  percentile,
  round,
  sendPooled,
  summarize,
  type Burst,
  type OpenLoopResult,
  type Outcome,
  type Summary,
} from "./lib/load.ts";
import { runRedisBenchmark, type RedisBenchmarkRow } from "./lib/redis-benchmark.ts";
import type { Stack } from "./lib/stack.ts";
import { ratioOf, type SummaryRow } from "./lib/summary.ts";
import { callTrpc, trpcData, trpcMutation, trpcQuery } from "./lib/trpc.ts";

export type WaitingRoomOptions = {
  /** Fans of each burst. */
  fans: number;
  runs: number;
  /** Clients of the closed loops (join, status, and the auth.me floor beside them). */
  wrClients: number;
  /** Seconds of each closed-loop phase (the floor: at most 5). */
  wrSeconds: number;
  /** Seconds of each open-loop phase at 70% of the closed loop's rate. */
  openSeconds: number;
  warmup: number;
  redisRequests: number;
  redisClients: number;
};

type Verification = { ok: boolean; note: string };
type Run = Summary & { cpu: CpuSnapshot; cpuPerRequestMs: { web: number; redis: number; bench: number }; verification?: Verification };
type Phase = { median: Summary; runs: Run[] };
type LoopRun = Awaited<ReturnType<typeof closedLoop>> & { webCpuPerRequestMs: number; verification?: Verification };
type LoopPhase = { median: { rps: number; p50: number; p99: number; webCpuPerRequestMs: number }; runs: LoopRun[] };

export type WaitingRoomResult = {
  showtime: { id: string; label: string; warmupId: string };
  warmup: Summary;
  /** Bursts (N fans at once) and closed loops (C clients; joinLoop always with fans not yet in line). */
  /** `bare`: a bare Node `http` server's tiny JSON answer, same clients, same generator (its CPU in webCpuPerRequestMs). */
  phases: { join: Phase; status: Phase; joinLoop: LoopPhase; statusLoop: LoopPhase; floor: LoopPhase; bare: LoopPhase };
  /** Open loops at 70% of the closed loops' median rate. */
  open: { join?: OpenLoopResult; status?: OpenLoopResult };
  /** Fans available to the closed and open join loops (each joins once; past that, joins are rejoins). */
  joinPool: number;
  /** Clients of the closed loops. */
  clients: number;
  errors: number;
  redis: {
    benchmark: RedisBenchmarkRow[] | { unavailable: string };
    /** The join Lua script called straight from this process: the ceiling for the operation itself. */
    joinScript: { calls: number; clients: number; rps: number; p50: number; p99: number; replies: Record<string, number> };
  };
  ratios: {
    joinVsFloor: number | null;
    statusVsFloor: number | null;
    floorVsBare: number | null;
    joinVsZadd: number | null;
    statusVsGet: number | null;
    joinVsJoinScript: number;
  };
};

/** Connections the open loops' requests share (requests beyond them wait, timed from their scheduled moment). */
const OPEN_LOOP_CONNECTIONS = 200;

const SHOWTIME_SQL = `
  SELECT s.id, c.title || ' at ' || v.name || ', ' || to_char(s."startsAt", 'YYYY-MM-DD') AS label
  FROM "Showtime" s JOIN "Concert" c ON c.id = s."concertId" JOIN "Venue" v ON v.id = s."venueId"
  WHERE c.title = 'Aurora Skies World Tour' AND v.name = 'Harbor Arena'
    AND s.status = 'PUBLISHED' AND c.status = 'PUBLISHED'
    AND s."generalSaleStartsAt" <= now() AND s."saleEndsAt" > now()
  ORDER BY s."startsAt"`;

export async function benchWaitingRoom(
  stack: Stack,
  opts: WaitingRoomOptions,
  signal: AbortSignal,
  log: (line: string) => void,
  hooks: { beforePhases?: () => Promise<void>; afterPhases?: () => Promise<void> } = {},
): Promise<WaitingRoomResult> {
  const db = new pg.Client({ connectionString: stack.databaseUrl });
  await db.connect();
  const redis = new Redis(stack.redisUrl, { maxRetriesPerRequest: 2 });
  let bare: BareHttp | undefined;
  try {
    // --- Setup: a showtime on sale, its waiting room paused, fans with sessions -------------------
    const { rows: showtimes } = await db.query<{ id: string; label: string }>(SHOWTIME_SQL);
    const showtime = showtimes[0];
    if (!showtime) throw new Error("the seed has no on-sale Aurora Skies World Tour showtime at Harbor Arena");
    // Warm up on another showtime, so the measured line starts empty without resetting anything.
    const warmupId = showtimes[1]?.id ?? showtime.id;
    const keys = wrKeys(showtime.id);
    // The resets below delete keys: they must be the throwaway prefix's, whatever order modules loaded in.
    if (!keys.waiting.startsWith(`${stack.redisPrefix}:`)) {
      throw new Error(
        `waiting-room keys would use ${keys.waiting}, not the run's prefix ${stack.redisPrefix}: server/env.ts was loaded too early`,
      );
    }

    const { rows: admins } = await db.query<{ id: string; email: string; name: string }>(
      `SELECT id, email, name FROM "User" WHERE role = 'ADMIN' ORDER BY "createdAt" LIMIT 1`,
    );
    if (!admins[0]) throw new Error("the seed has no admin account");
    const adminCookie = await sessionCookie({ ...admins[0], role: "ADMIN" }, stack.authSecret);

    const madeAt = performance.now();
    // The bursts' fans first; the join loops use a larger pool, each fan joining once where it lasts.
    // Enough for the closed and open join loops at a few thousand joins a second, each joining once.
    const joinPool = Math.max(opts.fans, 30_000);
    const pool = await createFans(db, joinPool, stack.authSecret);
    const fans = pool.slice(0, opts.fans);
    log(`${pool.length} fans created with session cookies in ${Math.round(performance.now() - madeAt)} ms`);

    // Paused, nobody is admitted during the measurement: every joiner stays in line, so positions are 1..N.
    await callTrpc(
      trpcMutation(
        stack.baseUrl,
        "waitingRoom.updateSettings",
        { showtimeId: showtime.id, settings: { enabled: true, paused: true } },
        adminCookie,
      ),
    );
    const published = await redis.hmget(keys.settings, "enabled", "paused");
    if (published[0] !== "1" || published[1] !== "1") {
      throw new Error(`waitingRoom.updateSettings did not publish enabled+paused to Redis (got ${JSON.stringify(published)})`);
    }
    log(`Measuring ${showtime.label} (${showtime.id}); waiting room paused`);

    const join = (showtimeId: string) => (i: number) =>
      trpcMutation(stack.baseUrl, "waitingRoom.join", { showtimeId }, fanAt(fans, i).cookie);
    const status = (showtimeId: string) => (i: number) =>
      trpcQuery(stack.baseUrl, "waitingRoom.status", { showtimeId }, fanAt(fans, i).cookie);
    const pids = { web: stack.app.web.pid, worker: stack.app.worker.pid };
    const emptyLine = () => redis.del(keys.waiting, keys.seq, keys.active, keys.prequeue);
    const checkPosition = (s: number, b: string) => readPosition(s, b);

    // --- Warm-up: JIT, connection pools, Lua scripts loaded --------------------------------------
    const warmCount = Math.min(opts.warmup, fans.length);
    const warmJoin = await burst(warmCount, join(warmupId), (s, b) => trpcData(s, b), signal);
    const warmStatus = await burst(warmCount, status(warmupId), (s, b) => trpcData(s, b), signal);
    const warmup = summarize(merge([warmJoin, warmStatus]));
    log(`Warm-up: ${warmup.requests} requests, ${warmup.errors} errors`);
    if (warmup.ok === 0) throw new Error(`every warm-up request failed, e.g.\n  ${warmup.errorSamples.join("\n  ")}`);

    const loopPhase = async (
      ms: number,
      request: (client: number) => { url: string; init?: RequestInit },
      check: (s: number, b: string) => Outcome<unknown>,
    ): Promise<LoopRun> => {
      const before = await cpuSnapshot(pids, redis);
      const loop = await closedLoop(opts.wrClients, ms, request, check, signal);
      const cpu = cpuBetween(before, await cpuSnapshot(pids, redis));
      return { ...loop, webCpuPerRequestMs: round(cpu.webMs / Math.max(1, loop.requests), 3) };
    };
    const floorRequest = () => trpcQuery(stack.baseUrl, "auth.me", undefined, fans[0]!.cookie);

    await hooks.beforePhases?.();
    const joinRuns: Run[] = [];
    const statusRuns: Run[] = [];
    const joinLoopRuns: LoopRun[] = [];
    const statusLoopRuns: LoopRun[] = [];
    const floorRuns: LoopRun[] = [];
    const bareRuns: LoopRun[] = [];
    // Beside the app's ports (a stack of N web processes uses port..port+N-1).
    bare = await startBareHttp(Number(new URL(stack.baseUrl).port) + 99);
    const barePhase = async (ms: number): Promise<LoopRun> => {
      const { url, proc } = bare!;
      const before = groupCpuMs(proc.pid);
      const loop = await closedLoop(
        opts.wrClients,
        ms,
        () => ({ url }),
        (s, b) => (s === 200 ? { ok: true, value: b } : { ok: false, error: `HTTP ${s}` }),
        signal,
      );
      return { ...loop, webCpuPerRequestMs: round((groupCpuMs(proc.pid) - before) / Math.max(1, loop.requests), 3) };
    };
    for (let r = 0; r < opts.runs && !signal.aborted; r++) {
      // --- Bursts: N fans join at once on an empty line, then ask their place at once ----------------
      await emptyLine();
      let before = await cpuSnapshot(pids, redis);
      const joined = await burst(fans.length, join(showtime.id), readPosition, signal);
      let cpu = cpuBetween(before, await cpuSnapshot(pids, redis));
      const verification = await verifyLine(redis, keys.waiting, fans, joined);
      joinRuns.push(withCpu(summarize(joined), cpu, verification));
      log(`join burst ${r + 1}/${opts.runs} (${fans.length} at once): ${line(joinRuns.at(-1)!)}; ${verification.note}`);
      before = await cpuSnapshot(pids, redis);
      const asked = await burst(fans.length, status(showtime.id), readPosition, signal);
      cpu = cpuBetween(before, await cpuSnapshot(pids, redis));
      statusRuns.push(withCpu(summarize(asked), cpu, verifyPositions(asked, fans.length)));
      log(`status burst ${r + 1}/${opts.runs} (${fans.length} at once): ${line(statusRuns.at(-1)!)}`);

      // --- Closed loops of C clients: join (fans not yet in line, from an empty line), status, auth.me
      await emptyLine();
      let next = 0;
      const joinLoop = await loopPhase(opts.wrSeconds * 1000, () => joinOf(pool[next++ % pool.length]!), checkPosition);
      const inLine = Math.min(next, pool.length);
      const lineSize = await redis.zcard(keys.waiting);
      // A request cut off by the end of the phase may still have joined: at most one per client more.
      const lineOk = lineSize >= joinLoop.ok && lineSize <= inLine;
      joinLoop.verification = {
        ok: lineOk,
        note: `${lineSize} in line after ${joinLoop.ok} successful joins of ${inLine} fans${next > pool.length ? ` (${next - pool.length} rejoins: pool of ${pool.length} used up)` : ""}${lineOk ? "" : " (MISMATCH)"}`,
      };
      joinLoopRuns.push(joinLoop);
      log(`join closed loop ${r + 1}/${opts.runs} (${opts.wrClients} clients): ${loopLine(joinLoop)}; ${joinLoop.verification.note}`);
      const statusLoop = await loopPhase(
        opts.wrSeconds * 1000,
        () => statusOf(pool[Math.floor(Math.random() * Math.max(1, Math.min(joinLoop.ok, pool.length)))]!),
        checkPosition,
      );
      statusLoopRuns.push(statusLoop);
      log(`status closed loop ${r + 1}/${opts.runs} (${opts.wrClients} clients): ${loopLine(statusLoop)}`);
      const floor = await loopPhase(Math.min(opts.wrSeconds, 5) * 1000, floorRequest, (s, b) => trpcData(s, b));
      floorRuns.push(floor);
      log(`auth.me floor ${r + 1}/${opts.runs} (${opts.wrClients} clients): ${loopLine(floor)}`);
      const bareRun = await barePhase(Math.min(opts.wrSeconds, 5) * 1000);
      bareRuns.push(bareRun);
      log(`bare http floor ${r + 1}/${opts.runs} (${opts.wrClients} clients): ${loopLine(bareRun)}`);
    }
    await hooks.afterPhases?.();
    if (joinLoopRuns.length === 0) throw new Error("interrupted before the first waiting-room run finished");
    function joinOf(fan: Fan) {
      return trpcMutation(stack.baseUrl, "waitingRoom.join", { showtimeId: showtime!.id }, fan.cookie);
    }
    function statusOf(fan: Fan) {
      return trpcQuery(stack.baseUrl, "waitingRoom.status", { showtimeId: showtime!.id }, fan.cookie);
    }

    // --- Open loops at 70% of the closed loops' median rates ------------------------------------------
    const loopMedian = (runs: LoopRun[]) => ({
      rps: round(median(runs.map((x) => x.rps))),
      p50: round(median(runs.map((x) => x.p50))),
      p99: round(median(runs.map((x) => x.p99))),
      webCpuPerRequestMs: round(median(runs.map((x) => x.webCpuPerRequestMs)), 3),
    });
    const joinLoopMedian = loopMedian(joinLoopRuns);
    const statusLoopMedian = loopMedian(statusLoopRuns);
    const open: WaitingRoomResult["open"] = {};
    // The open loops' requests share a keep-alive pool, as a proxy's upstream connections would (holds.ts).
    const agent = connectionPool(OPEN_LOOP_CONNECTIONS);
    const fire = (request: () => { url: string; init?: RequestInit }) => async () => {
      const sent = await sendPooled(agent, request(), signal, 60_000);
      const outcome = sent.ok ? readPosition(sent.value.status, sent.value.body) : sent;
      return outcome.ok ? { ok: true } : { ok: false, error: outcome.error };
    };
    if (!signal.aborted && joinLoopMedian.rps > 0) {
      await emptyLine();
      const rate = 0.7 * joinLoopMedian.rps;
      let next = 0;
      open.join = await openLoop(
        { rate, ms: opts.openSeconds * 1000 },
        fire(() => joinOf(pool[next++ % pool.length]!)),
        signal,
      );
      log(`join open loop at ${round(rate)}/s (70% of ${joinLoopMedian.rps}): ${openLine(open.join)}`);
    }
    if (!signal.aborted && statusLoopMedian.rps > 0) {
      const rate = 0.7 * statusLoopMedian.rps;
      const inLine = Math.max(1, await redis.zcard(keys.waiting));
      open.status = await openLoop(
        { rate, ms: opts.openSeconds * 1000 },
        fire(() => statusOf(pool[Math.floor(Math.random() * Math.min(inLine, pool.length))]!)),
        signal,
      );
      log(`status open loop at ${round(rate)}/s (70% of ${statusLoopMedian.rps}): ${openLine(open.status)}`);
    }

    agent.destroy();

    // --- Redis alone -----------------------------------------------------------------------------
    const joinScript = await benchJoinScript(stack.redisUrl, warmupId, opts.redisRequests, opts.redisClients, signal);
    log(`join script straight to Redis: ${joinScript.rps} calls/s`);
    const rbPrefix = `${stack.redisPrefix}:redis-benchmark:`;
    const benchmark = await runRedisBenchmark({
      redisUrl: stack.redisUrl,
      keyPrefix: rbPrefix,
      requests: opts.redisRequests,
      clients: opts.redisClients,
    });
    await deleteByPrefix(redis, rbPrefix); // up to ~200k keys; free them now rather than at the very end

    const phases: WaitingRoomResult["phases"] = {
      join: phaseOf(joinRuns),
      status: phaseOf(statusRuns),
      joinLoop: { median: joinLoopMedian, runs: joinLoopRuns },
      statusLoop: { median: statusLoopMedian, runs: statusLoopRuns },
      floor: { median: loopMedian(floorRuns), runs: floorRuns },
      bare: { median: loopMedian(bareRuns), runs: bareRuns },
    };
    const rps = (test: string) => ("unavailable" in benchmark ? undefined : benchmark.find((row) => row.test === test)?.rps);
    const errors =
      [...joinLoopRuns, ...statusLoopRuns, ...floorRuns, ...bareRuns].reduce((n, x) => n + x.errors, 0) +
      (open.join?.errors ?? 0) +
      (open.status?.errors ?? 0);
    return {
      showtime: { ...showtime, warmupId },
      warmup,
      phases,
      open,
      joinPool: pool.length,
      clients: opts.wrClients,
      errors,
      redis: { benchmark, joinScript },
      ratios: {
        joinVsFloor: ratioOf(joinLoopMedian.rps, phases.floor.median.rps),
        statusVsFloor: ratioOf(statusLoopMedian.rps, phases.floor.median.rps),
        floorVsBare: ratioOf(phases.floor.median.rps, phases.bare.median.rps),
        joinVsZadd: ratioOf(joinLoopMedian.rps, rps("zadd")),
        statusVsGet: ratioOf(statusLoopMedian.rps, rps("get")),
        joinVsJoinScript: round(joinLoopMedian.rps / joinScript.rps, 4),
      },
    };
  } finally {
    await bare?.proc.stop(2000);
    redis.disconnect();
    await db.end();
  }
}

function loopLine(x: LoopRun): string {
  return `${x.rps} req/s, p50 ${x.p50} ms, p99 ${x.p99} ms, ${x.errors} errors, web ${x.webCpuPerRequestMs} ms CPU/request`;
}

function openLine(o: OpenLoopResult): string {
  return `sent ${o.sent} (${o.sentRps}/s), ${o.errors} errors, p50 ${o.p50} ms, p99 ${o.p99} ms from the scheduled send (generator lag p99 ${o.lagP99} ms)`;
}

function fanAt(fans: Fan[], i: number): Fan {
  const fan = fans[i];
  if (!fan) throw new Error(`no fan #${i}`);
  return fan;
}

/** A join or status answer must say WAITING with a position: the room is paused, nobody gets in. */
function readPosition(status: number, body: string): Outcome<number> {
  const data = trpcData(status, body);
  if (!data.ok) return data;
  const value = data.value as { state?: string; position?: unknown };
  if (value.state === "WAITING" && typeof value.position === "number") return { ok: true, value: value.position };
  return { ok: false, error: `expected state WAITING with a position, got ${JSON.stringify(value).slice(0, 300)}` };
}

/** Every fan answered with a different position, and together they are exactly 1..N. */
function verifyPositions(b: Burst<number>, n: number): Verification {
  const positions = b.outcomes.flatMap((o) => (o.ok ? [o.value] : []));
  const distinct = new Set(positions);
  const exact = distinct.size === n && positions.length === n && [...distinct].every((p) => p >= 1 && p <= n);
  return {
    ok: exact,
    note: exact
      ? `positions 1..${n}, all distinct`
      : `${distinct.size} distinct positions among ${positions.length} answers (want 1..${n})`,
  };
}

/** The answers, and the line itself in Redis: N members, exactly our fans, N distinct scores. */
async function verifyLine(redis: Redis, waitingKey: string, fans: Fan[], b: Burst<number>): Promise<Verification> {
  const answers = verifyPositions(b, fans.length);
  const flat = await redis.zrange(waitingKey, 0, -1, "WITHSCORES");
  const members = flat.filter((_, i) => i % 2 === 0);
  const scores = new Set(flat.filter((_, i) => i % 2 === 1));
  const ids = new Set(fans.map((f) => f.id));
  const line = members.length === fans.length && scores.size === fans.length && members.every((m) => ids.has(m));
  const note = `${answers.note}; Redis line: ${members.length} members, ${scores.size} distinct scores${line ? ", all ours" : " (MISMATCH)"}`;
  return { ok: answers.ok && line, note };
}

function withCpu(s: Summary, cpu: CpuSnapshot, verification?: Verification): Run {
  const per = (ms: number) => round(ms / Math.max(1, s.requests), 3);
  return { ...s, cpu, cpuPerRequestMs: { web: per(cpu.webMs), redis: per(cpu.redisMs), bench: per(cpu.benchMs) }, verification };
}

function phaseOf(runs: Run[]): Phase {
  return { median: medianOf(runs), runs };
}

function line(s: Run): string {
  return `${s.rps} req/s, p50 ${s.p50} ms, p99 ${s.p99} ms, ${s.errors} errors`;
}

/**
 * `clients` connections, each calling the join script back to back (no pipelining), as
 * `redis-benchmark -c clients -P 1` does, each call as a new fan.
 */
async function benchJoinScript(redisUrl: string, showtimeId: string, calls: number, clients: number, signal: AbortSignal) {
  const keys = wrKeys(showtimeId);
  const connections = Array.from({ length: clients }, () => new Redis(redisUrl, { maxRetriesPerRequest: 2 }));
  try {
    await Promise.all(connections.map((c) => c.ping())); // connected and the script loaded before the clock starts
    await Promise.all(connections.map((c, i) => runJoin(c, keys, `bench-script-warm-${i}`)));
    const latencies: number[] = [];
    const replies = new Map<string, number>();
    let next = 0;
    const started = performance.now();
    await Promise.all(
      connections.map(async (c) => {
        while (next < calls && !signal.aborted) {
          const i = next++;
          const t = performance.now();
          const [state] = await runJoin(c, keys, `bench-script-${i}`);
          latencies.push(performance.now() - t);
          replies.set(state, (replies.get(state) ?? 0) + 1);
        }
      }),
    );
    const wallMs = performance.now() - started;
    latencies.sort((x, y) => x - y);
    return {
      calls: latencies.length,
      clients,
      rps: round(latencies.length / (wallMs / 1000)),
      p50: round(percentile(latencies, 50), 3),
      p99: round(percentile(latencies, 99), 3),
      replies: Object.fromEntries(replies),
    };
  } finally {
    for (const c of connections) c.disconnect();
  }
}

async function deleteByPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [nextCursor, found] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
    cursor = nextCursor;
    if (found.length) await redis.unlink(...found);
  } while (cursor !== "0");
}

export function printWaitingRoom(r: WaitingRoomResult, opts: WaitingRoomOptions): void {
  const { join, status } = r.phases;
  const verified = (p: typeof join) => (p.runs.every((x) => x.verification?.ok) ? "positions 1..N ✓" : "positions WRONG");
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  console.log(`\nWaiting room over HTTP (${r.showtime.label}); medians of ${r.phases.joinLoop.runs.length} runs`);
  console.log(
    `${"phase".padEnd(40)}${pad("req/s", 10)}${pad("p50 ms", 10)}${pad("p99 ms", 10)}${pad("errors", 8)}${pad("web CPU ms", 12)}`,
  );
  for (const [name, phase, note] of [
    [`join, ${opts.fans} at once`, join, verified(join)],
    [`status, ${opts.fans} at once`, status, verified(status)],
  ] as const) {
    const s = phase.median;
    const cpu = median(phase.runs.map((x) => x.cpuPerRequestMs.web)).toFixed(2);
    console.log(`${name.padEnd(40)}${pad(s.rps, 10)}${pad(s.p50, 10)}${pad(s.p99, 10)}${pad(s.errors, 8)}${pad(cpu, 12)}  ${note}`);
  }
  for (const [name, phase] of [
    [`join, closed loop, ${opts.wrClients} clients`, r.phases.joinLoop],
    [`status, closed loop, ${opts.wrClients} clients`, r.phases.statusLoop],
    [`auth.me (no-op floor), ${opts.wrClients} clients`, r.phases.floor],
    [`bare node:http, ${opts.wrClients} clients`, r.phases.bare],
  ] as const) {
    const m = phase.median;
    const errors = phase.runs.reduce((n, x) => n + x.errors, 0);
    console.log(`${name.padEnd(40)}${pad(m.rps, 10)}${pad(m.p50, 10)}${pad(m.p99, 10)}${pad(errors, 8)}${pad(m.webCpuPerRequestMs, 12)}`);
  }
  for (const [name, o] of [
    ["join, open loop at 70%", r.open.join],
    ["status, open loop at 70%", r.open.status],
  ] as const) {
    if (o)
      console.log(
        `${`${name} (${o.targetRps}/s)`.padEnd(40)}${pad(o.okRps, 10)}${pad(o.p50, 10)}${pad(o.p99, 10)}${pad(o.errors, 8)}${"".padEnd(12)}  from the scheduled send`,
      );
  }
  const samples = new Set([
    ...[join, status].flatMap((p) => p.median.errorSamples),
    ...[r.phases.joinLoop, r.phases.statusLoop, r.phases.floor, r.phases.bare].flatMap((p) => p.runs.flatMap((x) => x.errorSamples)),
    ...(r.open.join?.errorSamples ?? []),
    ...(r.open.status?.errorSamples ?? []),
  ]);
  for (const sample of [...samples].slice(0, 5)) console.log(`  error: ${sample}`);
  const x = (ratio: number | null) => (ratio ? `${ratio} (${round(ratio * 100, 1)}%)` : "n/a");
  console.log(`join closed-loop req/s ÷ auth.me req/s:    ${x(r.ratios.joinVsFloor)}   (goal ≥ 0.8)`);
  console.log(`status closed-loop req/s ÷ auth.me req/s:  ${x(r.ratios.statusVsFloor)}   (goal ≥ 0.8)`);
  console.log(`auth.me req/s ÷ bare node:http req/s:      ${x(r.ratios.floorVsBare)}   (goal ≥ 0.35)`);

  console.log(`\nRedis alone (${opts.redisClients} clients, no pipelining)`);
  const js = r.redis.joinScript;
  console.log(`${"join Lua script (EVALSHA)".padEnd(40)}${pad(js.rps, 10)}${pad(js.p50, 10)}${pad(js.p99, 10)}   ops/s, ms`);
  if ("unavailable" in r.redis.benchmark) console.log(`redis-benchmark: ${r.redis.benchmark.unavailable}`);
  else
    for (const row of r.redis.benchmark)
      console.log(`${`redis-benchmark ${row.test.toUpperCase()}`.padEnd(40)}${pad(row.rps, 10)}${pad(row.p50, 10)}${pad(row.p99, 10)}`);
  const y = (ratio: number | null) => (ratio ? `${ratio} (1 : ${Math.round(1 / ratio)})` : "n/a");
  console.log(`HTTP join req/s ÷ Redis ZADD ops/s:        ${y(r.ratios.joinVsZadd)}`);
  console.log(`HTTP status req/s ÷ Redis GET ops/s:       ${y(r.ratios.statusVsGet)}`);
  console.log(`HTTP join req/s ÷ join script calls/s:     ${y(r.ratios.joinVsJoinScript)}`);
}

export function waitingRoomSummary(r: WaitingRoomResult): SummaryRow[] {
  const floor = { name: `auth.me (no-op tRPC), same ${r.clients} clients`, value: r.phases.floor.median.rps, unit: "req/s" };
  const bare = { name: `bare node:http server, tiny JSON, same ${r.clients} clients`, value: r.phases.bare.median.rps, unit: "req/s" };
  const rows: SummaryRow[] = [
    {
      benchmark: "waiting-room",
      figure: `auth.me req/s (no-op tRPC call), closed loop, ${r.clients} clients`,
      value: r.phases.floor.median.rps,
      unit: "req/s",
      limit: bare,
      ratio: r.ratios.floorVsBare,
      goal: { kind: "ratio-at-least", min: 0.35 },
    },
    {
      benchmark: "waiting-room",
      figure: `join req/s, closed loop, ${r.clients} clients`,
      value: r.phases.joinLoop.median.rps,
      unit: "req/s",
      limit: floor,
      ratio: r.ratios.joinVsFloor,
      goal: { kind: "ratio-at-least", min: 0.8 },
    },
    {
      benchmark: "waiting-room",
      figure: `status req/s, closed loop, ${r.clients} clients`,
      value: r.phases.statusLoop.median.rps,
      unit: "req/s",
      limit: floor,
      ratio: r.ratios.statusVsFloor,
      goal: { kind: "ratio-at-least", min: 0.8 },
    },
  ];
  for (const [name, o] of [
    ["join", r.open.join],
    ["status", r.open.status],
  ] as const) {
    rows.push({
      benchmark: "waiting-room",
      figure: o ? `${name} p99, open loop at ${o.targetRps}/s (70% of peak)` : `${name} p99, open loop (not run)`,
      value: o?.p99 ?? null,
      unit: "ms",
      goal: { kind: "value-below", max: 100 },
    });
  }
  return rows;
}
