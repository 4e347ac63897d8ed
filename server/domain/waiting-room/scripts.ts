// The waiting room's atomic steps, as Lua run inside Redis. Time comes from Redis (TIME), so every web
// and worker process agrees on it. All keys of one call share the showtime's hash tag.
import type { RedisClient } from "../../redis.ts";
import { ARRIVAL_SCORE_OFFSET, type WrKeys } from "./keys.ts";

const NOW_MS = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/**
 * The facts a fan's status is made of, beyond their own place (Lua, given the settings, line, pre-queue and
 * meta keys): {size, soldOut, batch, intervalMs, opensAt, maxActive, accessMs, paused, commitment, closed,
 * pauseNote}; size is the pre-queue's for a pre-queued fan, else the line's. soldOut: no seat can be sold
 * right now (some may come back); closed: every seat is sold (admission.ts keeps both in meta).
 */
const LINE_FACTS = `
local function lineFacts(settingsKey, waitingKey, prequeueKey, metaKey, prequeued)
  local s = redis.call('HMGET', settingsKey, 'batch', 'intervalMs', 'opensAt', 'maxActive', 'accessMs', 'paused', 'commitment', 'pauseNote')
  local m = redis.call('HMGET', metaKey, 'soldOut', 'closed')
  local size
  if prequeued then size = redis.call('ZCARD', prequeueKey) else size = redis.call('ZCARD', waitingKey) end
  return {size, m[1] or '0', s[1], s[2], s[3], s[4], s[5], s[6], s[7] or '', m[2] or '0', s[8] or ''}
end
local function withFacts(reply, facts)
  for i = 1, #facts do reply[#reply + 1] = facts[i] end
  return reply
end
`;

/**
 * join: KEYS settings, waiting, active, prequeue, seq, meta, seen; ARGV userId, restoreSeq ('' for none).
 * Returns {state, a, b, c, d, ...LINE_FACTS}: READY expiry | WAITING score rank opened restored ...facts |
 * PREQUEUED seq 0 '0' restored ...facts | TOO_EARLY | QUEUE_FULL | SOLD_OUT | ENDED | CANCELLED | NOT_FOUND |
 * NO_SETTINGS. A place comes with the facts of its status, so a join is one round trip. Once every seat is
 * sold (meta.closed), the line takes no one new; fans already in it keep their places, and so does a fan
 * whose place a lost line is giving back.
 *
 * A line's state may be lost (Redis restarted empty). Its next life starts the arrival counter at the Redis
 * clock in ms (meta.base), above every sequence the lost life handed out, so fans coming back with their
 * signed queue token (restoreSeq, checked by the caller) can be put back at their old place ahead of every
 * newcomer: a fan absent from the line and not in `seen` (nobody gave them a place in this life) had theirs
 * lost. One restore per fan and life; a fan who left, or whose access ran out, in this life is in `seen`
 * and queues again at the back. Lines older than this rule (seq without meta.base) never restore.
 */
