// Worker liveness: the worker records a beat in Redis; health reads it. Missing beats mean no live worker.
import type { Redis } from "ioredis";
import { key } from "../../redis.ts";

export type Beat = { at: number; workerId: string };

export const HEARTBEAT_MISSES_ALLOWED = 3;

export async function recordHeartbeat(redis: Redis, beat: Beat, intervalMs: number): Promise<void> {
  await redis.set(key("worker", "heartbeat"), JSON.stringify(beat), "PX", intervalMs * HEARTBEAT_MISSES_ALLOWED);
}

export async function lastHeartbeat(redis: Redis): Promise<Beat | null> {
  const raw = await redis.get(key("worker", "heartbeat"));
  return raw ? (JSON.parse(raw) as Beat) : null;
}
