// What a fan does in a waiting room: join, ask where they stand, leave; and the pre-queue proof.
import { decodeJwt } from "jose";
import { z } from "zod";
import { prisma, type DbTx } from "../../db.ts";
import { log } from "../../log.ts";
import { redis as sharedRedis, type RedisClient } from "../../redis.ts";
import { AppError, outageOf } from "../errors.ts";
import { drawOf, entryIdOf, shuffleEntries } from "./fairness.ts";
import { ARRIVAL_SCORE_OFFSET, wrKeys, type WrKeys } from "./keys.ts";
import { runJoin, runLeave, runReclaim, runStatus, type LineFacts } from "./scripts.ts";
import { ensureSeed, syncSettings } from "./settings.ts";
import { signAccessToken, signQueueToken, verifyWaitingRoomToken } from "./tokens.ts";
import { publishWaitingRoomEvent } from "./events.ts";
import { openPrequeue } from "./admission.ts";
import { assertPresaleEligible } from "../presale/presale.ts";
import { ZId } from "../ids.ts";

export const ZShowtimeRef = z.strictObject({ showtimeId: ZId });

/**
 * Join and status also take the fan's last queue token (from an earlier join), so a place that Redis lost
 * (restarted empty) can be given back: see `restorableSeq`. Without one, or with one that does not
 * qualify, a join is an ordinary join.
 */
export const ZQueueRef = ZShowtimeRef.extend({ queueToken: z.string().trim().min(1).max(2048).optional() });
export type TQueueRef = z.infer<typeof ZQueueRef>;

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
      /** The organiser's words while paused, if they gave any. */
      pauseNote: string | null;
      pollIntervalMs: number;
      /** No seat can be sold right now; held ones may come back. */
      soldOut: boolean;
      /** Every seat is sold: the line takes no one new, and waiting may bring nothing. */
      closed: boolean;
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
      closed: boolean;
    }
  | {
      state: "NONE";
      showtimeId: string;
      /**
       * The queue token sent with the call names a place this line lost (Redis restarted empty): joining
       * again with it gives that place back. Absent when the fan left or was admitted in this life of the line.
       */
      placeLost?: boolean;
      /**
       * Admitted, the fan did nothing on the seat map for the showtime's idle time with no seats held, and
       * the turn went to the next fan. `reclaimable`: they may take their place back once (`reclaim`).
       */
      released?: { reclaimable: boolean };
    };

export type JoinResult = WaitingStatus & { queueToken?: string; restored?: boolean };

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
  return {
    state: "READY",
    showtimeId,
    accessToken: await signAccessToken({ userId, showtimeId, expiresAt: accessExpiresAt }),
    accessExpiresAt,
  };
}

/**
 * The sequence of a queue token that may give its fan back a place this line lost, or undefined. The token
 * must be valid, a queue token, this fan's and this showtime's; the fan must not have been given a place
 * in the line's present life (`seen`: then their absence is the truth: they left, or were admitted and
 * their access ran out or was revoked after payment); and they must not have held seats of the showtime
 * since the token was issued (their turn came and was used, even if Redis forgot it). The join script
 * makes the final call atomically (see scripts.ts).
 */
async function restorableSeq(
  input: { showtimeId: string; userId: string; queueToken?: string },
  keys: WrKeys,
  { db, redis }: { db: DbTx; redis: RedisClient },
): Promise<number | undefined> {
  if (!input.queueToken) return undefined;
  const token = await verifyWaitingRoomToken(input.queueToken);
  if (!token.ok || token.type !== "queue" || token.userId !== input.userId || token.showtimeId !== input.showtimeId) return undefined;
  const seq = token.seq;
  if (seq === undefined || !Number.isSafeInteger(seq) || seq < 1) return undefined;
  if ((await redis.sismember(keys.seen, input.userId)) === 1) return undefined;
  const issuedAt = decodeJwt(input.queueToken).iat ?? 0;
  const used = await db.hold.findFirst({
    where: { userId: input.userId, showtimeId: input.showtimeId, createdAt: { gte: new Date(issuedAt * 1000) } },
    select: { id: true },
  });
  return used ? undefined : seq;
}

