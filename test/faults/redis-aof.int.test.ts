// Fault: Redis with its append-only file on (fsync on every write) killed with SIGKILL, down for 10 s, and
// started again on the same directory. What was acknowledged survives: a hold's delayed expiry job fires
// on time after the restart, the waiting line keeps its fans in order (nothing is "restored", nothing
// renumbered). A payment that commits just as Redis dies answers 200, and ending the buyer's access,
// which Redis could not take then, is applied once it is back.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

const own = await vi.hoisted(async () => {
  const { startRedisServer } = await import("../support/redis-server.ts");
  const server = await startRedisServer({ aof: true });
  process.env.REDIS_URL = server.url;
  return server;
});

import { createCaller } from "../../server/api/root.ts";
import { createContext } from "../../server/api/trpc.ts";
import { prisma } from "../../server/db.ts";
import type { SessionUser } from "../../server/domain/auth/users.ts";
import { checkHealth } from "../../server/domain/health/health.ts";
import { wrKeys } from "../../server/domain/waiting-room/keys.ts";
import { updateSettings } from "../../server/domain/waiting-room/settings.ts";
import { verifyWaitingRoomToken } from "../../server/domain/waiting-room/tokens.ts";
import { env } from "../../server/env.ts";
import { holdsQueue } from "../../server/queue/queues.ts";
import { redis } from "../../server/redis.ts";
import { admitFan, makeConcert, makeUser, uniq } from "../support/factories.ts";
import { startWorker, waitFor, type RunningWorker } from "../support/processes.ts";

const OUTAGE_MS = 10_000;
/** The hold runs out a few seconds after Redis is back, so its own job (not the sweep) is due then. */
const HOLD_SECONDS = 16;

const figures: Record<string, number> = {};
const seconds = (ms: number) => Math.round(ms / 100) / 10;
let worker: RunningWorker | undefined;
let locker: pg.Client | undefined;

beforeAll(() => {
  expect(env().REDIS_URL).toBe(own.url);
});

afterAll(async () => {
  await worker?.stop();
  await locker?.end().catch(() => {});
  await own.close();
  console.info(`redis-aof figures (s): ${JSON.stringify(Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, seconds(v)])))}`);
});

const api = (user: SessionUser) => createCaller(createContext({ user, ip: "198.51.100.21" }));
const seqOf = async (token: string | undefined) => {
  const verified = await verifyWaitingRoomToken(token ?? "");
  if (!verified.ok || verified.seq === undefined) throw new Error("no queue token");
  return verified.seq;
};

/** Waits for health "ok"; on timeout the error carries the last health result and the worker's output. */
async function healthy(what: string): Promise<void> {
  let last: unknown;
  try {
    await waitFor(
      async () => {
        const health = await checkHealth({ db: prisma(), redis: redis() });
        last = health;
        return health.status === "ok" ? true : undefined;
      },
      30_000,
      what,
    );
  } catch (error) {
    const output = worker?.output() ?? "(no worker)";
    throw new Error(
      `${(error as Error).message}\nlast health: ${JSON.stringify(last)}\nworker output (last 8000 chars):\n${output.slice(-8_000)}`,
    );
  }
}

