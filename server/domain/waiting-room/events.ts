// Live waiting-room updates: one Redis pub/sub channel per showtime, shared by every web process.
import type { RedisClient } from "../../redis.ts";
import { log } from "../../log.ts";
import { publish, subscribe } from "../../pubsub.ts";
import { wrKeys } from "./keys.ts";

export type WaitingRoomEvent = {
  type: "admitted" | "left" | "released" | "reclaimed" | "sold-out" | "back-in-stock" | "settings";
  at: number;
  count?: number;
};

/**
 * Best effort, like the seat map's: the line in Redis is the truth and every page also polls, so a missed
 * event only delays an update; an outage must not fail the change (a leave, an admission) that it follows.
 */
export async function publishWaitingRoomEvent(redis: RedisClient, showtimeId: string, event: WaitingRoomEvent): Promise<void> {
  try {
    await publish(wrKeys(showtimeId).events, event, redis);
  } catch (err) {
    log.warn({ err: (err as Error).message, showtimeId, event: event.type }, "waiting-room event not published");
  }
}

/** Calls `listener` for each event of the showtime until the returned function is called. */
export async function onWaitingRoomEvent(showtimeId: string, listener: (event: WaitingRoomEvent) => void): Promise<() => Promise<void>> {
  return subscribe(wrKeys(showtimeId).events, (message) => listener(message as WaitingRoomEvent));
}
