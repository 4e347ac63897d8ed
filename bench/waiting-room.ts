// Benchmark: fans joining a waiting room and asking for their place, through the real HTTP endpoint
// (Next.js route → tRPC → domain → Redis script), set beside raw Redis throughput for scale.
// Import it only after startStack has set REDIS_PREFIX: the server modules below read it once, on load.
import { Redis } from "ioredis";
import pg from "pg";
import { wrKeys } from "../server/domain/waiting-room/keys.ts";
import { runJoin } from "../server/domain/waiting-room/scripts.ts";
import { cpuBetween, cpuSnapshot, type CpuSnapshot } from "./lib/cpu.ts";
import { createFans, sessionCookie, type Fan } from "./lib/fans.ts";
import { burst, median, medianOf, merge, percentile, round, summarize, type Burst, type Outcome, type Summary } from "./lib/load.ts";
import { runRedisBenchmark, type RedisBenchmarkRow } from "./lib/redis-benchmark.ts";
import type { Stack } from "./lib/stack.ts";
import { callTrpc, trpcData, trpcMutation, trpcQuery } from "./lib/trpc.ts";

export type WaitingRoomOptions = {
  fans: number;
  runs: number;
  /** Bursts of `fans` status calls, back to back, in one sustained run. */
  rounds: number;
  warmup: number;
  redisRequests: number;
  redisClients: number;
};

type Verification = { ok: boolean; note: string };
type Run = Summary & { cpu: CpuSnapshot; cpuPerRequestMs: { web: number; redis: number; bench: number }; verification?: Verification };
type Phase = { median: Summary; runs: Run[] };

