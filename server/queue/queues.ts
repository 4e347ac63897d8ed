// Queue names, job payload schemas and the shared BullMQ connection (a single Redis or a Redis Cluster).
import { Queue, type ConnectionOptions } from "bullmq";
import { Cluster } from "ioredis";
import { z } from "zod";
import { env } from "../env.ts";
import { log } from "../log.ts";

export const QUEUES = { maintenance: "maintenance", waitingRoom: "waiting-room", holds: "holds", tickets: "tickets" } as const;

export const JOBS = {
  heartbeat: "heartbeat",
  syncWaitingRooms: "sync-waiting-rooms",
  admit: "admit",
  expireHold: "expire-hold",
  sweepHolds: "sweep-holds",
  expireTransfer: "expire-transfer",
  sweepTransfers: "sweep-transfers",
} as const;

export const ZHeartbeatJob = z.object({}).strict();
export const ZSyncWaitingRoomsJob = z.object({}).strict();
export const ZAdmitJob = z.object({ showtimeId: z.string().min(1) }).strict();
export const ZExpireHoldJob = z.object({ holdId: z.string().min(1) }).strict();
export const ZSweepHoldsJob = z.object({}).strict();
export const ZExpireTransferJob = z.object({ transferId: z.string().min(1) }).strict();
export const ZSweepTransfersJob = z.object({}).strict();

const globalForBull = globalThis as unknown as { onsaleBullCluster?: Cluster };

/**
 * BullMQ needs `maxRetriesPerRequest: null` on connections that block. On a single Redis, BullMQ opens
 * and closes its own connections from these options. On a cluster it needs a Cluster instance: one per
 * process, shared by its queues (workers duplicate it for their blocking reads); close it with
 * `closeBullConnection` after the queues and workers.
 */
export function bullConnection(): ConnectionOptions {
  const nodes = env().REDIS_CLUSTER_NODES;
  if (!nodes) return { url: env().REDIS_URL, maxRetriesPerRequest: null } as ConnectionOptions;
  if (!globalForBull.onsaleBullCluster) {
    const cluster = new Cluster(nodes, { redisOptions: { maxRetriesPerRequest: null }, enableOfflineQueue: true });
    cluster.on("error", (err: Error) => log.warn({ err: err.message }, "redis cluster connection error (queues)"));
    globalForBull.onsaleBullCluster = cluster;
  }
  return globalForBull.onsaleBullCluster;
}

/** Ends the shared cluster connection of `bullConnection` (nothing to do on a single Redis). */
export async function closeBullConnection(): Promise<void> {
  const cluster = globalForBull.onsaleBullCluster;
  globalForBull.onsaleBullCluster = undefined;
  await cluster?.quit().catch(() => cluster.disconnect());
}

/**
 * Queue keys live under the deployment's prefix, like every other key, inside a hash tag: BullMQ's
 * scripts touch several keys of a queue at once, which a Redis Cluster allows only within one slot.
 * `{onsale:bull}:holds:delayed`, `{onsale:bull}:holds:<jobId>`, ... all hash on `onsale:bull`.
 */
export function bullPrefix(): string {
  return `{${env().REDIS_PREFIX}:bull}`;
}

export function maintenanceQueue(): Queue {
  return new Queue(QUEUES.maintenance, { connection: bullConnection(), prefix: bullPrefix() });
}

export function waitingRoomQueue(): Queue {
  return new Queue(QUEUES.waitingRoom, { connection: bullConnection(), prefix: bullPrefix() });
}

export function holdsQueue(): Queue {
  return new Queue(QUEUES.holds, { connection: bullConnection(), prefix: bullPrefix() });
}

export function ticketsQueue(): Queue {
  return new Queue(QUEUES.tickets, { connection: bullConnection(), prefix: bullPrefix() });
}

// Web processes enqueue through one shared producer per queue.
const globalForQueues = globalThis as unknown as { onsaleWrQueue?: Queue; onsaleHoldsQueue?: Queue; onsaleTicketsQueue?: Queue };
export function sharedWaitingRoomQueue(): Queue {
  globalForQueues.onsaleWrQueue ??= waitingRoomQueue();
  return globalForQueues.onsaleWrQueue;
}

/**
 * After a hold commits: one delayed job per hold (job id = hold id, so a retry cannot add a second),
 * due when the hold runs out. It only tidies up; the claim's predicate already treats the hold as dead.
 */
export async function enqueueHoldExpiry(
  holdId: string,
  heldUntil: Date,
  { extended = false, now = Date.now() }: { extended?: boolean; now?: number } = {},
): Promise<void> {
  globalForQueues.onsaleHoldsQueue ??= holdsQueue();
  // An extended hold gets a second job for its new end; the first one then finds it alive and does nothing.
  await globalForQueues.onsaleHoldsQueue.add(
    JOBS.expireHold,
    { holdId },
    {
      jobId: extended ? `${holdId}-extended` : holdId,
      delay: Math.max(0, heldUntil.getTime() - now),
      removeOnComplete: true,
      removeOnFail: 100,
    },
  );
}

/** After a transfer offer commits: one delayed job (job id = transfer id) that ends it if still unanswered. */
export async function enqueueTransferExpiry(transferId: string, expiresAt: Date, { now = Date.now() }: { now?: number } = {}): Promise<void> {
  globalForQueues.onsaleTicketsQueue ??= ticketsQueue();
  await globalForQueues.onsaleTicketsQueue.add(
    JOBS.expireTransfer,
    { transferId },
    { jobId: transferId, delay: Math.max(0, expiresAt.getTime() - now), removeOnComplete: true, removeOnFail: 100 },
  );
}
