// Queue names, job payload schemas and the shared BullMQ connection options.
import { Queue, type ConnectionOptions } from "bullmq";
import { z } from "zod";
import { env } from "../env.ts";

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
