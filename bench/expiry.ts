// Benchmark: mass expiry. N holds (10,000 by default) are taken through the domain's hold path
// (`holdSeats`, the function the holds.create route calls) on one showtime, then all of them are made to end
// in the same second: their `heldUntil` (hold and seats) is set to one instant T a few seconds ahead, and
// each hold's delayed expiry job (queued by holdSeats for its first end) is replaced by one due at T, from
// the domain's `enqueueHoldExpiry`.
// The running worker (its holds queue, and its periodic sweep) then does the releasing, unaided. Measured
// by polling the database every 100 ms: when each release became visible, minus T (its lateness), and
// releases per second. Every hold must end EXPIRED and every seat AVAILABLE. Import only after startStack
// has set DATABASE_URL and REDIS_PREFIX: the server modules below read them once, on load.
import pg from "pg";
import { prisma } from "../server/db.ts";
import { holdSeats } from "../server/domain/holds/holds.ts";
import { enqueueHoldExpiry, holdsQueue } from "../server/queue/queues.ts";
import { redis as sharedRedis } from "../server/redis.ts";
import { makeConcert } from "../test/support/factories.ts";
import { cpuBetween, cpuSnapshot } from "./lib/cpu.ts";
import { createFans } from "./lib/fans.ts";
import { latencyStats, median, round } from "./lib/load.ts";
import type { Stack } from "./lib/stack.ts";
import type { SummaryRow } from "./lib/summary.ts";

export type ExpiryOptions = {
  /** Holds (of one seat each) that end in the same second. */
  expiryHolds: number;
  /** Seconds from the end of setup to T, long enough to enqueue every job before T. */
  expiryLeadSeconds: number;
  /** Seconds after T to wait for the worker before giving up. */
  expiryTimeoutSeconds: number;
};

/** Holds per fan (each fan's per-user limit is raised to this): fewer fans to create, no lock contention. */
const HOLDS_PER_FAN = 10;
/** Holds between two ANALYZEs of Seat and Hold while the holds are taken. */
const ANALYZE_EVERY = 1000;
/** Holds taken at once through holdSeats: the bench process's Prisma pool is 10. */
const CREATE_CONCURRENCY = 8;

type Latency = ReturnType<typeof latencyStats>;

export type ExpiryResult = {
  showtime: { id: string; seats: number };
  holds: number;
  setup: {
    /** holdSeats calls per second from this process while creating them (not a goal; setup speed). */
    holdsPerSecond: number;
    createSeconds: number;
    enqueueSeconds: number;
    /** How long before T the last job was enqueued (negative: after T, which the lateness then includes). */
    enqueuedBeforeDueMs: number;
  };
  /** T, the instant every hold ends. */
  dueAt: string;
  /**
   * The headline: when each release became visible, minus T, ms. The bench polls the showtime's ACTIVE holds
   * every 100 ms; the k-th release counts as seen at the start of the first poll whose snapshot showed k
   * released (an upper bound, at most one poll interval late: `pollIntervalMs`).
   */
  lateness: Latency;
  pollIntervalMs: number;
  /**
   * Seat updatedAt minus T: when the releasing statement's transaction STARTED (PostgreSQL's now()), not
   * when it committed, so it can be far lower than `lateness` when a batch takes long to commit.
   */
  statementStartLateness: Latency;
  /** Holds expired per second from T to the last release. */
  releasesPerSecond: number;
  /** From T to the last seat released, ms. */
  lastReleaseMs: number;
  /** Seats released within 1 s of T. */
  withinOneSecond: number;
  /** Live progress seen by the poll: ms after T (the poll's start) → holds still ACTIVE in its snapshot. */
  progress: { afterMs: number; active: number }[];
  cpuMs: { worker: number; postgresAndRedisNote: string };
  verification: { ok: boolean; note: string; holdsByStatus: Record<string, number>; seatsByStatus: Record<string, number> };
};

