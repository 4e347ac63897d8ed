// Queue names, job payload schemas and the shared BullMQ connection options.
import { Queue, type ConnectionOptions } from "bullmq";
import { z } from "zod";
import { env } from "../env.ts";

export const QUEUES = { maintenance: "maintenance", waitingRoom: "waiting-room" } as const;

export const JOBS = { heartbeat: "heartbeat", syncWaitingRooms: "sync-waiting-rooms", admit: "admit" } as const;

export const ZHeartbeatJob = z.object({}).strict();
export const ZSyncWaitingRoomsJob = z.object({}).strict();
export const ZAdmitJob = z.object({ showtimeId: z.string().min(1) }).strict();

/** BullMQ needs `maxRetriesPerRequest: null` on connections that block. */
export function bullConnection(): ConnectionOptions {
  return { url: env().REDIS_URL, maxRetriesPerRequest: null } as ConnectionOptions;
}

/** Queue keys live under the deployment's prefix, like every other key. */
export function bullPrefix(): string {
  return `${env().REDIS_PREFIX}:bull`;
}

export function maintenanceQueue(): Queue {
  return new Queue(QUEUES.maintenance, { connection: bullConnection(), prefix: bullPrefix() });
}

export function waitingRoomQueue(): Queue {
  return new Queue(QUEUES.waitingRoom, { connection: bullConnection(), prefix: bullPrefix() });
}

// Web processes enqueue through one shared producer each.
const globalForQueues = globalThis as unknown as { onsaleWrQueue?: Queue };
export function sharedWaitingRoomQueue(): Queue {
  globalForQueues.onsaleWrQueue ??= waitingRoomQueue();
  return globalForQueues.onsaleWrQueue;
}