const JOIN = `${NOW_MS}${LINE_FACTS}
local user = ARGV[1]
local function waiting(a, b, opened, restored)
  return withFacts({'WAITING', a, b, opened, restored}, lineFacts(KEYS[1], KEYS[2], KEYS[4], KEYS[6], false))
end
local function prequeued(a, restored)
  return withFacts({'PREQUEUED', a, 0, '0', restored}, lineFacts(KEYS[1], KEYS[2], KEYS[4], KEYS[6], true))
end
local restoreSeq = tonumber(ARGV[2])
local s = redis.call('HMGET', KEYS[1], 'enabled', 'maxQueue', 'accessMs', 'opensAt', 'prequeueOpensAt', 'state', 'closesAt', 'presaleUntil')
if not s[1] or not s[8] then return {'NO_SETTINGS'} end
if s[6] == 'CANCELLED' then return {'CANCELLED'} end
if s[6] ~= 'PUBLISHED' then return {'NOT_FOUND'} end
if now >= tonumber(s[7]) then return {'ENDED'} end
local exp = redis.call('ZSCORE', KEYS[3], user)
if exp then
  if tonumber(exp) > now then return {'READY', exp} end
  redis.call('ZREM', KEYS[3], user) -- access ran out: a new join queues again at the back
end
-- Presale: a fan not yet in line comes in only once the caller has checked their eligibility (ARGV[3]).
if ARGV[3] ~= '1' and now < tonumber(s[8]) and not redis.call('ZSCORE', KEYS[2], user) and not redis.call('ZSCORE', KEYS[4], user) then
  return {'PRESALE'}
end
if s[1] == '0' then
  local e = now + tonumber(s[3])
  redis.call('ZADD', KEYS[3], e, user)
  redis.call('SADD', KEYS[7], user)
  return {'READY', tostring(e)}
end
local opened = redis.call('HGET', KEYS[6], 'opened') or '0'
local score = redis.call('ZSCORE', KEYS[2], user)
if score then return waiting(score, redis.call('ZRANK', KEYS[2], user), opened, '0') end
local pre = redis.call('ZSCORE', KEYS[4], user)
if pre then return prequeued(pre, '0') end
if redis.call('EXISTS', KEYS[5]) == 0 then
  redis.call('SET', KEYS[5], now)
  redis.call('HSET', KEYS[6], 'base', now)
end
local restore = restoreSeq ~= nil and redis.call('HEXISTS', KEYS[6], 'base') == 1 and redis.call('SISMEMBER', KEYS[7], user) == 0
-- Sold out for good: no one new, but a fan whose place the line lost gets it back like everyone in line.
if not restore and redis.call('HGET', KEYS[6], 'closed') == '1' then return {'SOLD_OUT'} end
if restore and restoreSeq > tonumber(redis.call('GET', KEYS[5])) then redis.call('SET', KEYS[5], restoreSeq) end
local maxQueue = tonumber(s[2])
if opened ~= '1' and now < tonumber(s[4]) then
  if now < tonumber(s[5]) then return {'TOO_EARLY'} end
  if restore then
    redis.call('ZADD', KEYS[4], restoreSeq, user)
    redis.call('SADD', KEYS[7], user)
    return prequeued(string.format('%.0f', restoreSeq), '1')
  end
  if redis.call('ZCARD', KEYS[4]) >= maxQueue then return {'QUEUE_FULL'} end
  local seq = redis.call('INCR', KEYS[5])
  redis.call('ZADD', KEYS[4], seq, user)
  redis.call('SADD', KEYS[7], user)
  return prequeued(string.format('%.0f', seq), '0')
end
if restore then
  -- A place from the shuffled pre-queue (1..P) or an arrival (OFFSET + seq), as the token was signed.
  local sc = restoreSeq
  if restoreSeq < ${ARRIVAL_SCORE_OFFSET} then sc = restoreSeq else sc = ${ARRIVAL_SCORE_OFFSET} + restoreSeq end
  redis.call('ZADD', KEYS[2], sc, user)
  redis.call('SADD', KEYS[7], user)
  return waiting(string.format('%.0f', sc), redis.call('ZRANK', KEYS[2], user), opened, '1')
end
if redis.call('ZCARD', KEYS[2]) >= maxQueue then return {'QUEUE_FULL'} end
local seq = redis.call('INCR', KEYS[5])
local sc = ${ARRIVAL_SCORE_OFFSET} + seq
redis.call('ZADD', KEYS[2], sc, user)
redis.call('SADD', KEYS[7], user)
return waiting(string.format('%.0f', sc), redis.call('ZRANK', KEYS[2], user), opened, '0')
`;

/**
 * status: KEYS settings, waiting, active, prequeue, meta; ARGV userId.
 * Returns {state, a, b, ...LINE_FACTS}, where state/a/b are READY expiry | WAITING score rank | PREQUEUED
 * seq | NONE; or {NO_SETTINGS}.
 */
