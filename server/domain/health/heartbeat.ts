// Worker liveness: the worker records a beat in Redis; health reads it. Missing beats mean no live worker.
import { key, type RedisClient } from "../../redis.ts";

export type Beat = { at: number; workerId: string };

export const HEARTBEAT_MISSES_ALLOWED = 3;

export async function recordHeartbeat(redis: RedisClient, beat: Beat, intervalMs: number): Promise<void> {
  await redis.set(key("worker", "heartbeat"), JSON.stringify(beat), "PX", intervalMs * HEARTBEAT_MISSES_ALLOWED);
}

export async function lastHeartbeat(redis: RedisClient): Promise<Beat | null> {
  const raw = await redis.get(key("worker", "heartbeat"));
  return raw ? (JSON.parse(raw) as Beat) : null;
}
