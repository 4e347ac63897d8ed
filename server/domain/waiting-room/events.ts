// Live waiting-room updates: one Redis pub/sub channel per showtime, shared by every web process.
import type { RedisClient } from "../../redis.ts";
import { publish, subscribe } from "../../pubsub.ts";
import { wrKeys } from "./keys.ts";

export type WaitingRoomEvent = { type: "admitted" | "left" | "sold-out" | "back-in-stock" | "settings"; at: number; count?: number };

export async function publishWaitingRoomEvent(redis: RedisClient, showtimeId: string, event: WaitingRoomEvent): Promise<void> {
  await publish(wrKeys(showtimeId).events, event, redis);
}

/** Calls `listener` for each event of the showtime until the returned function is called. */
export async function onWaitingRoomEvent(showtimeId: string, listener: (event: WaitingRoomEvent) => void): Promise<() => Promise<void>> {
  return subscribe(wrKeys(showtimeId).events, (message) => listener(message as WaitingRoomEvent));
}