/** Whether this life of the line gives lost places back: it began after an empty start (or has not begun). */
async function restoresPlaces(keys: WrKeys, redis: RedisClient): Promise<boolean> {
  const [seqExists, hasBase] = await Promise.all([redis.exists(keys.seq), redis.hexists(keys.meta, "base")]);
  return seqExists === 0 || hasBase === 1;
}

export async function getWaitingStatus(
  input: { showtimeId: string; userId: string; queueToken?: string },
  { db = prisma(), redis = sharedRedis() }: Deps = {},
): Promise<WaitingStatus> {
  const { showtimeId } = ZShowtimeRef.parse({ showtimeId: input.showtimeId });
  const keys = wrKeys(showtimeId);
  let reply = await runStatus(redis, keys, input.userId);
  if (reply[0] === "NO_SETTINGS") {
    await syncSettings(redis, showtimeId, db);
    reply = await runStatus(redis, keys, input.userId);
  }
  const [state, a = "0", b = 0, ...facts] = reply;
  if (state === "READY") return readyStatus(showtimeId, input.userId, Number(a));
  if (state === "WAITING" || state === "PREQUEUED") return placeStatus(state, showtimeId, Number(b), facts, db);
  const released = await redis.hget(keys.released, input.userId);
  if (released !== null) return { state: "NONE", showtimeId, released: { reclaimable: released !== "0" } };
  if (
    input.queueToken &&
    (await restorableSeq({ ...input, showtimeId }, keys, { db, redis })) !== undefined &&
    (await restoresPlaces(keys, redis))
  ) {
    return { state: "NONE", showtimeId, placeLost: true };
  }
  return { state: "NONE", showtimeId };
}

/** A waiting or pre-queued fan's status, from their rank and the line's facts (scripts.ts, LINE_FACTS). */
async function placeStatus(
  state: "WAITING" | "PREQUEUED",
  showtimeId: string,
  ahead: number,
  facts: Partial<LineFacts>,
  db: DbTx,
): Promise<WaitingStatus> {
  const [
    size = 0,
    soldOut = "0",
    batch = "1",
    intervalMs = "5000",
    opensAt = "0",
    maxActive = "1",
    accessMs = "900000",
    paused = "0",
    commitment = "",
    closed = "0",
    pauseNote = "",
  ] = facts;
  if (state === "PREQUEUED") {
    return {
      state,
      showtimeId,
      prequeueSize: Number(size),
      opensAt: new Date(Number(opensAt)),
      commitment: commitment || (await ensureSeed(showtimeId, db)).commitment,
      pollIntervalMs: 5_000,
      soldOut: soldOut === "1",
      closed: closed === "1",
    };
  }
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
    pauseNote: paused === "1" && pauseNote ? pauseNote : null,
    soldOut: soldOut === "1",
    closed: closed === "1",
  };
}

