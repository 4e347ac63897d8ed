// Queue names, job payload schemas and the shared BullMQ connection options.
import { Queue, type ConnectionOptions } from "bullmq";
import { z } from "zod";
import { env } from "../env.ts";

export const QUEUES = { maintenance: "maintenance" } as const;

export const JOBS = { heartbeat: "heartbeat" } as const;

export const ZHeartbeatJob = z.object({}).strict();

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
