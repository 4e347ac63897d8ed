// Rate limits per class of call, counted in Redis per user and per IP (and per partner key), so every
// web process shares one count. A fixed window per subject: the first call opens it, it lasts one minute.
import { key, redis as sharedRedis, type RedisClient } from "../../redis.ts";
import { AppError } from "../errors.ts";
import { env } from "../../env.ts";
import { limitsFrom, WINDOW_MS, type RateClass, type RateLimits } from "./limits.ts";

/** The limits in force, parsed once (the environment does not change while the process runs). */
let limitsInForce: RateLimits | undefined;
export function rateLimits(): RateLimits {
  limitsInForce ??= limitsFrom(env().RATE_LIMITS);
  return limitsInForce;
}

// One round trip per subject: count this call and read how long the window has left.
const COUNT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) ttl = tonumber(ARGV[1]) end
return {n, ttl}`;

export type RateState = { limit: number; remaining: number; resetAt: number };

export type Subject = { kind: "user" | "ip" | "key"; id: string; limit: number };

/**
 * Counts one call against every subject and answers the tightest state. Over any limit: RATE_LIMITED
 * (the caller must then do nothing). `now` only shapes the answer; Redis keeps the windows.
 */
export async function takeRateLimit(
  cls: RateClass,
  subjects: Subject[],
  { redis = sharedRedis(), now = Date.now(), windowMs = WINDOW_MS }: { redis?: RedisClient; now?: number; windowMs?: number } = {},
): Promise<RateState> {
  const states = await Promise.all(
    subjects.map(async (s) => {
      const [count, ttl] = (await redis.eval(COUNT, 1, key("rl", cls, s.kind, s.id), String(windowMs))) as [number, number];
      return { limit: s.limit, remaining: Math.max(0, s.limit - count), resetAt: now + ttl, over: count > s.limit };
    }),
  );
  const tightest = states.reduce((a, b) => (b.over && !a.over ? b : a.over && !b.over ? a : b.remaining < a.remaining ? b : a));
  const state = { limit: tightest.limit, remaining: tightest.remaining, resetAt: tightest.resetAt };
  if (tightest.over) {
    const retryAfterSeconds = Math.max(1, Math.ceil((tightest.resetAt - now) / 1000));
    throw new AppError("RATE_LIMITED", `Too many requests. Please wait ${retryAfterSeconds} seconds and try again.`, {
      ...state,
      retryAfterSeconds,
      class: cls,
    });
  }
  return state;
}

// Gives one call back, never below zero, to windows still open.
const GIVE_BACK = `
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n > 0 then redis.call('DECR', KEYS[1]) end
return 0`;

/**
 * Gives back the call `takeRateLimit` counted against each subject, for classes where only failures
 * should add up (a correct password is not guessing).
 */
export async function giveBackRateLimit(cls: RateClass, subjects: Subject[], { redis = sharedRedis() }: { redis?: RedisClient } = {}) {
  await Promise.all(subjects.map((s) => redis.eval(GIVE_BACK, 1, key("rl", cls, s.kind, s.id))));
}