export async function joinWaitingRoom(
  input: { showtimeId: string; userId: string; queueToken?: string },
  { db = prisma(), redis = sharedRedis() }: Deps = {},
): Promise<JoinResult> {
  const { showtimeId } = ZShowtimeRef.parse({ showtimeId: input.showtimeId });
  const keys = wrKeys(showtimeId);
  // The hot path is one script, whose reply holds the fan's whole status (plus one SISMEMBER with a token);
  // the database is read only when Redis has no settings for the showtime, or to check a token that may
  // give back a lost place.
  const restoreSeq = await restorableSeq({ ...input, showtimeId }, keys, { db, redis });
  let reply = await runJoin(redis, keys, input.userId, restoreSeq);
  if (reply[0] === "NO_SETTINGS") {
    await syncSettings(redis, showtimeId, db);
    reply = await runJoin(redis, keys, input.userId, restoreSeq);
  }
  if (reply[0] === "PRESALE") {
    await assertPresaleEligible(showtimeId, input.userId, { db });
    reply = await runJoin(redis, keys, input.userId, restoreSeq, true);
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
    case "SOLD_OUT":
      throw new AppError("NOT_ON_SALE", "This showtime is sold out: every seat has been sold, so the waiting room is closed.", {
        soldOut: true,
      });
    case "READY":
      return readyStatus(showtimeId, input.userId, Number(reply[1]));
    case "WAITING":
    case "PREQUEUED": {
      const [state, score, rank = 0, opened, restoredFlag, ...facts] = reply;
      const restored = restoredFlag === "1";
      if (restored) log.info({ showtimeId, userId: input.userId, score }, "waiting-room place given back after Redis lost it");
      // Sales have opened but no tick has placed the pre-queue yet: place it now, so this fan's first
      // position is already behind everyone who waited for opening (and read where that leaves them).
      const status =
        state === "WAITING" && opened !== "1"
          ? (await openPrequeue(showtimeId, { db, redis }), await getWaitingStatus({ showtimeId, userId: input.userId }, { db, redis }))
          : await placeStatus(state, showtimeId, Number(rank), facts, db);
      const seqScore = Number(score);
      const seq = seqScore >= ARRIVAL_SCORE_OFFSET ? seqScore - ARRIVAL_SCORE_OFFSET : seqScore;
      return { ...status, queueToken: await signQueueToken({ userId: input.userId, showtimeId, seq }), ...(restored ? { restored } : {}) };
    }
    default:
      throw new Error(`unexpected join reply ${String(reply[0])}`);
  }
}

/**
 * A fan released for idling takes their turn back, once: they go back in line at the place they were
 * admitted from, ahead of everyone who arrived after them, and are admitted again by the next ticks. A
 * fan who is still admitted gets their access as it is.
 */
export async function reclaimPlace(
  input: { showtimeId: string; userId: string },
  { db = prisma(), redis = sharedRedis() }: Deps = {},
): Promise<JoinResult> {
  const { showtimeId } = ZShowtimeRef.parse({ showtimeId: input.showtimeId });
  const reply = await runReclaim(redis, wrKeys(showtimeId), input.userId);
  switch (reply[0]) {
    case "READY":
      return readyStatus(showtimeId, input.userId, Number(reply[1]));
    case "USED":
      throw new AppError("CONFLICT", "You already took your turn back once. Join the waiting room again to get back in.");
    case "NONE":
      throw new AppError("CONFLICT", "There is no turn of yours to take back. Join the waiting room to get in.");
    case "WAITING": {
      const seqScore = Number(reply[1]);
      const seq = seqScore >= ARRIVAL_SCORE_OFFSET ? seqScore - ARRIVAL_SCORE_OFFSET : seqScore;
      log.info({ showtimeId, userId: input.userId, score: reply[1] }, "waiting-room turn taken back after an idle release");
      await publishWaitingRoomEvent(redis, showtimeId, { type: "reclaimed", at: Date.now() });
      const status = await getWaitingStatus({ showtimeId, userId: input.userId }, { db, redis });
      return { ...status, queueToken: await signQueueToken({ userId: input.userId, showtimeId, seq }) };
    }
  }
}

export async function leaveWaitingRoom(
  input: { showtimeId: string; userId: string },
  { redis = sharedRedis() }: Deps = {},
): Promise<{ left: boolean }> {
  const { showtimeId } = ZShowtimeRef.parse({ showtimeId: input.showtimeId });
  const removed = await runLeave(redis, wrKeys(showtimeId), input.userId);
  if (removed > 0) await publishWaitingRoomEvent(redis, showtimeId, { type: "left", at: Date.now() });
  return { left: removed > 0 };
}

