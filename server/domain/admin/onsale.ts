// The live on-sale view of one showtime: the line (Redis) next to the seats and money (PostgreSQL).
import type { Queue } from "bullmq";
import { prisma, type DbTx } from "../../db.ts";
import { redis as sharedRedis, type RedisClient } from "../../redis.ts";
import { countSeats } from "../catalog/concerts.ts";
import { AppError } from "../errors.ts";
import { getWaitingRoomStats } from "../waiting-room/admission.ts";
import { scheduleAdmission } from "../waiting-room/schedule.ts";
import { loadSettings, updateSettings, type TWaitingRoomSettingsInput } from "../waiting-room/settings.ts";
import { recordAudit } from "./audit.ts";

export type OnSaleStats = {
  at: Date;
  waitingRoom: Awaited<ReturnType<typeof getWaitingRoomStats>> & {
    enabled: boolean;
    paused: boolean;
    pauseNote: string | null;
    batchSize: number;
    intervalMs: number;
    maxActive: number;
  };
  seats: { available: number; held: number; sold: number; total: number };
  revenue: { minor: number; currency: string; orders: number; refunded: number };
  /** Tickets sold per minute over the last 30 minutes, oldest first (refunds not subtracted). */
  salesPerMinute: { minute: Date; tickets: number; orders: number }[];
};

export async function getOnSaleStats(
  showtimeId: string,
  { db = prisma(), redis = sharedRedis(), now = new Date() }: { db?: DbTx; redis?: RedisClient; now?: Date } = {},
): Promise<OnSaleStats> {
  const settings = await loadSettings(showtimeId, db).catch(() => null);
  if (!settings) throw new AppError("NOT_FOUND", "We couldn't find that showtime.");
  const since = new Date(Math.floor(now.getTime() / 60_000) * 60_000 - 29 * 60_000);
  const [line, seats, money, perMinute] = await Promise.all([
    getWaitingRoomStats(showtimeId, { redis }),
    countSeats([showtimeId], db).then((m) => m.get(showtimeId)!),
    db.$queryRaw<{ paid: bigint | null; orders: bigint; refunded: bigint; currency: string | null }[]>`
      SELECT sum("totalMinor") FILTER (WHERE status = 'PAID') AS paid, count(*) FILTER (WHERE status = 'PAID') AS orders,
             count(*) FILTER (WHERE status = 'REFUNDED') AS refunded, min(currency::text) AS currency
      FROM "Order" WHERE "showtimeId" = ${showtimeId}`,
    db.$queryRaw<{ minute: Date; tickets: bigint; orders: bigint }[]>`
      SELECT date_trunc('minute', o."createdAt") AS minute, count(t.id) AS tickets, count(DISTINCT o.id) AS orders
      FROM "Order" o JOIN "Ticket" t ON t."orderId" = o.id
      WHERE o."showtimeId" = ${showtimeId} AND o."createdAt" >= ${since}
      GROUP BY 1 ORDER BY 1`,
  ]);
  const byMinute = new Map(perMinute.map((r) => [r.minute.getTime(), r]));
  const salesPerMinute = Array.from({ length: 30 }, (_, i) => {
    const minute = new Date(since.getTime() + i * 60_000);
    const row = byMinute.get(minute.getTime());
    return { minute, tickets: Number(row?.tickets ?? 0), orders: Number(row?.orders ?? 0) };
  });
  const m = money[0];
  const tier = m?.currency ?? (await db.priceTier.findFirst({ where: { showtimeId }, select: { currency: true } }))?.currency ?? "KRW";
  return {
    at: now,
    waitingRoom: {
      ...line,
      enabled: settings.enabled,
      paused: settings.paused,
      pauseNote: settings.pauseNote,
      batchSize: settings.batchSize,
      intervalMs: settings.intervalMs,
      maxActive: settings.maxActive,
    },
    seats,
    revenue: { minor: Number(m?.paid ?? 0), currency: tier, orders: Number(m?.orders ?? 0), refunded: Number(m?.refunded ?? 0) },
    salesPerMinute,
  };
}

/**
 * Pause/resume admission, change its rate or any other waiting-room setting: stored, published to Redis
 * and the admission schedule, so it applies by the next tick; audited.
 */
export async function changeWaitingRoom(
  showtimeId: string,
  input: TWaitingRoomSettingsInput,
  actorId: string,
  { db = prisma(), redis = sharedRedis(), queue }: { db?: DbTx; redis?: RedisClient; queue: Queue },
) {
  const before = await loadSettings(showtimeId, db).catch(() => null);
  if (!before) throw new AppError("NOT_FOUND", "We couldn't find that showtime.");
  const after = await updateSettings(redis, showtimeId, input, db);
  await scheduleAdmission(queue, showtimeId, after.intervalMs);
  await recordAudit(db, { actorId, action: "waitingRoom.update", entityType: "Showtime", entityId: showtimeId, before, after });
  return after;
}
