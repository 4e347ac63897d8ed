// Queue names, job payload schemas and the shared BullMQ connection (a single Redis or a Redis Cluster).
import { Queue, type ConnectionOptions } from "bullmq";
import { Cluster } from "ioredis";
import { z } from "zod";
import { env } from "../env.ts";
import { log } from "../log.ts";
import { connectionErrorLogger, reconnectDelay } from "../redis.ts";
import { outageOf } from "../domain/errors.ts";

export const QUEUES = {
  maintenance: "maintenance",
  waitingRoom: "waiting-room",
  holds: "holds",
  tickets: "tickets",
  payments: "payments",
} as const;

export const JOBS = {
  heartbeat: "heartbeat",
  syncWaitingRooms: "sync-waiting-rooms",
  admit: "admit",
  expireHold: "expire-hold",
  sweepHolds: "sweep-holds",
  expireTransfer: "expire-transfer",
  sweepTransfers: "sweep-transfers",
  deliverSandboxEvent: "deliver-sandbox-event",
  sweepSandboxEvents: "sweep-sandbox-events",
} as const;

export const ZHeartbeatJob = z.object({}).strict();
export const ZSyncWaitingRoomsJob = z.object({}).strict();
export const ZAdmitJob = z.object({ showtimeId: z.string().min(1) }).strict();
export const ZExpireHoldJob = z.object({ holdId: z.string().min(1) }).strict();
export const ZSweepHoldsJob = z.object({}).strict();
export const ZExpireTransferJob = z.object({ transferId: z.string().min(1) }).strict();
export const ZSweepTransfersJob = z.object({}).strict();
export const ZDeliverSandboxEventJob = z.object({ eventId: z.string().min(1) }).strict();
export const ZSweepSandboxEventsJob = z.object({}).strict();

const globalForBull = globalThis as unknown as { onsaleBullCluster?: Cluster };

/**
 * BullMQ needs `maxRetriesPerRequest: null` on connections that block (workers). On a single Redis, BullMQ
 * opens and closes its own connections from these options; they reconnect within a second of Redis coming
 * back (BullMQ's own default waits up to 20 s between attempts). On a cluster it needs a Cluster instance:
 * one per process, shared by its queues (workers duplicate it for their blocking reads); close it with
 * `closeBullConnection` after the queues and workers.
 */
export function bullConnection(): ConnectionOptions {
  const nodes = env().REDIS_CLUSTER_NODES;
  if (!nodes) return { url: env().REDIS_URL, maxRetriesPerRequest: null, retryStrategy: reconnectDelay } as ConnectionOptions;
  if (!globalForBull.onsaleBullCluster) {
    const cluster = new Cluster(nodes, {
      redisOptions: { maxRetriesPerRequest: null },
      clusterRetryStrategy: reconnectDelay,
      enableOfflineQueue: true,
    });
    cluster.on("error", connectionErrorLogger("redis cluster connection error (queues)"));
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
 * `{<prefix>:bull}:holds:delayed`, `{<prefix>:bull}:holds:<jobId>`, ... all hash on `<prefix>:bull`.
 */
export function bullPrefix(): string {
  return `{${env().REDIS_PREFIX}:bull}`;
}

/**
 * Queues only add and read (no blocking commands), so on a single Redis their commands may give up like
 * the app's own: a call made while Redis is down is rejected after two reconnect attempts instead of
 * waiting for Redis however long it takes.
 */
function producerConnection(): ConnectionOptions {
  if (env().REDIS_CLUSTER_NODES) return bullConnection();
  return { url: env().REDIS_URL, maxRetriesPerRequest: 2, retryStrategy: reconnectDelay } as ConnectionOptions;
}

function queue(name: string): Queue {
  const q = new Queue(name, { connection: producerConnection(), prefix: bullPrefix() });
  // Reconnect failures are reported by the calls that need Redis (and by /api/health), not as crashes.
  q.on("error", connectionErrorLogger("queue connection error", { queue: name }));
  return q;
}

export function maintenanceQueue(): Queue {
  return queue(QUEUES.maintenance);
}

export function waitingRoomQueue(): Queue {
  return queue(QUEUES.waitingRoom);
}

export function holdsQueue(): Queue {
  return queue(QUEUES.holds);
}

export function ticketsQueue(): Queue {
  return queue(QUEUES.tickets);
}

export function paymentsQueue(): Queue {
  return queue(QUEUES.payments);
}

/** How long a request waits for a follow-up job to be queued after its transaction committed. */
export const ENQUEUE_AFTER_COMMIT_MS = 3_000;

/**
 * Queues a follow-up job of a change that is already committed, without ever failing the request or
 * holding it up: with Redis down (or a queue that cannot connect yet) it gives up after
 * ENQUEUE_AFTER_COMMIT_MS, logs, and answers false. Only jobs that merely tidy up go through here: the
 * database already enforces their effect (a hold past its time is dead for every claim) and a periodic
 * sweep does their work if they are lost. A call still waiting when the time is up may complete later;
 * job ids are deterministic, so it adds nothing twice.
 */
export async function enqueueAfterCommit(what: Record<string, unknown>, add: () => Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const adding = add();
  try {
    await Promise.race([
      adding,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`not queued within ${ENQUEUE_AFTER_COMMIT_MS} ms`)), ENQUEUE_AFTER_COMMIT_MS);
      }),
    ]);
    return true;
  } catch (err) {
    // A late failure of the abandoned call is expected and already reported here.
    adding.catch(() => {});
    const message = (err as Error).message;
    const reason = outageOf(err) ?? (message.startsWith("not queued within") ? "timeout" : "error");
    log.warn({ ...what, err: message, reason }, "follow-up job not queued; the periodic sweep will do its work");
    return false;
  } finally {
    clearTimeout(timer);
  }
}

