// The worker's tick: open the pre-queue when sales open, then admit the next batch within stock.
import { prisma, type DbTx } from "../../db.ts";
import { redis as sharedRedis, type RedisClient } from "../../redis.ts";
import { publishWaitingRoomEvent } from "./events.ts";
import { entryIdOf, shuffleEntries } from "./fairness.ts";
import { wrKeys } from "./keys.ts";
import { runAdmit, runIdle, runOpen, runRelease } from "./scripts.ts";
import { ensureSeed, syncSettings } from "./settings.ts";

type Deps = { db?: DbTx; redis?: RedisClient };

/** Seats a hold could take now (free, or held past their time), seats not yet sold, and all seats. */
export async function seatStock(showtimeId: string, db: DbTx = prisma()): Promise<{ sellable: number; unsold: number; total: number }> {
  const [row] = await db.$queryRaw<{ sellable: bigint; unsold: bigint; total: bigint }[]>`
    SELECT count(*) FILTER (WHERE status = 'AVAILABLE' OR (status = 'HELD' AND "heldUntil" <= now())) AS sellable,
           count(*) FILTER (WHERE status <> 'SOLD') AS unsold,
           count(*) AS total
    FROM "Seat" WHERE "showtimeId" = ${showtimeId}`;
  return { sellable: Number(row?.sellable ?? 0), unsold: Number(row?.unsold ?? 0), total: Number(row?.total ?? 0) };
}

async function redisNowMs(redis: RedisClient): Promise<number> {
  const [s, us] = await redis.time();
  return Number(s) * 1000 + Math.floor(Number(us) / 1000);
}

/**
 * At or after opening, gives the pre-queue its shuffled places ahead of later arrivals. Once only, and
 * safe to race: the script refuses a second opening and a stale read of the pre-queue.
 */
export async function openPrequeue(showtimeId: string, { db = prisma(), redis = sharedRedis() }: Deps = {}): Promise<number> {
  const keys = wrKeys(showtimeId);
  const [opened, opensAt] = await Promise.all([redis.hget(keys.meta, "opened"), redis.hget(keys.settings, "opensAt")]);
  if (opened === "1" || opensAt === null || (await redisNowMs(redis)) < Number(opensAt)) return 0;
  const { seed } = await ensureSeed(showtimeId, db);
  for (let attempt = 0; attempt < 3; attempt++) {
    const members = await redis.zrange(keys.prequeue, 0, -1);
    const byEntry = new Map(members.map((m) => [entryIdOf(m, showtimeId), m]));
    const ordered = shuffleEntries(seed, [...byEntry.keys()]).map((e) => byEntry.get(e)!);
    const placed = await runOpen(redis, keys, ordered);
    if (placed >= 0) return placed;
  }
  throw new Error(`pre-queue of ${showtimeId} kept changing while opening`);
}

/**
 * Gives back the slots of admitted fans who hold no seats and have done nothing gated (opened the seat map,
 * tried a hold, paid) for the showtime's idle time, so fans who left do not stall the line until their
 * access runs out. Their place is kept: each may take it back once (`reclaimPlace`). A fan who holds seats
 * is never released; one who takes a hold between the look and the release passed the gate, which marks
 * them active, and the release script spares them. Returns the released fans' ids.
 */
export async function releaseIdleShoppers(showtimeId: string, { db = prisma(), redis = sharedRedis() }: Deps = {}): Promise<string[]> {
  const keys = wrKeys(showtimeId);
  const idle = await runIdle(redis, keys);
  if (idle.length === 0) return [];
  const holding = await db.hold.findMany({
    where: { showtimeId, userId: { in: idle }, status: "ACTIVE", heldUntil: { gt: new Date() } },
    select: { userId: true },
    distinct: ["userId"],
  });
  const holders = new Set(holding.map((h) => h.userId));
  const released = await runRelease(
    redis,
    keys,
    [...holders],
    idle.filter((u) => !holders.has(u)),
  );
  if (released.length > 0) await publishWaitingRoomEvent(redis, showtimeId, { type: "released", at: Date.now(), count: released.length });
  return released;
}

export type TickResult = { admitted: number; active: number; waiting: number; sellable: number; openedPrequeue: number; released: number };

export async function runAdmissionTick(showtimeId: string, { db = prisma(), redis = sharedRedis() }: Deps = {}): Promise<TickResult> {
  const keys = wrKeys(showtimeId);
  if (!(await redis.exists(keys.settings))) await syncSettings(redis, showtimeId, db);
  const openedPrequeue = await openPrequeue(showtimeId, { db, redis });

  const { sellable, unsold, total } = await seatStock(showtimeId, db);
  // Sold out for now (nothing to hold; held seats may come back), or for good (every seat sold: the line
  // takes no one new, the join script reads meta.closed). Waiting fans are told at once either way and keep
  // their places: a refund puts a seat back.
  const soldOut = sellable === 0 ? "1" : "0";
  const closed = total > 0 && unsold === 0 ? "1" : "0";
  const [wasSoldOut = "0", wasClosed = "0"] = (await redis.hmget(keys.meta, "soldOut", "closed")).map((v) => v ?? "0");
  if (wasSoldOut !== soldOut || wasClosed !== closed) {
    await redis.hset(keys.meta, { soldOut, closed });
    await publishWaitingRoomEvent(redis, showtimeId, { type: soldOut === "1" ? "sold-out" : "back-in-stock", at: Date.now() });
  }

  const released = (await releaseIdleShoppers(showtimeId, { db, redis })).length;
  const [admitted, active, waiting] = await runAdmit(redis, keys, sellable);
  if (admitted > 0 || openedPrequeue > 0) {
    await publishWaitingRoomEvent(redis, showtimeId, { type: "admitted", at: Date.now(), count: admitted });
  }
  return { admitted, active, waiting, sellable, openedPrequeue, released };
}

export type WaitingRoomStats = {
  waiting: number;
  active: number;
  prequeue: number;
  opened: boolean;
  soldOut: boolean;
  admittedLastMinute: number;
};

export async function getWaitingRoomStats(showtimeId: string, { redis = sharedRedis() }: Deps = {}): Promise<WaitingRoomStats> {
  const keys = wrKeys(showtimeId);
  const now = await redisNowMs(redis);
  const [waiting, active, prequeue, meta, recent] = await Promise.all([
    redis.zcard(keys.waiting),
    redis.zcount(keys.active, `(${now}`, "+inf"),
    redis.zcard(keys.prequeue),
    redis.hmget(keys.meta, "opened", "soldOut"),
    redis.xrange(keys.admissions, String(now - 60_000), "+"),
  ]);
  return {
    waiting,
    active,
    prequeue,
    opened: meta[0] === "1",
    soldOut: meta[1] === "1",
    admittedLastMinute: recent.length,
  };
}