export async function benchExpiry(
  stack: Stack,
  opts: ExpiryOptions,
  signal: AbortSignal,
  log: (line: string) => void,
): Promise<ExpiryResult> {
  const db = new pg.Client({ connectionString: stack.databaseUrl });
  await db.connect();
  try {
    // --- A showtime with a seat for every hold: 2 sections × rows × 100 ---------------------------------
    const seatsPerRow = 100;
    const rows = Math.ceil(opts.expiryHolds / 2 / seatsPerRow);
    const concert = await makeConcert({ title: "Bench Expiry", artist: "Bench", layout: { rows, seatsPerRow } });
    const showtimeId = concert.showtimes[0]!.id;
    // An hour's hold time: nothing ends during setup; T is set afterwards.
    await prisma().showtime.update({ where: { id: showtimeId }, data: { holdSeconds: 3600, perUserLimit: HOLDS_PER_FAN } });
    const { rows: seatRows } = await db.query<{ id: number }>(`SELECT id FROM "Seat" WHERE "showtimeId" = $1 ORDER BY id LIMIT $2`, [
      showtimeId,
      opts.expiryHolds,
    ]);
    const seatIds = seatRows.map((r) => r.id);
    if (seatIds.length < opts.expiryHolds) throw new Error(`showtime ${showtimeId} has ${seatIds.length} seats, want ${opts.expiryHolds}`);
    const fans = await createFans(db, Math.ceil(opts.expiryHolds / HOLDS_PER_FAN), stack.authSecret);
    log(`Expiry: showtime ${showtimeId}, ${seatIds.length} seats, ${fans.length} fans of ${HOLDS_PER_FAN} one-seat holds each`);

    // --- The holds, through the domain's hold path ------------------------------------------------------
    // Fresh statistics every ANALYZE_EVERY holds, as autovacuum would keep them over an on-sale's minutes.
    // Without them PostgreSQL plans the claim's per-user count from a showtime with no seat held, scans every
    // held seat of the showtime for each hold, and setup slows with the square of the holds (measured: 52
    // holds/s on average for 10,000, 2.8 s for one count at 4,300 held seats).
    await db.query(`ANALYZE "Seat", "Hold"`);
    const holdIds: string[] = new Array(seatIds.length);
    let next = 0;
    let analyzedAt = 0;
    let analyzing: Promise<unknown> = Promise.resolve();
    const createStarted = performance.now();
    let lastLog = createStarted;
    await Promise.all(
      Array.from({ length: CREATE_CONCURRENCY }, async () => {
        while (next < seatIds.length && !signal.aborted) {
          const i = next++;
          // Spread over the fans in turn: consecutive holds of one fan would queue on its advisory lock.
          const fan = fans[i % fans.length]!;
          const hold = await holdSeats({ showtimeId, seatIds: [seatIds[i]!] }, { userId: fan.id, client: "bench", ip: "127.0.0.1" });
          holdIds[i] = hold.holdId;
          if (next - analyzedAt >= ANALYZE_EVERY) {
            analyzedAt = next;
            analyzing = analyzing.then(() => db.query(`ANALYZE "Seat", "Hold"`));
          }
          if (performance.now() - lastLog > 10_000) {
            lastLog = performance.now();
            log(`  ${next} of ${seatIds.length} holds taken`);
          }
        }
      }),
    );
    await analyzing;
    if (signal.aborted) throw new Error("interrupted while taking the holds");
    const createSeconds = (performance.now() - createStarted) / 1000;
    log(`${holdIds.length} holds taken with holdSeats in ${round(createSeconds)} s (${round(holdIds.length / createSeconds)} holds/s)`);

    // --- All end at T: heldUntil of holds and seats set to T, then one delayed job each -----------------
    const dueAt = new Date(Math.ceil((Date.now() + opts.expiryLeadSeconds * 1000) / 1000) * 1000);
    const [movedHolds, movedSeats] = await prisma().$transaction([
      prisma().hold.updateMany({ where: { showtimeId, status: "ACTIVE" }, data: { heldUntil: dueAt } }),
      prisma().seat.updateMany({ where: { showtimeId, status: "HELD" }, data: { heldUntil: dueAt } }),
    ]);
    if (movedHolds.count !== holdIds.length || movedSeats.count !== holdIds.length) {
      throw new Error(`set heldUntil on ${movedHolds.count} holds and ${movedSeats.count} seats, want ${holdIds.length} of each`);
    }
    const enqueueStarted = performance.now();
    // A job id is taken once: the job holdSeats queued for the hold's first end goes before the one for T.
    const jobs = holdsQueue();
    try {
      for (let i = 0; i < holdIds.length && !signal.aborted; i += 500) {
        await Promise.all(holdIds.slice(i, i + 500).map(async (id) => (await jobs.remove(id), enqueueHoldExpiry(id, dueAt))));
      }
    } finally {
      await jobs.close();
    }
    const enqueueSeconds = (performance.now() - enqueueStarted) / 1000;
    const enqueuedBeforeDueMs = dueAt.getTime() - Date.now();
    log(
      `Every hold now ends at ${dueAt.toISOString()}; ${holdIds.length} expiry jobs enqueued in ${round(enqueueSeconds)} s, ` +
        `${round(enqueuedBeforeDueMs / 1000)} s before that${enqueuedBeforeDueMs < 0 ? " (LATE: raise --expiry-lead-seconds)" : ""}`,
    );

    // --- The worker releases them: poll until none is ACTIVE, or the timeout ----------------------------
    const pids = { web: stack.app.web.pid, worker: stack.app.worker.pid };
    const cpuBefore = await cpuSnapshot(pids, sharedRedis());
    const progress: ExpiryResult["progress"] = [];
    const giveUpAt = dueAt.getTime() + opts.expiryTimeoutSeconds * 1000;
    let lastShown = 0;
    while (!signal.aborted) {
      const polledAt = Date.now(); // the query's snapshot is taken right after
      const { rows: left } = await db.query<{ n: string }>(
        `SELECT count(*) AS n FROM "Hold" WHERE "showtimeId" = $1 AND status = 'ACTIVE'`,
        [showtimeId],
      );
      const active = Number(left[0]?.n ?? 0);
      const afterMs = polledAt - dueAt.getTime();
      if (afterMs >= 0) progress.push({ afterMs, active });
      if (afterMs >= 0 && afterMs - lastShown >= 5000) {
        lastShown = afterMs;
        log(`  ${round(afterMs / 1000)} s after T: ${active} holds still ACTIVE`);
      }
      if (active === 0 || Date.now() > giveUpAt) break;
      const now = Date.now() - dueAt.getTime();
      await new Promise((resolve) => setTimeout(resolve, now < 0 ? Math.min(1000, -now) : Math.max(0, 100 - (Date.now() - polledAt))));
    }
    const cpu = cpuBetween(cpuBefore, await cpuSnapshot(pids, sharedRedis()));

    // --- Read back: lateness per seat, and every hold EXPIRED, every seat AVAILABLE ---------------------
    // Both columns are written by PostgreSQL's clock in UTC (updatedAt by expireHold's now(), heldUntil by
    // Prisma from T), so their difference needs no clock of this process.
    const { rows: late } = await db.query<{ ms: string }>(
      `SELECT extract(epoch FROM s."updatedAt" - h."heldUntil") * 1000 AS ms
       FROM "Hold" h JOIN "Seat" s ON s.id = ANY(h."seatIds")
       WHERE h."showtimeId" = $1 AND h.status = 'EXPIRED' AND s.status = 'AVAILABLE'`,
      [showtimeId],
    );
    const lateness = late.map((r) => Number(r.ms));
    const startStats = latencyStats(lateness);
    // Visible lateness from the poll: the k-th release at the first poll that saw k released.
    const visible: number[] = [];
    let seen = 0;
    for (const p of progress) {
      const released = holdIds.length - p.active;
      for (; seen < released; seen++) visible.push(p.afterMs);
    }
    const stats = latencyStats(visible);
    const gaps = progress.slice(1).map((p, i) => p.afterMs - progress[i]!.afterMs);
    const pollIntervalMs = gaps.length ? Math.round(median(gaps)) : Number.NaN;
    const { rows: holdStatus } = await db.query<{ status: string; n: string }>(
      `SELECT status::text, count(*) AS n FROM "Hold" WHERE "showtimeId" = $1 GROUP BY status`,
      [showtimeId],
    );
    const { rows: seatStatus } = await db.query<{ status: string; n: string }>(
      `SELECT status::text, count(*) AS n FROM "Seat" WHERE "showtimeId" = $1 AND id = ANY($2::int[]) GROUP BY status`,
      [showtimeId, seatIds],
    );
    const holdsByStatus = Object.fromEntries(holdStatus.map((r) => [r.status, Number(r.n)]));
    const seatsByStatus = Object.fromEntries(seatStatus.map((r) => [r.status, Number(r.n)]));
    const expired = holdsByStatus.EXPIRED ?? 0;
    const available = seatsByStatus.AVAILABLE ?? 0;
    const ok =
      expired === holdIds.length && available === holdIds.length && lateness.length === holdIds.length && visible.length === holdIds.length;
    const note = ok
      ? `all ${expired} holds EXPIRED, all ${available} seats AVAILABLE ✓`
      : `holds ${JSON.stringify(holdsByStatus)}, seats ${JSON.stringify(seatsByStatus)}, ${lateness.length} seats with a lateness (want ${holdIds.length} of each) (MISMATCH)`;
    const lastReleaseMs = stats.max;
    log(
      `Expiry: releases visible p50 ${stats.p50} ms, p99 ${stats.p99} ms, max ${stats.max} ms after T (releasing statements started p99 ${startStats.p99} ms after T); ${note}`,
    );
    return {
      showtime: { id: showtimeId, seats: seatIds.length },
      holds: holdIds.length,
      setup: {
        holdsPerSecond: round(holdIds.length / createSeconds),
        createSeconds: round(createSeconds),
        enqueueSeconds: round(enqueueSeconds),
        enqueuedBeforeDueMs,
      },
      dueAt: dueAt.toISOString(),
      lateness: stats,
      pollIntervalMs,
      statementStartLateness: startStats,
      releasesPerSecond: lastReleaseMs > 0 ? round(expired / (lastReleaseMs / 1000)) : Number.NaN,
      lastReleaseMs,
      withinOneSecond: visible.filter((ms) => ms < 1000).length,
      progress,
      cpuMs: { worker: cpu.workerMs, postgresAndRedisNote: `redis ${cpu.redisMs} ms (all clients)` },
      verification: { ok, note, holdsByStatus, seatsByStatus },
    };
  } finally {
    await db.end();
  }
}

