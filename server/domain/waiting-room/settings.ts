// Waiting-room settings: the Showtime row is the truth; Redis keeps the copy the scripts read.
import type { RedisClient } from "../../redis.ts";
import { z } from "zod";
import { prisma, type DbTx } from "../../db.ts";
import { AppError } from "../errors.ts";
import { commitmentOf, newSeed } from "./fairness.ts";
import { publishWaitingRoomEvent } from "./events.ts";
import { wrKeys } from "./keys.ts";
import { PAUSE_NOTE_MAX } from "./limits.ts";

export const ZWaitingRoomSettingsInput = z
  .strictObject({
    enabled: z.boolean(),
    paused: z.boolean(),
    /** Shown to waiting fans while paused; empty or null for none. */
    pauseNote: z
      .string()
      .trim()
      .max(PAUSE_NOTE_MAX, `Keep the message to ${PAUSE_NOTE_MAX} characters.`)
      .nullable()
      .transform((s) => (s ? s : null)),
    batchSize: z.number().int().min(1, "Admit at least 1 fan per tick.").max(10_000),
    intervalMs: z.number().int().min(200, "Tick at most 5 times a second.").max(600_000),
    maxActive: z.number().int().min(1).max(1_000_000),
    accessSeconds: z
      .number()
      .int()
      .min(30, "Give admitted fans at least 30 seconds.")
      .max(24 * 3600),
    maxQueue: z.number().int().min(1).max(10_000_000),
    stockFactor: z.number().min(0.1).max(100),
    prequeueMinutes: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 60),
    idleSeconds: z
      .number()
      .int()
      .min(0)
      .max(3600, "Give idle shoppers at most an hour.")
      .refine((n) => n === 0 || n >= 15, "Use 0 (never release idle shoppers) or at least 15 seconds."),
  })
  .partial();
export type TWaitingRoomSettingsInput = z.infer<typeof ZWaitingRoomSettingsInput>;

export type WaitingRoomSettings = Required<TWaitingRoomSettingsInput> & {
  showtimeId: string;
  /** When sales open (the earlier of presale and general sale). */
  opensAt: Date;
  /** Until general sale opens, a showtime with a presale lets only eligible fans into the line; null: no presale. */
  presaleUntil: Date | null;
  prequeueOpensAt: Date;
  saleEndsAt: Date;
  status: "DRAFT" | "PUBLISHED" | "CANCELLED";
  startsAt: Date;
};

const settingsSelect = {
  id: true,
  status: true,
  startsAt: true,
  presaleStartsAt: true,
  generalSaleStartsAt: true,
  saleEndsAt: true,
  wrEnabled: true,
  wrPaused: true,
  wrPauseNote: true,
  wrBatchSize: true,
  wrIntervalMs: true,
  wrMaxActive: true,
  wrAccessSeconds: true,
  wrMaxQueue: true,
  wrStockFactor: true,
  wrPrequeueMinutes: true,
  wrIdleSeconds: true,
  concert: { select: { status: true } },
} as const;

type SettingsRow = {
  id: string;
  status: "DRAFT" | "PUBLISHED" | "CANCELLED";
  startsAt: Date;
  presaleStartsAt: Date | null;
  generalSaleStartsAt: Date;
  saleEndsAt: Date;
  wrEnabled: boolean;
  wrPaused: boolean;
  wrPauseNote: string | null;
  wrBatchSize: number;
  wrIntervalMs: number;
  wrMaxActive: number;
  wrAccessSeconds: number;
  wrMaxQueue: number;
  wrStockFactor: number;
  wrPrequeueMinutes: number;
  wrIdleSeconds: number;
  concert: { status: "DRAFT" | "PUBLISHED" | "CANCELLED" };
};

function toSettings(row: SettingsRow): WaitingRoomSettings {
  const opensAt = new Date(Math.min(row.generalSaleStartsAt.getTime(), row.presaleStartsAt?.getTime() ?? Number.POSITIVE_INFINITY));
  return {
    showtimeId: row.id,
    status: row.concert.status === "PUBLISHED" ? row.status : "DRAFT",
    startsAt: row.startsAt,
    opensAt,
    presaleUntil: row.presaleStartsAt ? row.generalSaleStartsAt : null,
    prequeueOpensAt: new Date(opensAt.getTime() - row.wrPrequeueMinutes * 60_000),
    saleEndsAt: row.saleEndsAt,
    enabled: row.wrEnabled,
    paused: row.wrPaused,
    pauseNote: row.wrPauseNote,
    batchSize: row.wrBatchSize,
    intervalMs: row.wrIntervalMs,
    maxActive: row.wrMaxActive,
    accessSeconds: row.wrAccessSeconds,
    maxQueue: row.wrMaxQueue,
    stockFactor: row.wrStockFactor,
    prequeueMinutes: row.wrPrequeueMinutes,
    idleSeconds: row.wrIdleSeconds,
  };
}