const STATUS = `${NOW_MS}${LINE_FACTS}
local user = ARGV[1]
if not redis.call('HGET', KEYS[1], 'batch') then return {'NO_SETTINGS'} end
local state, a, b = 'NONE', '0', 0
local exp = redis.call('ZSCORE', KEYS[3], user)
local score = redis.call('ZSCORE', KEYS[2], user)
local pre = redis.call('ZSCORE', KEYS[4], user)
if exp and tonumber(exp) > now then state, a = 'READY', exp
elseif score then state, a, b = 'WAITING', score, redis.call('ZRANK', KEYS[2], user)
elseif pre then state, a = 'PREQUEUED', pre
end
return withFacts({state, a, b}, lineFacts(KEYS[1], KEYS[2], KEYS[4], KEYS[5], state == 'PREQUEUED'))
`;

/**
 * admit: KEYS settings, waiting, active, admissions, touched, admitted; ARGV stock (seats neither sold nor
 * held). Drops expired access, then moves min(batch, maxActive - active, floor(stock × factor) - active)
 * fans from the head of the line to active, each marked as active now and with their place kept (for an
 * idle release's give-back). Returns {admitted, activeAfter, waitingAfter}.
 */
const ADMIT = `${NOW_MS}
local s = redis.call('HMGET', KEYS[1], 'batch', 'maxActive', 'accessMs', 'paused', 'stockFactor', 'enabled')
if not s[1] then return {0, 0, 0} end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
local active = redis.call('ZCARD', KEYS[3])
if s[4] == '1' then return {0, active, redis.call('ZCARD', KEYS[2])} end
local stockCap = math.floor(tonumber(ARGV[1]) * tonumber(s[5]))
local n = math.min(tonumber(s[1]), tonumber(s[2]) - active, stockCap - active)
if n <= 0 then return {0, active, redis.call('ZCARD', KEYS[2])} end
local popped = redis.call('ZPOPMIN', KEYS[2], n)
local expiry = now + tonumber(s[3])
local count = 0
for i = 1, #popped, 2 do
  redis.call('ZADD', KEYS[3], expiry, popped[i])
  redis.call('ZADD', KEYS[5], now, popped[i])
  redis.call('HSET', KEYS[6], popped[i], popped[i + 1])
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', 100000, '*', 'user', popped[i], 'score', popped[i + 1])
  count = count + 1
end
return {count, active + count, redis.call('ZCARD', KEYS[2])}
`;

/**
 * open: KEYS prequeue, waiting, meta, drawn; ARGV userId1, userId2, ... in their shuffled order.
 * Once only: gives the pre-queue places 1..P ahead of everyone who arrived after opening, and records the
 * draw as made (drawn), which leaving the line later does not change.
 */
const OPEN = `
if redis.call('HGET', KEYS[3], 'opened') == '1' then return 0 end
if redis.call('ZCARD', KEYS[1]) ~= #ARGV then return -1 end -- the caller read a stale pre-queue
for i = 1, #ARGV do
  if redis.call('ZSCORE', KEYS[1], ARGV[i]) then
    redis.call('ZADD', KEYS[2], 'NX', i, ARGV[i])
    redis.call('ZADD', KEYS[4], i, ARGV[i])
  end
end
redis.call('HSET', KEYS[3], 'opened', '1', 'prequeueSize', #ARGV)
return #ARGV
`;

/**
 * leave: KEYS waiting, active, prequeue, touched, admitted, released; ARGV userId. Returns how many places
 * (waiting, active, pre-queued) were removed; a place kept after an idle release is given up too.
 */
const LEAVE = `
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('HDEL', KEYS[5], ARGV[1])
redis.call('HDEL', KEYS[6], ARGV[1])
return redis.call('ZREM', KEYS[1], ARGV[1]) + redis.call('ZREM', KEYS[2], ARGV[1]) + redis.call('ZREM', KEYS[3], ARGV[1])
`;

/**
 * gate: KEYS settings, active, touched, released; ARGV userId. An admitted fan is marked active now.
 * Returns {ACTIVE, expiry, idleMs} | {RELEASED, score or '0'} | {NONE}.
 */
