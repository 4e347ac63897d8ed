// Fault: Redis stopped for 10 s, then started again EMPTY (no persistence), under a running worker and the
// API. While it is down, calls that need Redis answer 503 UNAVAILABLE (reason "redis") quickly, over tRPC
// and REST, and a hold that commits just as Redis goes down still answers 200. Once it is back, with no
// process restarted: the same calls succeed, the worker registers its schedulers again (heartbeat,
// sweeps, admission ticks), overdue holds whose jobs were lost are released by the sweep, and the waiting
// room is rebuilt: settings from PostgreSQL, fans with their queue token back at their old places ahead
// of newcomers, admitted fans through the line again. See docs/reliability.md.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// A private redis-server this file may stop and empty; the app modules below read REDIS_URL when first used.
const own = await vi.hoisted(async () => {
  const { startRedisServer } = await import("../support/redis-server.ts");
  const server = await startRedisServer({ aof: false });
  process.env.REDIS_URL = server.url;
  return server;
});

import { createCaller } from "../../server/api/root.ts";
import { handleRestRequest, type RestError } from "../../server/api/rest/handler.ts";
import { createContext } from "../../server/api/trpc.ts";
import { prisma } from "../../server/db.ts";
import { auditInvariants } from "../../server/domain/audit/invariants.ts";
import type { SessionUser } from "../../server/domain/auth/users.ts";
import { checkHealth } from "../../server/domain/health/health.ts";
import { holdSeats } from "../../server/domain/holds/holds.ts";
import { publishSeatChanges } from "../../server/domain/seatmap/events.ts";
import { ARRIVAL_SCORE_OFFSET, wrKeys } from "../../server/domain/waiting-room/keys.ts";
import { updateSettings } from "../../server/domain/waiting-room/settings.ts";
import { schedulerIdOf } from "../../server/domain/waiting-room/schedule.ts";
import { verifyWaitingRoomToken } from "../../server/domain/waiting-room/tokens.ts";
import { env } from "../../server/env.ts";
import { enqueueHoldExpiry, maintenanceQueue, waitingRoomQueue } from "../../server/queue/queues.ts";
import { redis } from "../../server/redis.ts";
import { admitFan, makeConcert, makeUser } from "../support/factories.ts";
import { startWorker, waitFor, type RunningWorker } from "../support/processes.ts";

const OUTAGE_MS = 10_000;
const HEARTBEAT_MS = 500;
/** "Quickly": every call made while Redis is down must answer within this (ioredis gives up in ~3 s). */
const ANSWER_WITHIN_MS = 8_000;

const figures: Record<string, number> = {};
const seconds = (ms: number) => Math.round(ms / 100) / 10;

let worker: RunningWorker | undefined;
let locker: pg.Client | undefined;

beforeAll(() => {
  // The in-process clients must be on the private Redis, or this file would stop nobody's Redis.
  expect(env().REDIS_URL).toBe(own.url);
});

afterAll(async () => {
  await worker?.stop();
  await locker?.end().catch(() => {});
  await own.close();
  console.info(
    `redis-restart-empty figures (s): ${JSON.stringify(Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, seconds(v)])))}`,
  );
});

const api = (user: SessionUser | null, ip = "198.51.100.7") => createCaller(createContext({ user, ip }));