// Web processes enqueue through one shared producer per queue.
const globalForQueues = globalThis as unknown as {
  onsaleWrQueue?: Queue;
  onsaleHoldsQueue?: Queue;
  onsaleTicketsQueue?: Queue;
  onsalePaymentsQueue?: Queue;
};
export function sharedWaitingRoomQueue(): Queue {
  globalForQueues.onsaleWrQueue ??= waitingRoomQueue();
  return globalForQueues.onsaleWrQueue;
}

/**
 * After a hold commits: one delayed job per hold (job id = hold id, so a retry cannot add a second),
 * due when the hold runs out. It only tidies up; the claim's predicate already treats the hold as dead,
 * so a job that cannot be queued (Redis down) or is lost (Redis restarted empty) is left to the sweep and
 * never fails the hold: answers whether it was queued.
 */
export async function enqueueHoldExpiry(
  holdId: string,
  heldUntil: Date,
  { extended = false, now = Date.now() }: { extended?: boolean; now?: number } = {},
): Promise<boolean> {
  const holds = (globalForQueues.onsaleHoldsQueue ??= holdsQueue());
  // An extended hold gets a second job for its new end; the first one then finds it alive and does nothing.
  return enqueueAfterCommit({ job: JOBS.expireHold, holdId }, () =>
    holds.add(
      JOBS.expireHold,
      { holdId },
      {
        jobId: extended ? `${holdId}-extended` : holdId,
        delay: Math.max(0, heldUntil.getTime() - now),
        removeOnComplete: true,
        removeOnFail: 100,
      },
    ),
  );
}

/**
 * After a transfer offer commits: one delayed job (job id = transfer id) that ends it if still unanswered.
 * Like a hold's, it only tidies (the transfer sweep does the same), so it never fails the offer.
 */
export async function enqueueTransferExpiry(
  transferId: string,
  expiresAt: Date,
  { now = Date.now() }: { now?: number } = {},
): Promise<boolean> {
  const tickets = (globalForQueues.onsaleTicketsQueue ??= ticketsQueue());
  return enqueueAfterCommit({ job: JOBS.expireTransfer, transferId }, () =>
    tickets.add(
      JOBS.expireTransfer,
      { transferId },
      { jobId: transferId, delay: Math.max(0, expiresAt.getTime() - now), removeOnComplete: true, removeOnFail: 100 },
    ),
  );
}

/**
 * The sandbox processor's events, delivered as a real processor's webhooks are: later (up to `maxDelayMs`),
 * in no set order, and now and then twice (`duplicateRate`). Each delivery is a job (id: the event's, and
 * a second with a suffix; a sweep's `round` adds its own), so a retried enqueue adds nothing.
 */
export async function enqueueSandboxEvents(
  eventIds: string[],
  {
    maxDelayMs = 2_000,
    duplicateRate = 0.2,
    random = Math.random,
    round,
  }: { maxDelayMs?: number; duplicateRate?: number; random?: () => number; round?: string } = {},
): Promise<boolean> {
  globalForQueues.onsalePaymentsQueue ??= paymentsQueue();
  const q = globalForQueues.onsalePaymentsQueue;
  const jobs = eventIds.flatMap((eventId) => {
    // A later round of delivery (the sweep's) needs job ids of its own: BullMQ keeps a failed job's id.
    const first = round ? `${eventId}.${round}` : eventId;
    const copies = random() < duplicateRate ? [first, `${first}.again`] : [first];
    return copies.map((jobId) => ({
      name: JOBS.deliverSandboxEvent,
      data: { eventId },
      opts: {
        jobId,
        delay: Math.floor(random() * maxDelayMs),
        attempts: 5,
        backoff: { type: "exponential", delay: 500 },
        removeOnComplete: true,
      },
    }));
  });
  return enqueueAfterCommit({ job: JOBS.deliverSandboxEvent, events: eventIds.length }, () => q.addBulk(jobs));
}