export function printExpiry(r: ExpiryResult): void {
  console.log(`\nMass expiry: ${r.holds} one-seat holds (taken with holdSeats) all ending at ${r.dueAt}, released by the worker`);
  console.log(
    `lateness (release visible − heldUntil, polled every ${r.pollIntervalMs} ms): p50 ${r.lateness.p50} ms, p95 ${r.lateness.p95} ms, p99 ${r.lateness.p99} ms, max ${r.lateness.max} ms`,
  );
  const s = r.statementStartLateness;
  console.log(`releasing statement started (seat updatedAt − heldUntil): p50 ${s.p50} ms, p99 ${s.p99} ms, max ${s.max} ms`);
  console.log(
    `releases/s (from T to the last release seen): ${r.releasesPerSecond};  seen released within 1 s of T: ${r.withinOneSecond} of ${r.holds}`,
  );
  console.log(`worker CPU from setup's end to the last release: ${r.cpuMs.worker} ms; ${r.cpuMs.postgresAndRedisNote}`);
  console.log(
    `setup: ${r.setup.holdsPerSecond} holds/s through holdSeats (${r.setup.createSeconds} s), jobs enqueued in ${r.setup.enqueueSeconds} s, ` +
      `${round(r.setup.enqueuedBeforeDueMs / 1000)} s before T${r.setup.enqueuedBeforeDueMs < 0 ? " ✗ (late: lateness includes it)" : ""}`,
  );
  console.log(`After: ${r.verification.note}`);
}

export function expirySummary(r: ExpiryResult): SummaryRow[] {
  return [
    {
      benchmark: "expiry",
      figure: `p99 release lateness (visible), ${r.holds.toLocaleString("en-US")} holds ending in one second`,
      value: r.lateness.p99,
      unit: "ms",
      goal: { kind: "value-below", max: 1000 },
    },
    { benchmark: "expiry", figure: "releases/s (worker: delayed jobs + sweep)", value: r.releasesPerSecond, unit: "/s" },
  ];
}