describe("Redis with AOF killed for 10 s and restarted on its files", () => {
  it("keeps delayed jobs and the line; a payment made as it dies stands, and its revocation is applied after", async () => {
    worker = startWorker({ REDIS_URL: own.url, WORKER_HEARTBEAT_MS: "500", LOG_LEVEL: "info" });
    await healthy("a healthy worker");

    const concert = await makeConcert({ showtimes: [{ inDays: 10 }, { inDays: 11 }] });
    const holdShow = concert.showtimes[0]!.id;
    const line = concert.showtimes[1]!.id;
    await prisma().showtime.update({ where: { id: holdShow }, data: { holdSeconds: HOLD_SECONDS } });

    // A paused line of two fans.
    await updateSettings(redis(), line, { enabled: true, paused: true, batchSize: 10, intervalMs: 300, maxActive: 100, stockFactor: 100 });
    const [f1, f2, f3] = [await makeUser(), await makeUser(), await makeUser()];
    const t1 = (await api(f1).waitingRoom.join({ showtimeId: line })).queueToken;
    const t2 = (await api(f2).waitingRoom.join({ showtimeId: line })).queueToken;

    // An admitted fan's hold, due to run out after the outage: its delayed job is in Redis's AOF.
    const fan = await makeUser();
    const accessToken = await admitFan(holdShow, fan.id);
    const seats = await prisma().seat.findMany({ where: { showtimeId: holdShow }, orderBy: { id: "asc" }, take: 2, select: { id: true } });
    const hold = await api(fan).holds.create({ showtimeId: holdShow, seatIds: seats.map((s) => s.id), accessToken });
    const holds = holdsQueue();
    expect(await holds.getJobState(hold.holdId)).toBe("delayed");

    // A buyer whose payment waits on a row lock (past the gate) while Redis dies: it commits with Redis
    // gone; ending her access then cannot reach Redis, and must not turn the payment into an error.
    const buyer = await makeUser();
    const buyerToken = await admitFan(holdShow, buyer.id);
    const buyerSeat = await prisma().seat.findFirstOrThrow({ where: { showtimeId: holdShow, status: "AVAILABLE" }, select: { id: true } });
    const buyerHold = await api(buyer).holds.create({ showtimeId: holdShow, seatIds: [buyerSeat.id], accessToken: buyerToken });
    await api(buyer).wallet.topUp({ currency: "KRW", amountMinor: 500_000, idempotencyKey: uniq("top") });
    expect(await redis().zscore(wrKeys(holdShow).active, buyer.id)).not.toBeNull();
    locker = new pg.Client({ connectionString: env().DATABASE_URL });
    locker.on("error", () => {});
    await locker.connect();
    await locker.query("BEGIN");
    await locker.query(`SELECT id FROM "Hold" WHERE id = $1 FOR UPDATE`, [buyerHold.holdId]);
    const idempotencyKey = uniq("pay");
    const paying = api(buyer).orders.checkout({ showtimeId: holdShow, holdId: buyerHold.holdId, idempotencyKey, accessToken: buyerToken });
    await waitFor(
      async () => {
        // Blocked by this lock itself: other runs on the same server may be waiting on locks of their own.
        const { rows } = await locker!.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))`,
        );
        return (rows[0] as { n: number }).n > 0 ? true : undefined;
      },
      10_000,
      "the payment to wait on the hold's row lock",
    );

    await own.stop("kill");
    const stoppedAt = performance.now();
    await locker.query("ROLLBACK");
    const releasedAt = performance.now();
    const paid = await paying;
    figures.paymentCommittedWhileDownAnsweredIn = performance.now() - releasedAt;
    expect(paid).toMatchObject({ charged: true, holdId: buyerHold.holdId });
    expect(figures.paymentCommittedWhileDownAnsweredIn).toBeLessThan(8_000);
    expect(await prisma().order.count({ where: { id: paid.orderId } })).toBe(1);

    // Down: calls answer 503 for Redis.
    const started = performance.now();
    await expect(api(f3).waitingRoom.join({ showtimeId: line })).rejects.toMatchObject({
      cause: { code: "UNAVAILABLE", details: { reason: "redis" } },
    });
    figures.join503 = performance.now() - started;

    const left = stoppedAt + OUTAGE_MS - performance.now();
    if (left > 0) await new Promise((r) => setTimeout(r, left));
    await own.start();
    const restartedAt = performance.now();

    // The hold's own job survived the crash, still delayed (it is due a few seconds from now).
    expect(await holds.getJobState(hold.holdId)).toBe("delayed");
    expect((await holds.getJob(hold.holdId))?.data).toEqual({ holdId: hold.holdId });

    // The line is as it was: same fans, same places, no restore, and the counter goes on from where it was.
    expect(await api(f1).waitingRoom.status({ showtimeId: line })).toMatchObject({ state: "WAITING", position: 1 });
    expect(await api(f2).waitingRoom.status({ showtimeId: line })).toMatchObject({ state: "WAITING", position: 2 });
    const third = await api(f3).waitingRoom.join({ showtimeId: line });
    expect(third).toMatchObject({ state: "WAITING", position: 3 });
    expect(third.restored).toBeUndefined();
    expect(await seqOf(third.queueToken)).toBe((await seqOf(t2)) + 1);
    expect(await seqOf(t1)).toBe((await seqOf(t2)) - 1);

    // The worker beats again.
    await healthy("health after the restart");
    figures.healthyAfterRestart = performance.now() - restartedAt;

    // The buyer's access survived in the AOF; the pending revocation reaches Redis by itself, and a retry
    // of the payment answers the same order without charging again.
    await waitFor(
      async () => ((await redis().zscore(wrKeys(holdShow).active, buyer.id)) === null ? true : undefined),
      30_000,
      "the revocation",
    );
    figures.revokedAfterRestart = performance.now() - restartedAt;
    const retried = await api(buyer).orders.checkout({
      showtimeId: holdShow,
      holdId: buyerHold.holdId,
      idempotencyKey,
      accessToken: buyerToken,
    });
    expect(retried).toMatchObject({ orderId: paid.orderId, charged: false });
    await expect(api(buyer).holds.create({ showtimeId: holdShow, seatIds: [seats[0]!.id], accessToken: buyerToken })).rejects.toMatchObject(
      {
        cause: { code: "NOT_ADMITTED" },
      },
    );

    // ... and fires when due: the hold is expired, its seats free, the job done (removed on completion).
    await waitFor(
      async () => {
        const row = await prisma().hold.findUniqueOrThrow({ where: { id: hold.holdId }, select: { status: true } });
        return row.status === "EXPIRED" && (await holds.getJob(hold.holdId)) === undefined ? true : undefined;
      },
      30_000,
      "the hold's delayed job to expire it",
    );
    figures.holdExpiredAfterDue = Date.now() - hold.heldUntil.getTime();
    expect(figures.holdExpiredAfterDue).toBeGreaterThanOrEqual(0);
    expect(await prisma().seat.count({ where: { id: { in: seats.map((s) => s.id) }, status: "AVAILABLE" } })).toBe(2);
    await holds.close();
  });
});