/** How long a revocation that Redis could not take is tried again in the background. */
const REVOKE_RETRY_MS = 30 * 60_000;

/**
 * Ends a fan's access (after payment, or by an admin); the gate refuses their token from then on. It runs
 * after the payment committed, so an outage must not turn the payment into an error: the revocation is
 * then retried in the background (every few seconds, for up to 30 minutes, longer than any access window)
 * until Redis takes it. A Redis that restarted empty has no access left to revoke anyway.
 */
export async function revokeAccess(showtimeId: string, userId: string, { redis = sharedRedis() }: Deps = {}): Promise<boolean> {
  const active = wrKeys(showtimeId).active;
  try {
    await redis.zrem(active, userId);
    return true;
  } catch (err) {
    if (!outageOf(err)) throw err;
    log.warn({ showtimeId, userId, err: (err as Error).message }, "access not revoked yet (Redis unreachable); retrying in the background");
    const giveUpAt = Date.now() + REVOKE_RETRY_MS;
    const retry = () => {
      redis.zrem(active, userId).then(
        () => log.info({ showtimeId, userId }, "access revoked after Redis came back"),
        () => {
          if (Date.now() < giveUpAt) setTimeout(retry, 5_000).unref();
          else log.error({ showtimeId, userId }, "gave up revoking access: Redis stayed unreachable");
        },
      );
    };
    setTimeout(retry, 1_000).unref();
    return false;
  }
}

export type FairnessProof = {
  showtimeId: string;
  commitment: string;
  /** Revealed only once the sale has opened. */
  seed: string | null;
  opened: boolean;
  /**
   * Every pre-queue entry (hashes, not account ids), sorted by id; the order follows from seed + entries.
   * Once opened, the entries of the draw as it was made, including fans who left the line since.
   */
  entries: string[];
  /** Entries of the draw whose fans left the line after it (their places went unused), sorted by id. */
  left: string[];
  yourEntry: string | null;
  yourDraw: string | null;
  yourPlace: number | null;
  algorithm: string;
};

export async function getFairnessProof(
  input: { showtimeId: string; userId: string },
  { db = prisma(), redis = sharedRedis() }: Deps = {},
): Promise<FairnessProof> {
  const { showtimeId } = ZShowtimeRef.parse({ showtimeId: input.showtimeId });
  const { seed, commitment } = await ensureSeed(showtimeId, db);
  const keys = wrKeys(showtimeId);
  const [opened, queued, drawn] = await Promise.all([
    redis.hget(keys.meta, "opened"),
    redis.zrange(keys.prequeue, 0, -1),
    redis.zrange(keys.drawn, 0, -1),
  ]);
  const isOpen = opened === "1";
  // Once opened, the draw as it was made (lines opened before it was recorded: the pre-queue as it is).
  const members = isOpen && drawn.length > 0 ? drawn : queued;
  const stillQueued = new Set(queued);
  const entries = members.map((m) => entryIdOf(m, showtimeId)).sort();
  const left = members
    .filter((m) => !stillQueued.has(m))
    .map((m) => entryIdOf(m, showtimeId))
    .sort();
  const mine = members.includes(input.userId) ? entryIdOf(input.userId, showtimeId) : null;
  const place = isOpen && mine ? shuffleEntries(seed, entries).indexOf(mine) + 1 : null;
  return {
    showtimeId,
    commitment,
    seed: isOpen ? seed : null,
    opened: isOpen,
    entries,
    left,
    yourEntry: mine,
    yourDraw: isOpen && mine ? drawOf(seed, mine) : null,
    yourPlace: place,
    algorithm:
      "commitment = sha256(seed); entry = first 32 hex of sha256('onsale-prequeue:' + showtimeId + ':' + userId); " +
      "draw = sha256(seed + ':' + entry); places 1..P go to entries in ascending order of draw (hex string order).",
  };
}
