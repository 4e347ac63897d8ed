// Redis keys of one showtime's waiting room, hash-tagged so they share a Redis Cluster slot.
import { key } from "../../redis.ts";

export function wrKeys(showtimeId: string) {
  const k = (part: string) => key("wr", `{${showtimeId}}`, part);
  return {
    /** hash: the settings the scripts read (mirrored from the Showtime row). */
    settings: k("settings"),
    /** zset: user id → place score (pre-queue places 1..P, later arrivals OFFSET + sequence). */
    waiting: k("waiting"),
    /** zset: user id → access expiry (ms). */
    active: k("active"),
    /** zset: admitted user id → when they last did something gated (ms): admission, the seat map, a hold. */
    touched: k("touched"),
    /** hash: admitted user id → the place score they were admitted from, to give back after an idle release. */
    admitted: k("admitted"),
    /** hash: user id released for idling → the place score they may take back, or "0" once that was used. */
    released: k("released"),
    /** set: fans who took their place back once in this life of the line. */
    reclaimed: k("reclaimed"),
    /** zset: user id → arrival sequence, for fans who joined before the sale opened (a fan who leaves is removed). */
    prequeue: k("prequeue"),
    /** zset: user id → the place the draw gave them, written once at opening and never changed (the proof). */
    drawn: k("drawn"),
    /** counter: arrival sequence; each life of the line in Redis starts it at the Redis clock (meta.base). */
    seq: k("seq"),
    /** hash: opened (pre-queue shuffled in), soldOut, closed, base (where this life's arrival sequence started). */
    meta: k("meta"),
    /** set: every fan given a place (or access) in this life of the line; the others' places were lost. */
    seen: k("seen"),
    /** stream: every admission, for the live view and for tests that count them. */
    admissions: k("admissions"),
    /** pub/sub channel: position-changing events. */
    events: k("events"),
  };
}

export type WrKeys = ReturnType<typeof wrKeys>;

/** Scores of fans who join after opening start here, so every pre-queue place (1..P) comes first. */
export const ARRIVAL_SCORE_OFFSET = 1_000_000_000;
