// What a fan does in a waiting room: join, ask where they stand, leave; and the pre-queue proof.
import { z } from "zod";
import { prisma, type DbTx } from "../../db.ts";
import { redis as sharedRedis, type RedisClient } from "../../redis.ts";
import { AppError } from "../errors.ts";
import { drawOf, entryIdOf, shuffleEntries } from "./fairness.ts";
import { ARRIVAL_SCORE_OFFSET, wrKeys } from "./keys.ts";
import { runJoin, runLeave, runStatus } from "./scripts.ts";
import { ensureSeed, syncSettings } from "./settings.ts";
import { signAccessToken, signQueueToken } from "./tokens.ts";
import { publishWaitingRoomEvent } from "./events.ts";
import { openPrequeue } from "./admission.ts";

export const ZShowtimeRef = z.object({ showtimeId: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/) });

export type WaitingStatus =
  | { state: "READY"; showtimeId: string; accessToken: string; accessExpiresAt: Date }
  | {
      state: "WAITING";
      showtimeId: string;
      /** 1 = next in line. */
      position: number;
      ahead: number;
      queueSize: number;
      /** At the current admission rate; while paused, the wait is open-ended. */
      estimatedWaitMs: number;
      paused: boolean;
      pollIntervalMs: number;
      soldOut: boolean;
    }
  | {
      state: "PREQUEUED";
      showtimeId: string;
      prequeueSize: number;
      opensAt: Date;
      /** SHA-256 of the shuffle seed, fixed before opening. */
      commitment: string;
      pollIntervalMs: number;
      soldOut: boolean;
    }
  | { state: "NONE"; showtimeId: string };

export type JoinResult = WaitingStatus & { queueToken?: string };

type Deps = { db?: DbTx; redis?: RedisClient };

/**
 * Status polls a showtime's line may cost per second beyond those near the front. Far back, a fan's
 * interval stretches so a long line polls about this much in all (the 5,000-fan simulation spent most
 * of the web process on status polls), though never past half of the fan's own estimated wait nor past
 * 60 s (so lines beyond 6,000 poll more: every waiting fan once a minute; the live watch pushes changes).
 */
export const FAR_POLLS_PER_SECOND = 100;

/**
 * Admission runs at most one batch per tick and, once every shopper slot is taken, only as fast as
 * slots free up; assuming shoppers use their whole access window makes this an upper bound.
 */
export function estimateWait(
  ahead: number,
  s: { batch: number; intervalMs: number; maxActive: number; accessMs: number },
  queueSize: number = ahead + 1,
) {
  const perMs = Math.min(s.batch / s.intervalMs, s.maxActive / s.accessMs);
  const estimatedWaitMs = Math.max(s.intervalMs, Math.ceil((ahead + 1) / perMs));
  // Near the front, ask often; far back, less, so a surge of waiting fans does not become a surge of polls.
  const spread = Math.max(Math.round(estimatedWaitMs / 10), Math.round((queueSize * 1000) / FAR_POLLS_PER_SECOND));
  const ceiling = Math.max(3_000, Math.min(60_000, Math.round(estimatedWaitMs / 2)));
  const pollIntervalMs = ahead < s.batch * 2 ? 2_000 : Math.min(ceiling, Math.max(3_000, spread));
  return { estimatedWaitMs, pollIntervalMs };
}

async function readyStatus(showtimeId: string, userId: string, expiryMs: number): Promise<WaitingStatus> {
  const accessExpiresAt = new Date(expiryMs);
  return { state: "READY", showtimeId, accessToken: await signAccessToken({ userId, showtimeId, expiresAt: accessExpiresAt }), accessExpiresAt };
}

export async function getWaitingStatus(
  input: { showtimeId: string; userId: string },
  { db = prisma, redis = sharedRedis() }: Deps = {},
): Promise<WaitingStatus> {
  const { showtimeId } = ZShowtimeRef.parse(input);
  const keys = wrKeys(showtimeId);
  let reply = await runStatus(redis, keys, input.userId);
  if (reply[0] === "NO_SETTINGS") {
    await syncSettings(redis, showtimeId, db);
    reply = await runStatus(redis, keys, input.userId);
  }
  const [state, a = "0", b = 0, size = 0, soldOut = "0", batch = "1", intervalMs = "5000", opensAt = "0", maxActive = "1", accessMs = "900000", paused = "0"] =
    reply;
  if (state === "READY") return readyStatus(showtimeId, input.userId, Number(a));
  if (state === "WAITING") {
    const ahead = Number(b);
    return {
      state,
      showtimeId,
      position: ahead + 1,
      ahead,
      queueSize: Number(size),
      ...estimateWait(
        ahead,
        { batch: Number(batch), intervalMs: Number(intervalMs), maxActive: Number(maxActive), accessMs: Number(accessMs) },
        Number(size),
      ),
      paused: paused === "1",
      soldOut: soldOut === "1",
    };
  }
  if (state === "PREQUEUED") {
    const commitment = (await redis.hget(keys.settings, "commitment")) ?? (await ensureSeed(showtimeId, db)).commitment;
    return {
      state,
      showtimeId,
      prequeueSize: Number(size),
      opensAt: new Date(Number(opensAt)),
      commitment,
      pollIntervalMs: 5_000,
      soldOut: soldOut === "1",
    };
  }
  return { state: "NONE", showtimeId };
}