const GATE = `${NOW_MS}
local exp = redis.call('ZSCORE', KEYS[2], ARGV[1])
if exp and tonumber(exp) > now then
  redis.call('ZADD', KEYS[3], 'XX', now, ARGV[1])
  return {'ACTIVE', exp, redis.call('HGET', KEYS[1], 'idleMs') or '0'}
end
local r = redis.call('HGET', KEYS[4], ARGV[1])
if r then return {'RELEASED', r} end
return {'NONE'}
`;

/**
 * idle: KEYS settings, active, touched, admitted. The admitted fans who have done nothing gated for the
 * showtime's idle time (at most 1,000 a call), to be checked for holds before release. Entries of fans
 * whose access has ended (expired, revoked after payment) are dropped on the way; with idle release off
 * (idleMs 0), that is all it does, for entries older than the access window.
 */
const IDLE = `${NOW_MS}
local s = redis.call('HMGET', KEYS[1], 'idleMs', 'accessMs')
local idle = tonumber(s[1] or '0')
local horizon = idle
if idle <= 0 then horizon = tonumber(s[2] or '0') end
local out = {}
for _, u in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now - horizon, 'LIMIT', 0, 1000)) do
  local exp = redis.call('ZSCORE', KEYS[2], u)
  if exp and tonumber(exp) > now then
    if idle > 0 then out[#out + 1] = u end
  else
    redis.call('ZREM', KEYS[3], u)
    redis.call('HDEL', KEYS[4], u)
  end
end
return out
`;

/**
 * release: KEYS settings, active, touched, admitted, released, reclaimed; ARGV holders, then the holders'
 * user ids, then candidates. Holders (fans who hold seats) count as active now. A candidate still idle
 * (touched at or before now - idleMs: a gated call since the scan, such as taking a hold, saves them) and
 * still admitted gives up the slot; their place is kept to take back once. Returns the released ids.
 */
const RELEASE = `${NOW_MS}
local idle = tonumber(redis.call('HGET', KEYS[1], 'idleMs') or '0')
if idle <= 0 then return {} end
local holders = tonumber(ARGV[1])
for i = 2, holders + 1 do redis.call('ZADD', KEYS[3], 'XX', now, ARGV[i]) end
local out = {}
for i = holders + 2, #ARGV do
  local u = ARGV[i]
  local t = redis.call('ZSCORE', KEYS[3], u)
  local exp = redis.call('ZSCORE', KEYS[2], u)
  if t and tonumber(t) <= now - idle and exp and tonumber(exp) > now then
    redis.call('ZREM', KEYS[2], u)
    redis.call('ZREM', KEYS[3], u)
    local score = redis.call('HGET', KEYS[4], u)
    redis.call('HDEL', KEYS[4], u)
    if score and redis.call('SISMEMBER', KEYS[6], u) == 0 then
      redis.call('HSET', KEYS[5], u, score)
    else
      redis.call('HSET', KEYS[5], u, '0')
    end
    out[#out + 1] = u
  end
end
return out
`;

/**
 * reclaim: KEYS active, waiting, released, reclaimed, seen; ARGV userId. A fan released for idling takes
 * their place back, once: the score they were admitted from, ahead of everyone who arrived after them.
 * Returns {READY, expiry} | {WAITING, score, rank} | {USED} | {NONE}.
 */
const RECLAIM = `${NOW_MS}
local user = ARGV[1]
local exp = redis.call('ZSCORE', KEYS[1], user)
if exp and tonumber(exp) > now then return {'READY', exp} end
local r = redis.call('HGET', KEYS[3], user)
if not r then return {'NONE'} end
if r == '0' then return {'USED'} end
redis.call('HDEL', KEYS[3], user)
redis.call('SADD', KEYS[4], user)
redis.call('SADD', KEYS[5], user)
redis.call('ZADD', KEYS[2], r, user)
return {'WAITING', r, redis.call('ZRANK', KEYS[2], user)}
`;