export async function loadSettings(showtimeId: string, db: DbTx = prisma()): Promise<WaitingRoomSettings> {
  const row = await db.showtime.findUnique({ where: { id: showtimeId }, select: settingsSelect });
  if (!row) throw new AppError("NOT_FOUND", "We couldn't find that showtime.");
  return toSettings(row);
}

/** Writes the settings the Lua scripts read; safe to repeat. */
export async function publishSettings(redis: RedisClient, s: WaitingRoomSettings, commitment: string): Promise<void> {
  await redis.hset(wrKeys(s.showtimeId).settings, {
    state: s.status,
    closesAt: String(Math.min(s.saleEndsAt.getTime(), s.startsAt.getTime())),
    commitment,
    enabled: s.enabled ? "1" : "0",
    paused: s.paused ? "1" : "0",
    pauseNote: s.pauseNote ?? "",
    batch: String(s.batchSize),
    intervalMs: String(s.intervalMs),
    maxActive: String(s.maxActive),
    accessMs: String(s.accessSeconds * 1000),
    maxQueue: String(s.maxQueue),
    stockFactor: String(s.stockFactor),
    idleMs: String(s.idleSeconds * 1000),
    opensAt: String(s.opensAt.getTime()),
    presaleUntil: String(s.presaleUntil?.getTime() ?? 0),
    prequeueOpensAt: String(s.prequeueOpensAt.getTime()),
  });
}

/**
 * Loads the settings from the database and publishes them to Redis. The seed is fixed first, so it
 * exists before any join can succeed (joins need the published settings).
 */
export async function syncSettings(redis: RedisClient, showtimeId: string, db: DbTx = prisma()): Promise<WaitingRoomSettings> {
  const settings = await loadSettings(showtimeId, db);
  const { commitment } = await ensureSeed(showtimeId, db);
  await publishSettings(redis, settings, commitment);
  return settings;
}

/** Admin change: stored, then published so the next tick and the next join use it. */
export async function updateSettings(
  redis: RedisClient,
  showtimeId: string,
  input: TWaitingRoomSettingsInput,
  db: DbTx = prisma(),
): Promise<WaitingRoomSettings> {
  const patch = ZWaitingRoomSettingsInput.parse(input);
  const exists = await db.showtime.findUnique({ where: { id: showtimeId }, select: { id: true } });
  if (!exists) throw new AppError("NOT_FOUND", "We couldn't find that showtime.");
  await db.showtime.update({
    where: { id: showtimeId },
    data: {
      wrEnabled: patch.enabled,
      wrPaused: patch.paused,
      wrPauseNote: patch.pauseNote,
      wrBatchSize: patch.batchSize,
      wrIntervalMs: patch.intervalMs,
      wrMaxActive: patch.maxActive,
      wrAccessSeconds: patch.accessSeconds,
      wrMaxQueue: patch.maxQueue,
      wrStockFactor: patch.stockFactor,
      wrPrequeueMinutes: patch.prequeueMinutes,
      wrIdleSeconds: patch.idleSeconds,
    },
  });
  const settings = await syncSettings(redis, showtimeId, db);
  // Waiting fans see a pause, its note or a resume at once, not at their next idle refresh.
  await publishWaitingRoomEvent(redis, showtimeId, { type: "settings", at: Date.now() });
  return settings;
}

/**
 * The pre-queue seed, created on first need and never changed: the first join (or the first look at the
 * commitment) fixes it, so it exists before anyone can be in the pre-queue.
 */
export async function ensureSeed(showtimeId: string, db: DbTx = prisma()): Promise<{ seed: string; commitment: string }> {
  await db.showtime.updateMany({ where: { id: showtimeId, wrSeed: null }, data: { wrSeed: newSeed() } });
  const row = await db.showtime.findUnique({ where: { id: showtimeId }, select: { wrSeed: true } });
  if (!row?.wrSeed) throw new AppError("NOT_FOUND", "We couldn't find that showtime.");
  return { seed: row.wrSeed, commitment: commitmentOf(row.wrSeed) };
}