export type WaitingRoomResult = {
  showtime: { id: string; label: string; warmupId: string };
  warmup: Summary;
  phases: { join: Phase; status: Phase; sustained: Phase };
  redis: {
    benchmark: RedisBenchmarkRow[] | { unavailable: string };
    /** The join Lua script called straight from this process: the ceiling for the operation itself. */
    joinScript: { calls: number; clients: number; rps: number; p50: number; p99: number; replies: Record<string, number> };
  };
  ratios: { joinVsZadd: number | null; statusVsGet: number | null; joinVsJoinScript: number };
};

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
      throw new Error(`waiting-room keys would use ${keys.waiting}, not the run's prefix ${stack.redisPrefix}: server/env.ts was loaded too early`);
    }

    const { rows: admins } = await db.query<{ id: string; email: string; name: string }>(
      `SELECT id, email, name FROM "User" WHERE role = 'ADMIN' ORDER BY "createdAt" LIMIT 1`,
    );
    if (!admins[0]) throw new Error("the seed has no admin account");
    const adminCookie = await sessionCookie({ ...admins[0], role: "ADMIN" }, stack.authSecret);

    const madeAt = performance.now();
    const fans = await createFans(db, opts.fans, stack.authSecret);
    log(`${fans.length} fans created with session cookies in ${Math.round(performance.now() - madeAt)} ms`);

    // Paused, nobody is admitted during the measurement: every joiner stays in line, so positions are 1..N.
    await callTrpc(
      trpcMutation(stack.baseUrl, "waitingRoom.updateSettings", { showtimeId: showtime.id, settings: { enabled: true, paused: true } }, adminCookie),
    );
    const published = await redis.hmget(keys.settings, "enabled", "paused");
    if (published[0] !== "1" || published[1] !== "1") {
      throw new Error(`waitingRoom.updateSettings did not publish enabled+paused to Redis (got ${JSON.stringify(published)})`);
    }
    log(`Measuring ${showtime.label} (${showtime.id}); waiting room paused`);

    const join = (showtimeId: string) => (i: number) => trpcMutation(stack.baseUrl, "waitingRoom.join", { showtimeId }, fanAt(fans, i).cookie);
    const status = (showtimeId: string) => (i: number) => trpcQuery(stack.baseUrl, "waitingRoom.status", { showtimeId }, fanAt(fans, i).cookie);
    const pids = { web: stack.app.web.pid, worker: stack.app.worker.pid };

    // --- Warm-up: JIT, connection pools, Lua scripts loaded --------------------------------------
    const warmCount = Math.min(opts.warmup, fans.length);
    const warmJoin = await burst(warmCount, join(warmupId), (s, b) => trpcData(s, b), signal);
    const warmStatus = await burst(warmCount, status(warmupId), (s, b) => trpcData(s, b), signal);
    const warmup = summarize(merge([warmJoin, warmStatus]));
    log(`Warm-up: ${warmup.requests} requests, ${warmup.errors} errors`);
    if (warmup.ok === 0) throw new Error(`every warm-up request failed, e.g.\n  ${warmup.errorSamples.join("\n  ")}`);

    // --- Join: N fans at once, repeated on an emptied line --------------------------------------
    await hooks.beforePhases?.();
    const joinRuns: Run[] = [];
    for (let r = 0; r < opts.runs; r++) {
      // Every run starts from an empty line (the first one already does unless warm-up had to use it too).
      if (r > 0 || warmupId === showtime.id) await redis.del(keys.waiting, keys.seq, keys.active, keys.prequeue);
      const before = await cpuSnapshot(pids, redis);
      const b = await burst(fans.length, join(showtime.id), readPosition, signal);
      const cpu = cpuBetween(before, await cpuSnapshot(pids, redis));
      const verification = await verifyLine(redis, keys.waiting, fans, b);
      joinRuns.push(withCpu(summarize(b), cpu, verification));
      log(`join run ${r + 1}/${opts.runs}: ${line(joinRuns.at(-1)!)}; ${verification.note}`);
    }

    // --- Status: N fans at once, then sustained rounds ------------------------------------------
    const statusRuns: Run[] = [];
    for (let r = 0; r < opts.runs; r++) {
      const before = await cpuSnapshot(pids, redis);
      const b = await burst(fans.length, status(showtime.id), readPosition, signal);
      const cpu = cpuBetween(before, await cpuSnapshot(pids, redis));
      statusRuns.push(withCpu(summarize(b), cpu, verifyPositions(b, fans.length)));
      log(`status run ${r + 1}/${opts.runs}: ${line(statusRuns.at(-1)!)}`);
    }
    const sustainedRuns: Run[] = [];
    for (let r = 0; r < opts.runs; r++) {
      const before = await cpuSnapshot(pids, redis);
      const rounds: Burst<number>[] = [];
      for (let k = 0; k < opts.rounds; k++) rounds.push(await burst(fans.length, status(showtime.id), readPosition, signal));
      const cpu = cpuBetween(before, await cpuSnapshot(pids, redis));
      const notes = rounds.map((b) => verifyPositions(b, fans.length));
      const verification = { ok: notes.every((n) => n.ok), note: notes.find((n) => !n.ok)?.note ?? notes[0]?.note ?? "" };
      sustainedRuns.push(withCpu(summarize(merge(rounds)), cpu, verification));
      log(`sustained run ${r + 1}/${opts.runs} (${opts.rounds}×${fans.length}): ${line(sustainedRuns.at(-1)!)}`);
    }

    await hooks.afterPhases?.();

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

    const phases = { join: phaseOf(joinRuns), status: phaseOf(statusRuns), sustained: phaseOf(sustainedRuns) };
    const rps = (test: string) => ("unavailable" in benchmark ? undefined : benchmark.find((row) => row.test === test)?.rps);
    const ratio = (a: number, b: number | undefined) => (b ? round(a / b, 4) : null);
    return {
      showtime: { ...showtime, warmupId },
      warmup,
      phases,
      redis: { benchmark, joinScript },
      ratios: {
        joinVsZadd: ratio(phases.join.median.rps, rps("zadd")),
        statusVsGet: ratio(phases.status.median.rps, rps("get")),
        joinVsJoinScript: round(phases.join.median.rps / joinScript.rps, 4),
      },
    };
  } finally {
    redis.disconnect();
    await db.end();
  }
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
  return { ok: exact, note: exact ? `positions 1..${n}, all distinct` : `${distinct.size} distinct positions among ${positions.length} answers (want 1..${n})` };
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
    const cpu = (k: "web" | "redis" | "bench") => median(phase.runs.map((x) => x.cpuPerRequestMs[k])).toFixed(2);
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