async function rest(method: string, path: string, user: SessionUser | null, body?: unknown) {
  const req = new Request(`http://localhost/api/v1${path}`, {
    method,
    headers: { "x-forwarded-for": "198.51.100.8", ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const res = await handleRestRequest(req, async () => user);
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as RestError & Record<string, unknown> };
}

/** Runs `call`, which must fail with 503 UNAVAILABLE for Redis, and answers how long it took. */
async function unavailable(call: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  const error = await call().then(
    () => undefined,
    (err: unknown) => err,
  );
  const took = performance.now() - started;
  expect(error, "the call should have failed while Redis is down").toMatchObject({
    code: "SERVICE_UNAVAILABLE",
    cause: { code: "UNAVAILABLE", details: { reason: "redis" } },
  });
  expect(took).toBeLessThan(ANSWER_WITHIN_MS);
  return took;
}

async function restUnavailable(method: string, path: string, user: SessionUser | null, body?: unknown): Promise<number> {
  const started = performance.now();
  const res = await rest(method, path, user, body);
  const took = performance.now() - started;
  expect(res.status).toBe(503);
  expect(res.body.error).toMatchObject({ code: "UNAVAILABLE", details: { reason: "redis" } });
  expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+|MaxRetriesPerRequest/);
  expect(took).toBeLessThan(ANSWER_WITHIN_MS);
  return took;
}

const seqOf = async (token: string | undefined) => {
  const verified = await verifyWaitingRoomToken(token ?? "");
  if (!verified.ok || verified.seq === undefined) throw new Error("no queue token");
  return verified.seq;
};

const staleHolds = async (showtimeId: string) =>
  (await auditInvariants(prisma(), { showtimeId })).checks.find((c) => c.name === "no stale active hold")!;

describe("Redis stopped for 10 s and restarted empty", () => {
  // Shared by the steps below, which run in order.
  let line: string; // a paused waiting room with three fans in it
  let holdShow: string; // a showtime where two fans hold seats
  const fans: SessionUser[] = [];
  const queueTokens: string[] = [];
  let admitted: SessionUser; // held seats, then lost access with Redis
  let admittedToken: string;
  let admittedQueueToken: string;
  let late: SessionUser; // her hold commits just as Redis goes down
  let newcomer: SessionUser;
  const holdIds: string[] = [];
  let stoppedAt = 0;
  let restartedAt = 0;

  it("sets the scene with Redis up: a worker beating, a paused line of three fans, an admitted fan holding seats", async () => {
    worker = startWorker({ REDIS_URL: own.url, WORKER_HEARTBEAT_MS: String(HEARTBEAT_MS), LOG_LEVEL: "info" });
    await waitFor(
      async () => ((await checkHealth({ db: prisma(), redis: redis() })).status === "ok" ? true : undefined),
      30_000,
      "a healthy worker",
    );

    const concert = await makeConcert({ showtimes: [{ inDays: 10 }, { inDays: 11 }] });
    line = concert.showtimes[0]!.id;
    holdShow = concert.showtimes[1]!.id;
    // Stored in PostgreSQL (the truth), published to Redis: paused, so nobody is admitted until we say.
    await updateSettings(redis(), line, { enabled: true, paused: true, batchSize: 10, intervalMs: 300, maxActive: 100, stockFactor: 100 });
    for (let i = 0; i < 3; i++) {
      const fan = await makeUser();
      const joined = await api(fan).waitingRoom.join({ showtimeId: line });
      expect(joined).toMatchObject({ state: "WAITING", position: i + 1 });
      fans.push(fan);
      queueTokens.push(joined.queueToken!);
    }

    admitted = await makeUser();
    // Her queue token is the one a join hands out; she is then admitted and holds seats.
    admittedQueueToken = (await api(admitted).waitingRoom.join({ showtimeId: holdShow })).queueToken!;
    admittedToken = await admitFan(holdShow, admitted.id);
    const seats = await prisma().seat.findMany({ where: { showtimeId: holdShow }, orderBy: { id: "asc" }, select: { id: true } });
    const first = await api(admitted).holds.create({
      showtimeId: holdShow,
      seatIds: [seats[0]!.id, seats[1]!.id],
      accessToken: admittedToken,
    });
    holdIds.push(first.holdId);

    late = await makeUser();
    const lateToken = await admitFan(holdShow, late.id);
    newcomer = await makeUser();

    // A hold whose claim waits on a row lock while Redis goes down: it commits with Redis gone, and the
    // follow-ups (expiry job, live map) must neither fail it nor hold it up.
    locker = new pg.Client({ connectionString: env().DATABASE_URL });
    locker.on("error", () => {});
    await locker.connect();
    await locker.query("BEGIN");
    await locker.query(`SELECT id FROM "Seat" WHERE id = $1 FOR UPDATE`, [seats[2]!.id]);
    const lateHold = api(late).holds.create({ showtimeId: holdShow, seatIds: [seats[2]!.id, seats[3]!.id], accessToken: lateToken });
    await waitFor(
      async () => {
        // Blocked by this lock itself: other runs on the same server may be waiting on locks of their own.
        const { rows } = await locker!.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))`,
        );
        return (rows[0] as { n: number }).n > 0 ? true : undefined;
      },
      10_000,
      "the hold's claim to wait on the row lock",
    );

    await own.stop("shutdown");
    stoppedAt = performance.now();
    await locker.query("ROLLBACK");
    const committedAt = performance.now();
    const hold = await lateHold;
    figures.holdCommittedWhileDownAnsweredIn = performance.now() - committedAt;
    expect(figures.holdCommittedWhileDownAnsweredIn).toBeLessThan(ANSWER_WITHIN_MS);
    expect(await prisma().hold.findUniqueOrThrow({ where: { id: hold.holdId }, select: { status: true } })).toEqual({ status: "ACTIVE" });
    holdIds.push(hold.holdId);
  });

  it("answers 503 UNAVAILABLE (reason redis) within seconds while Redis is down, over tRPC and REST", async () => {
    const [fan] = fans;
    const seat = await prisma().seat.findFirstOrThrow({ where: { showtimeId: holdShow, status: "AVAILABLE" }, select: { id: true } });
    // Redis-backed: the waiting room, the gate, and every rate-limited call (all calls of a fan or an IP).
    // Made at once, so all of them meet Redis down within the 10 s.
    const took = await Promise.all([
      unavailable(() => api(newcomer).waitingRoom.join({ showtimeId: line })),
      unavailable(() => api(fan!).waitingRoom.status({ showtimeId: line, queueToken: queueTokens[0] })),
      unavailable(() => api(admitted).holds.create({ showtimeId: holdShow, seatIds: [seat.id], accessToken: admittedToken })),
      unavailable(() => api(admitted).holds.mine({})),
      restUnavailable("POST", `/showtimes/${line}/queue`, newcomer),
      restUnavailable("GET", `/showtimes/${line}/queue`, fan!),
      restUnavailable("GET", "/holds", admitted),
      restUnavailable("GET", `/showtimes/${holdShow}`, null),
    ]);
    figures.slowest503 = Math.max(...took);
    figures.fastest503 = Math.min(...took);

    // Nothing was changed by the refused calls.
    expect(await prisma().hold.count({ where: { showtimeId: holdShow, userId: admitted.id } })).toBe(1);

    // A PostgreSQL-only read still works when nothing is counted in Redis (an in-process caller with no user
    // and no IP); any call from a fan or an IP is rate-limited in Redis, which fails closed (503 above).
    const page = await createCaller(createContext({ user: null })).showtimes.byId({ showtimeId: holdShow });
    expect(page).toMatchObject({ showtime: { id: holdShow } });

    // Health says so, quickly, without hanging on the dead connection.
    const started = performance.now();
    const health = await checkHealth({ db: prisma(), redis: redis() });
    figures.healthWhileDown = performance.now() - started;
    expect(health).toMatchObject({ status: "down", checks: { redis: { ok: false }, database: { ok: true }, worker: { ok: false } } });
    expect(health.checks.redis.error).toMatch(/Redis connection lost|max retries|no answer/);

    // A follow-up job after a commit neither throws nor hangs: it reports that it was not queued.
    const enqueueStarted = performance.now();
    await expect(enqueueHoldExpiry(holdIds[1]!, new Date(Date.now() + 60_000))).resolves.toBe(false);
    expect(performance.now() - enqueueStarted).toBeLessThan(ANSWER_WITHIN_MS);
    // ... and a domain hold committed now keeps its seats; publishing its change is best effort.
    const direct = await holdSeats(
      { showtimeId: holdShow, seatIds: [seat.id] },
      { userId: newcomer.id, client: "web", ip: "198.51.100.9" },
    );
    await publishSeatChanges(holdShow, direct.seatIds, "HELD");
    holdIds.push(direct.holdId);

    // Every hold above ran out while Redis was down (their expiry jobs die with it): the auditor sees them.
    await prisma().$executeRaw`UPDATE "Hold" SET "heldUntil" = now() - interval '2 minutes' WHERE id = ANY(${holdIds})`;
    await prisma().$executeRaw`UPDATE "Seat" SET "heldUntil" = now() - interval '2 minutes' WHERE "holdId" = ANY(${holdIds})`;
    const stale = await staleHolds(holdShow);
    expect(stale.ok).toBe(false);
    expect(stale.violations).toBe(3);
  });

  it("recovers by itself once Redis is back, empty: same calls succeed, the worker beats again", async () => {
    const until = async (ms: number) => {
      const left = stoppedAt + ms - performance.now();
      if (left > 0) await new Promise((r) => setTimeout(r, left));
    };
    // Late in the outage the clients retry once a second: a call still answers within about 3 s.
    await until(OUTAGE_MS - 4_000);
    figures.late503 = await unavailable(() => api(newcomer).waitingRoom.join({ showtimeId: line }));
    await until(OUTAGE_MS);
    figures.redisDownFor = performance.now() - stoppedAt;
    await own.start();
    restartedAt = performance.now();
    // Empty: the three fans' places are gone (the worker may already have written its own keys).
    expect(await redis().zcard(wrKeys(line).waiting)).toBe(0);

    // The newcomer joins before any of the three fans come back: a newcomer of the new life.
    const joined = await waitFor(
      () =>
        api(newcomer)
          .waitingRoom.join({ showtimeId: line })
          .catch(() => undefined),
      30_000,
      "a join to succeed again",
    );
    figures.firstCallOkAfterRestart = performance.now() - restartedAt;
    expect(joined).toMatchObject({ state: "WAITING", position: 1 });
    // Settings came back from PostgreSQL: still paused.
    expect(await redis().hget(wrKeys(line).settings, "paused")).toBe("1");
    const rested = await rest("GET", `/showtimes/${line}/queue`, newcomer);
    expect(rested).toMatchObject({ status: 200, body: { state: "WAITING", position: 1 } });

    const beat = await waitFor(
      async () => {
        const h = await checkHealth({ db: prisma(), redis: redis() });
        return h.status === "ok" ? h : undefined;
      },
      30_000,
      "the worker's heartbeat in /api/health",
    );
    figures.healthyAfterRestart = performance.now() - restartedAt;
    expect(beat.checks.worker.ok).toBe(true);

    // Its schedulers are back (they were lost with the data): heartbeat, sweeps, sync, and this line's ticks.
    const MAINTENANCE = ["heartbeat", "sync-waiting-rooms", "sweep-holds", "sweep-transfers", "sweep-sandbox-events"];
    const schedulers = await waitFor(
      async () => {
        const q = maintenanceQueue();
        const keys = (await q.getJobSchedulers(0, -1)).map((s) => s.key);
        await q.close();
        return MAINTENANCE.every((k) => keys.includes(k)) ? keys : undefined;
      },
      30_000,
      "the maintenance schedulers",
    );
    expect(schedulers.sort()).toEqual([...MAINTENANCE].sort());
    await waitFor(
      async () => (worker!.output().includes("job schedulers registered again") ? true : undefined),
      30_000,
      "the worker's log line",
    );
  });

  it("releases the holds whose expiry jobs were lost within one sweep interval", async () => {
    await waitFor(async () => ((await staleHolds(holdShow)).ok ? true : undefined), 30_000, "the sweep to release overdue holds");
    figures.overdueHoldsReleasedAfterRestart = performance.now() - restartedAt;
    const holds = await prisma().hold.findMany({ where: { id: { in: holdIds } }, select: { status: true } });
    expect(holds.map((h) => h.status)).toEqual(["EXPIRED", "EXPIRED", "EXPIRED"]);
    expect(await prisma().seat.count({ where: { showtimeId: holdShow, status: "HELD" } })).toBe(0);
    const audit = await auditInvariants(prisma(), { showtimeId: holdShow });
    expect(audit.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it("rebuilds the line: queue tokens give fans their old places, ahead of newcomers, in their old order", async () => {
    const [f1, f2, f3] = fans as [SessionUser, SessionUser, SessionUser];
    // The third fan comes back first (the page polls, or reloads): her old place, ahead of the newcomer.
    const third = await api(f3).waitingRoom.join({ showtimeId: line, queueToken: queueTokens[2] });
    expect(third).toMatchObject({ state: "WAITING", position: 1, restored: true });
    expect(await seqOf(third.queueToken)).toBe(await seqOf(queueTokens[2]));

    // The second fan's page polls with its token: told its place was lost (and can be had back)...
    expect(await api(f2).waitingRoom.status({ showtimeId: line, queueToken: queueTokens[1] })).toEqual({
      state: "NONE",
      showtimeId: line,
      placeLost: true,
    });
    // ... which a poll without a token, or with another fan's token, does not claim.
    expect(await api(f2).waitingRoom.status({ showtimeId: line })).toEqual({ state: "NONE", showtimeId: line });
    expect(await api(f2).waitingRoom.status({ showtimeId: line, queueToken: queueTokens[0] })).toEqual({ state: "NONE", showtimeId: line });
    // Another fan's token does not give its place away: a plain join at the back.
    const wrongToken = await rest("POST", `/showtimes/${line}/queue`, f2, { queueToken: queueTokens[0] });
    expect(wrongToken).toMatchObject({ status: 201, body: { state: "WAITING", position: 3 } });
    expect(wrongToken.body.restored).toBeUndefined();
    await api(f2).waitingRoom.leave({ showtimeId: line });
    // Having been given a place in this life (then left), her own token no longer restores either...
    const again = await api(f2).waitingRoom.join({ showtimeId: line, queueToken: queueTokens[1] });
    expect(again).toMatchObject({ state: "WAITING", position: 3 });
    expect(again.restored).toBeUndefined();
    await api(f2).waitingRoom.leave({ showtimeId: line });

    // The first fan, over REST with her token: back at the front.
    const first = await rest("POST", `/showtimes/${line}/queue`, f1, { queueToken: queueTokens[0] });
    expect(first).toMatchObject({ status: 201, body: { state: "WAITING", position: 1, restored: true } });

    // Newcomers from now on queue behind every restored place; the counter of the new life is above them.
    const later = await makeUser();
    const laterJoin = await api(later).waitingRoom.join({ showtimeId: line });
    expect(laterJoin).toMatchObject({ state: "WAITING", position: 4 });
    expect(await seqOf(laterJoin.queueToken)).toBeGreaterThan(await seqOf(queueTokens[2]));
    const order = await redis().zrange(wrKeys(line).waiting, 0, -1);
    expect(order).toEqual([f1.id, f3.id, newcomer.id, later.id]);
    const scores = await redis().zrange(wrKeys(line).waiting, 0, -1, "WITHSCORES");
    expect(Number(scores[1])).toBe(ARRIVAL_SCORE_OFFSET + (await seqOf(queueTokens[0])));

    // An admitted fan lost her access with Redis: her old access token no longer passes the gate, and her
    // queue token does not restore a place she used (she held seats since): she goes through the line again.
    const seat = await prisma().seat.findFirstOrThrow({ where: { showtimeId: holdShow, status: "AVAILABLE" }, select: { id: true } });
    await expect(
      api(admitted).holds.create({ showtimeId: holdShow, seatIds: [seat.id], accessToken: admittedToken }),
    ).rejects.toMatchObject({
      cause: { code: "NOT_ADMITTED" },
    });
    const back = await api(admitted).waitingRoom.join({ showtimeId: holdShow, queueToken: admittedQueueToken });
    expect(back.restored).toBeUndefined();
    expect(await seqOf(back.queueToken)).toBeGreaterThan(await seqOf(admittedQueueToken));
  });

  it("admits again: the worker's admission ticks take the rebuilt line in order", async () => {
    const [f1, , f3] = fans as [SessionUser, SessionUser, SessionUser];
    const wrSchedulers = await waitFor(
      async () => {
        const wq = waitingRoomQueue();
        const keys = (await wq.getJobSchedulers(0, -1)).map((s) => s.key);
        await wq.close();
        return keys.includes(schedulerIdOf(line)) ? keys : undefined;
      },
      30_000,
      "the line's admission scheduler",
    );
    expect(wrSchedulers).toContain(schedulerIdOf(line));

    await updateSettings(redis(), line, { paused: false });
    const admittedAt = performance.now();
    await waitFor(
      async () => {
        const states = await Promise.all([f1, f3, newcomer].map((u) => api(u).waitingRoom.status({ showtimeId: line })));
        return states.every((s) => s.state === "READY") ? true : undefined;
      },
      30_000,
      "the rebuilt line to be admitted",
    );
    figures.admittedAfterUnpause = performance.now() - admittedAt;
    const stream = await redis().xrange(wrKeys(line).admissions, "-", "+");
    const users = stream.map(([, fields]) => fields[fields.indexOf("user") + 1]);
    expect(users.slice(0, 3)).toEqual([f1.id, f3.id, newcomer.id]);
  });
});
