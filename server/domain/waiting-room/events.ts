// Live waiting-room updates: one Redis pub/sub channel per showtime, shared by every web process.
import type { Redis } from "ioredis";
import { createRedis } from "../../redis.ts";
import { wrKeys } from "./keys.ts";

export type WaitingRoomEvent = { type: "admitted" | "left" | "sold-out" | "back-in-stock" | "settings"; at: number; count?: number };

export async function publishWaitingRoomEvent(redis: Redis, showtimeId: string, event: WaitingRoomEvent): Promise<void> {
  await redis.publish(wrKeys(showtimeId).events, JSON.stringify(event));
}

type Listener = (event: WaitingRoomEvent) => void;

// One subscriber connection per process, fanned out to every open stream of that showtime.
const globalForSub = globalThis as unknown as {
  onsaleWrSub?: { redis: Redis; listeners: Map<string, Set<Listener>> };
};

function subscriber() {
  if (!globalForSub.onsaleWrSub) {
    const redis = createRedis({ maxRetriesPerRequest: null });
    const listeners = new Map<string, Set<Listener>>();
    redis.on("message", (channel: string, message: string) => {
      const set = listeners.get(channel);
      if (!set) return;
      let event: WaitingRoomEvent;
      try {
        event = JSON.parse(message) as WaitingRoomEvent;
      } catch {
        return;
      }
      for (const listener of set) listener(event);
    });
    globalForSub.onsaleWrSub = { redis, listeners };
  }
  return globalForSub.onsaleWrSub;
}

/** Calls `listener` for each event of the showtime until the returned function is called. */
export async function onWaitingRoomEvent(showtimeId: string, listener: Listener): Promise<() => Promise<void>> {
  const { redis, listeners } = subscriber();
  const channel = wrKeys(showtimeId).events;
  let set = listeners.get(channel);
  if (!set) {
    set = new Set();
    listeners.set(channel, set);
    await redis.subscribe(channel);
  }
  set.add(listener);
  return async () => {
    set.delete(listener);
    if (set.size === 0 && listeners.get(channel) === set) {
      listeners.delete(channel);
      await redis.unsubscribe(channel);
    }
  };
}