export async function joinWaitingRoom(
  input: { showtimeId: string; userId: string },
  { db = prisma, redis = sharedRedis() }: Deps = {},
): Promise<JoinResult> {
  const { showtimeId } = ZShowtimeRef.parse(input);
  const keys = wrKeys(showtimeId);
  // The hot path is one script; the database is read only when Redis has no settings for the showtime.
  let reply = await runJoin(redis, keys, input.userId);
  if (reply[0] === "NO_SETTINGS") {
    await syncSettings(redis, showtimeId, db);
    reply = await runJoin(redis, keys, input.userId);
  }
  switch (reply[0]) {
    case "NOT_FOUND":
      throw new AppError("NOT_FOUND", "We couldn't find that showtime.");
    case "CANCELLED":
      throw new AppError("NOT_ON_SALE", "This showtime was cancelled.");
    case "ENDED":
      throw new AppError("NOT_ON_SALE", "Sales for this showtime have ended.");
    case "TOO_EARLY": {
      const [opensAt, prequeueOpensAt] = await redis.hmget(keys.settings, "opensAt", "prequeueOpensAt");
      const opens = new Date(Number(opensAt));
      const lineOpens = new Date(Number(prequeueOpensAt));
      const utc = (d: Date) =>
        new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(d) + " UTC";
      throw new AppError("NOT_ON_SALE", `The waiting room opens at ${utc(lineOpens)}, before sales start at ${utc(opens)}.`, {
        opensAt: opens.toISOString(),
        prequeueOpensAt: lineOpens.toISOString(),
      });
    }
    case "QUEUE_FULL":
      throw new AppError("QUEUE_FULL", "The waiting room is full right now. Please try again in a few minutes.");
    case "READY":
      return readyStatus(showtimeId, input.userId, Number(reply[1]));
    case "WAITING":
    case "PREQUEUED": {
      // Sales have opened but no tick has placed the pre-queue yet: place it now, so this fan's first
      // position is already behind everyone who waited for opening.
      if (reply[0] === "WAITING" && reply[3] !== "1") await openPrequeue(showtimeId, { db, redis });
      const status = await getWaitingStatus(input, { db, redis });
      const score = Number(reply[1]);
      const seq = score >= ARRIVAL_SCORE_OFFSET ? score - ARRIVAL_SCORE_OFFSET : score;
      return { ...status, queueToken: await signQueueToken({ userId: input.userId, showtimeId, seq }) };
    }
    default:
      throw new Error(`unexpected join reply ${String(reply[0])}`);
  }
}

export async function leaveWaitingRoom(
  input: { showtimeId: string; userId: string },
  { redis = sharedRedis() }: Deps = {},
): Promise<{ left: boolean }> {
  const { showtimeId } = ZShowtimeRef.parse(input);
  const removed = await runLeave(redis, wrKeys(showtimeId), input.userId);
  if (removed > 0) await publishWaitingRoomEvent(redis, showtimeId, { type: "left", at: Date.now() });
  return { left: removed > 0 };
}

/** Ends a fan's access (after payment, or by an admin); the gate refuses their token from then on. */
export async function revokeAccess(showtimeId: string, userId: string, { redis = sharedRedis() }: Deps = {}) {
  await redis.zrem(wrKeys(showtimeId).active, userId);
}

export type FairnessProof = {
  showtimeId: string;
  commitment: string;
  /** Revealed only once the sale has opened. */
  seed: string | null;
  opened: boolean;
  /** Every pre-queue entry (hashes, not account ids), sorted by id; the order follows from seed + entries. */
  entries: string[];
  yourEntry: string | null;
  yourDraw: string | null;
  yourPlace: number | null;
  algorithm: string;
};

export async function getFairnessProof(
  input: { showtimeId: string; userId: string },
  { db = prisma, redis = sharedRedis() }: Deps = {},
): Promise<FairnessProof> {
  const { showtimeId } = ZShowtimeRef.parse(input);
  const { seed, commitment } = await ensureSeed(showtimeId, db);
  const keys = wrKeys(showtimeId);
  const [opened, members] = await Promise.all([redis.hget(keys.meta, "opened"), redis.zrange(keys.prequeue, 0, -1)]);
  const entries = members.map((m) => entryIdOf(m, showtimeId)).sort();
  const isOpen = opened === "1";
  const mine = members.includes(input.userId) ? entryIdOf(input.userId, showtimeId) : null;
  const place = isOpen && mine ? shuffleEntries(seed, entries).indexOf(mine) + 1 : null;
  return {
    showtimeId,
    commitment,
    seed: isOpen ? seed : null,
    opened: isOpen,
    entries,
    yourEntry: mine,
    yourDraw: isOpen && mine ? drawOf(seed, mine) : null,
    yourPlace: place,
    algorithm:
      "commitment = sha256(seed); entry = first 32 hex of sha256('onsale-prequeue:' + showtimeId + ':' + userId); " +
      "draw = sha256(seed + ':' + entry); places 1..P go to entries in ascending order of draw (hex string order).",
  };
}
