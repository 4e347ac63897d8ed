// Live seat map: seat status changes published per showtime on Redis pub/sub, so every web process can
// push them to every open seat map and keep its cached status vector current. Publishers call this after
// their transaction commits.
//
// Every change carries the showtime's seat version: a counter in Redis, one step per published change. A
// reader (a web process's cache, a browser) that holds the statuses as of version v applies the change
// numbered v + 1; one that sees a higher number missed something and reads the statuses again. When
// Redis loses the counter (restarted empty), it starts again above every number it handed out, from the
// Redis clock in µs, as the waiting room's arrival counter does.
import type { SeatStatus } from "../../generated/prisma/enums.ts";
import { log } from "../../log.ts";
import { subscribe } from "../../pubsub.ts";
import { key, redis as sharedRedis, type RedisClient } from "../../redis.ts";
import { SEAT_STATUS_CODE } from "./seat-map.ts";

/** [seat id, status code (0 available, 1 held, 2 sold)], as in the seat map's tuples. */
export type SeatChange = [number, 0 | 1 | 2];

/** One published change: the seats and the seat version it made. */
export type SeatChangeMessage = { version: number; seats: SeatChange[] };

export type SeatChangeEvent =
  /**
   * Sent on every (re)connect once the server listens, with the seat version it listens from: every change
   * after it follows. A reader at that version or later is whole; one behind it re-reads the statuses.
   */
  | { kind: "ready"; version: number }
  /**
   * Changes with versions `from`..`to` (a burst sent as one; the last status of a seat wins). A reader at
   * version `from - 1` or later applies them and is then at `to`; one further behind re-reads.
   */
  | { kind: "seats"; from: number; to: number; seats: SeatChange[] };

const channel = (showtimeId: string) => key("seats", `{${showtimeId}}`, "changes");
export const seatVersionKey = (showtimeId: string) => key("seats", `{${showtimeId}}`, "version");

/** INCR the showtime's seat version (from the Redis clock in µs when missing) and publish the change with it. */
const PUBLISH = `
if redis.call('EXISTS', KEYS[1]) == 0 then
  local t = redis.call('TIME')
  redis.call('SET', KEYS[1], string.format('%.0f', tonumber(t[1]) * 1000000 + tonumber(t[2])))
end
local v = redis.call('INCR', KEYS[1])
redis.call('PUBLISH', ARGV[1], '{"version":' .. string.format('%.0f', v) .. ',"seats":' .. ARGV[2] .. '}')
return v
`;

type PublishingClient = RedisClient & { seatPublish(key: string, channel: string, seats: string): Promise<number> };
const defined = new WeakSet<RedisClient>();

function publishing(redis: RedisClient): PublishingClient {
  if (!defined.has(redis)) {
    redis.defineCommand("seatPublish", { numberOfKeys: 1, lua: PUBLISH });
    defined.add(redis);
  }
  return redis as PublishingClient;
}

/**
 * Announces that `seatIds` of the showtime are now `status`. Best effort: the database already holds the
 * truth, and a reader that misses a message finds the gap in the versions and reads again, so a Redis
 * outage must not fail the request that changed the seats.
 */
export async function publishSeatChanges(
  showtimeId: string,
  seatIds: readonly number[],
  status: SeatStatus,
  redis: RedisClient = sharedRedis(),
): Promise<void> {
  if (seatIds.length === 0) return;
  const code = SEAT_STATUS_CODE[status];
  try {
    await publishing(redis).seatPublish(
      seatVersionKey(showtimeId),
      channel(showtimeId),
      JSON.stringify(seatIds.map((id): SeatChange => [id, code])),
    );
  } catch (err) {
    log.warn({ err: (err as Error).message, showtimeId, seats: seatIds.length }, "seat change not published");
  }
}

/** The showtime's seat version now (null before its first change). */
export async function seatVersionOf(showtimeId: string, redis: RedisClient = sharedRedis()): Promise<number | null> {
  const value = await redis.get(seatVersionKey(showtimeId));
  return value === null ? null : Number(value);
}

/** Calls `listener` with each change of the showtime until the returned function is called. */
export async function onSeatChanges(showtimeId: string, listener: (change: SeatChangeMessage) => void): Promise<() => Promise<void>> {
  return subscribe(channel(showtimeId), (message) => {
    const m = message as Partial<SeatChangeMessage> | null;
    if (m && typeof m.version === "number" && Array.isArray(m.seats)) listener(m as SeatChangeMessage);
  });
}