const SCRIPTS = {
  wrJoin: JOIN,
  wrStatus: STATUS,
  wrAdmit: ADMIT,
  wrOpen: OPEN,
  wrLeave: LEAVE,
  wrGate: GATE,
  wrIdle: IDLE,
  wrRelease: RELEASE,
  wrReclaim: RECLAIM,
} as const;
type ScriptName = keyof typeof SCRIPTS;

type ScriptClient = RedisClient & Record<ScriptName, (...args: (string | number)[]) => Promise<unknown>>;

const defined = new WeakSet<RedisClient>();

/** ioredis runs a defined command by EVALSHA, loading the script on first use per connection. */
function scripted(redis: RedisClient): ScriptClient {
  if (!defined.has(redis)) {
    for (const [name, lua] of Object.entries(SCRIPTS)) redis.defineCommand(name, { lua });
    defined.add(redis);
  }
  return redis as ScriptClient;
}

/** LINE_FACTS: size, soldOut, batch, intervalMs, opensAt, maxActive, accessMs, paused, commitment, closed, pauseNote. */
export type LineFacts = [number, string, string, string, string, string, string, string, string, string, string];
export type JoinReply = [string, string?, number?, string?, string?, ...Partial<LineFacts>];
export type StatusReply = [string, string?, number?, ...Partial<LineFacts>];

/**
 * `restoreSeq`: the sequence of a verified queue token of this fan, to give back a place Redis lost.
 * `presaleChecked`: the fan may buy in the presale; without it, a fan new to a presale's line gets `PRESALE`.
 */
export const runJoin = (r: RedisClient, k: WrKeys, userId: string, restoreSeq?: number, presaleChecked = false) =>
  scripted(r).wrJoin(
    7,
    k.settings,
    k.waiting,
    k.active,
    k.prequeue,
    k.seq,
    k.meta,
    k.seen,
    userId,
    restoreSeq ?? "",
    presaleChecked ? "1" : "0",
  ) as Promise<JoinReply>;

export const runStatus = (r: RedisClient, k: WrKeys, userId: string) =>
  scripted(r).wrStatus(5, k.settings, k.waiting, k.active, k.prequeue, k.meta, userId) as Promise<StatusReply>;

export const runAdmit = (r: RedisClient, k: WrKeys, stock: number) =>
  scripted(r).wrAdmit(6, k.settings, k.waiting, k.active, k.admissions, k.touched, k.admitted, stock) as Promise<[number, number, number]>;

export const runOpen = (r: RedisClient, k: WrKeys, orderedUserIds: string[]) =>
  scripted(r).wrOpen(4, k.prequeue, k.waiting, k.meta, k.drawn, ...orderedUserIds) as Promise<number>;

export const runLeave = (r: RedisClient, k: WrKeys, userId: string) =>
  scripted(r).wrLeave(6, k.waiting, k.active, k.prequeue, k.touched, k.admitted, k.released, userId) as Promise<number>;

export type GateReply = ["ACTIVE", string, string] | ["RELEASED", string] | ["NONE"];
export const runGate = (r: RedisClient, k: WrKeys, userId: string) =>
  scripted(r).wrGate(4, k.settings, k.active, k.touched, k.released, userId) as Promise<GateReply>;

export const runIdle = (r: RedisClient, k: WrKeys) =>
  scripted(r).wrIdle(4, k.settings, k.active, k.touched, k.admitted) as Promise<string[]>;

export const runRelease = (r: RedisClient, k: WrKeys, holders: string[], candidates: string[]) =>
  scripted(r).wrRelease(
    6,
    k.settings,
    k.active,
    k.touched,
    k.admitted,
    k.released,
    k.reclaimed,
    holders.length,
    ...holders,
    ...candidates,
  ) as Promise<string[]>;

export type ReclaimReply = ["READY", string] | ["WAITING", string, number] | ["USED"] | ["NONE"];
export const runReclaim = (r: RedisClient, k: WrKeys, userId: string) =>
  scripted(r).wrReclaim(5, k.active, k.waiting, k.released, k.reclaimed, k.seen, userId) as Promise<ReclaimReply>;
