// Redis pub/sub shared by every web process: one subscriber connection per process, fanned out to
// every listener of a channel (open SSE streams). Publishing uses the shared command connection.
import { createRedis, redis as sharedRedis, type RedisClient } from "./redis.ts";

type Listener = (message: unknown) => void;
/** A channel's listeners, and Redis's confirmation of the subscription (awaited by every later listener too). */
type Channel = { listeners: Set<Listener>; subscribed: Promise<unknown> };

const globalForSub = globalThis as unknown as {
  onsaleSub?: { redis: RedisClient; channels: Map<string, Channel> };
};

function subscriber() {
  if (!globalForSub.onsaleSub) {
    const redis = createRedis({ maxRetriesPerRequest: null });
    const channels = new Map<string, Channel>();
    redis.on("message", (channel: string, raw: string) => {
      const set = channels.get(channel)?.listeners;
      if (!set) return;
      let message: unknown;
      try {
        message = JSON.parse(raw);
      } catch {
        return;
      }
      for (const listener of set) listener(message);
    });
    globalForSub.onsaleSub = { redis, channels };
  }
  return globalForSub.onsaleSub;
}

export async function publish(channel: string, message: unknown, redis: RedisClient = sharedRedis()): Promise<void> {
  await redis.publish(channel, JSON.stringify(message));
}

/**
 * Calls `listener` with each message on `channel` until the returned function is called. Resolves once
 * Redis confirmed the subscription, so a caller can tell its client that nothing from then on is missed.
 */
export async function subscribe(channel: string, listener: Listener): Promise<() => Promise<void>> {
  const { redis, channels } = subscriber();
  let entry = channels.get(channel);
  if (!entry) {
    entry = { listeners: new Set(), subscribed: redis.subscribe(channel) };
    channels.set(channel, entry);
  }
  const own = entry;
  own.listeners.add(listener);
  try {
    await own.subscribed;
  } catch (err) {
    own.listeners.delete(listener);
    if (channels.get(channel) === own && own.listeners.size === 0) channels.delete(channel);
    throw err;
  }
  return async () => {
    own.listeners.delete(listener);
    if (own.listeners.size === 0 && channels.get(channel) === own) {
      channels.delete(channel);
      await redis.unsubscribe(channel);
    }
  };
}
