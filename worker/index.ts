// The worker process: registers thin processors over server/domain and shuts down cleanly on SIGTERM.
import "./service-name.ts";
import { hostname } from "node:os";
import { Worker } from "bullmq";
import { env } from "../server/env.ts";
import { log } from "../server/log.ts";
import { outageOf } from "../server/domain/errors.ts";
import { connectionErrorLogger, createRedis } from "../server/redis.ts";
import { recordHeartbeat } from "../server/domain/health/heartbeat.ts";
import { checkRedisSettings } from "../server/domain/health/redis-settings.ts";
import { syncAdmissionSchedulers } from "../server/domain/waiting-room/schedule.ts";
import {
  bullConnection,
  bullPrefix,
  closeBullConnection,
  JOBS,
  maintenanceQueue,
  QUEUES,
  waitingRoomQueue,
} from "../server/queue/queues.ts";
import { holdsProcessor } from "./processors/holds.ts";
import { ticketsProcessor } from "./processors/tickets.ts";
import { paymentsProcessor } from "./processors/payments.ts";
import { maintenanceProcessor } from "./processors/maintenance.ts";
import { waitingRoomProcessor } from "./processors/waiting-room.ts";

const workerId = `${hostname()}:${process.pid}`;
const intervalMs = env().WORKER_HEARTBEAT_MS;
const redis = createRedis();
const queue = maintenanceQueue();
const wrQueue = waitingRoomQueue();
/** How often admission schedulers are matched to the showtimes (settings changes also apply at once). */
const SYNC_EVERY_MS = 30_000;
/** How often run-out holds missed by their own job (a worker was down) are tidied. */
const SWEEP_EVERY_MS = 30_000;

/**
 * A worker that dies or freezes mid-job keeps its lock until it lapses; then another worker takes the job
 * over and the frozen one's late completion is refused (its lock token no longer matches).
 */
const lockOptions = { lockDuration: env().WORKER_LOCK_MS, stalledInterval: env().WORKER_LOCK_MS };

const workers = [
  new Worker(QUEUES.maintenance, maintenanceProcessor({ redis, workerId, intervalMs, waitingRoomQueue: wrQueue }), {
    connection: bullConnection(),
    prefix: bullPrefix(),
    concurrency: 4,
    ...lockOptions,
  }),
  new Worker(QUEUES.waitingRoom, waitingRoomProcessor({ redis }), {
    connection: bullConnection(),
    prefix: bullPrefix(),
    concurrency: 8,
    ...lockOptions,
  }),
  new Worker(QUEUES.holds, holdsProcessor(), { connection: bullConnection(), prefix: bullPrefix(), concurrency: 8, ...lockOptions }),
  new Worker(QUEUES.tickets, ticketsProcessor(), { connection: bullConnection(), prefix: bullPrefix(), concurrency: 4, ...lockOptions }),
  new Worker(QUEUES.payments, paymentsProcessor(), { connection: bullConnection(), prefix: bullPrefix(), concurrency: 4, ...lockOptions }),
];
for (const w of workers) {
  w.on("failed", (job, err) => log.error({ err, queue: w.name, jobId: job?.id, jobName: job?.name }, "job failed"));
  // While Redis is down every connection fails once a second: logged now and then, not as a flood of stacks.
  const lostRedis = connectionErrorLogger("worker cannot reach Redis", { queue: w.name });
  w.on("error", (err) => (outageOf(err) ? lostRedis(err) : log.error({ err, queue: w.name }, "worker error")));
}

/**
 * Every job scheduler the cluster relies on, plus one admission scheduler per live showtime. Upserting is
 * idempotent, so every worker does it at start and again whenever Redis may have lost them: a Redis that
 * restarted empty keeps no schedulers and no delayed jobs, and without this nothing would beat, sweep or
 * admit until a worker restarted. A scheduler created anew runs at once, so the hold sweep right after a
 * re-registration releases every hold whose own expiry job was lost.
 */
async function registerSchedulers(): Promise<void> {
  const opts = { removeOnComplete: true, removeOnFail: 100 };
  // One scheduler entry for the whole cluster: upserting it from every worker is idempotent.
  await queue.upsertJobScheduler("heartbeat", { every: intervalMs }, { name: JOBS.heartbeat, data: {}, opts });
  await queue.upsertJobScheduler("sync-waiting-rooms", { every: SYNC_EVERY_MS }, { name: JOBS.syncWaitingRooms, data: {}, opts });
  await queue.upsertJobScheduler("sweep-holds", { every: SWEEP_EVERY_MS }, { name: JOBS.sweepHolds, data: {}, opts });
  await queue.upsertJobScheduler("sweep-transfers", { every: SWEEP_EVERY_MS * 2 }, { name: JOBS.sweepTransfers, data: {}, opts });
  await queue.upsertJobScheduler("sweep-sandbox-events", { every: SWEEP_EVERY_MS * 2 }, { name: JOBS.sweepSandboxEvents, data: {}, opts });
  await syncAdmissionSchedulers(wrQueue, { redis });
  // Beat now so health turns green without waiting for the first tick.
  await recordHeartbeat({ redis, workerId, intervalMs });
}

/** How often a running worker checks that its schedulers still exist in Redis. */
const WATCH_SCHEDULERS_MS = Math.max(1_000, Math.min(intervalMs, 5_000));

/** How soon a registration that failed (Redis or the database out) is tried again. */
const RETRY_REGISTER_MS = 2_000;

let registering: Promise<void> | undefined;
let retryTimer: NodeJS.Timeout | undefined;
/**
 * One registration at a time. A failed one (Redis went down again, or mid-way) is tried again until it
 * succeeds: a half-done registration leaves the heartbeat scheduler in place, so the periodic look would
 * not notice what is missing.
 */
function reregister(reason: string): void {
  if (registering || stopping) return;
  clearTimeout(retryTimer);
  registering = registerSchedulers()
    .then(() => log.warn({ reason, workerId }, "job schedulers registered again"))
    .catch((err: unknown) => {
      log.warn({ reason, err: (err as Error).message }, "could not register job schedulers yet; will retry");
      retryTimer = setTimeout(() => reregister(reason), RETRY_REGISTER_MS);
      retryTimer.unref();
    })
    .finally(() => (registering = undefined));
}

/**
 * Notices a Redis that lost its schedulers: on every reconnect of the worker's connection (a restart is
 * always one), and by a periodic look at the heartbeat scheduler (a failover or a FLUSHALL without a
 * reconnect). Either way the schedulers are upserted again.
 */
function watchSchedulers(): NodeJS.Timeout {
  redis.on("ready", () => reregister("reconnected to Redis"));
  const timer = setInterval(() => {
    if (registering || stopping) return;
    queue
      .getJobScheduler("heartbeat")
      .then((scheduler) => {
        if (!scheduler) reregister("job schedulers missing from Redis");
      })
      // Redis is down: the reconnect handler takes over when it is back.
      .catch(() => {});
  }, WATCH_SCHEDULERS_MS);
  timer.unref();
  return timer;
}

async function startUp(): Promise<void> {
  // An evicting Redis would lose fans' places and jobs without a trace: refused in production.
  await checkRedisSettings(redis, { production: env().NODE_ENV === "production", warn: (message) => log.warn(message) });
  // Watched from before the first registration: Redis lost while it runs (registering every live
  // showtime's admission scheduler takes a while when there are many) is a reconnect like any other.
  watchTimer = watchSchedulers();
  try {
    await registerSchedulers();
  } catch (err) {
    // An outage mid-way is not a failed start: the worker keeps running and registers again once it can.
    if (!outageOf(err)) throw err;
    log.warn({ err: (err as Error).message }, "Redis or the database lost while registering job schedulers; will retry");
    reregister("start-up interrupted by an outage");
  }
  log.info({ workerId, queues: workers.map((w) => w.name), intervalMs }, "worker started");
}

let watchTimer: NodeJS.Timeout | undefined;
let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "worker stopping: finishing active jobs");
  const force = setTimeout(() => {
    log.error("worker did not stop within 20 s; exiting");
    process.exit(1);
  }, 20_000);
  force.unref();
  // A signal during start-up waits for it, so nothing is closed under its feet.
  await started.catch(() => {});
  clearInterval(watchTimer);
  clearTimeout(retryTimer);
  await registering;
  await Promise.all(workers.map((w) => w.close()));
  await Promise.all([queue.close(), wrQueue.close()]);
  // On a Redis Cluster the queues share one connection that they do not own.
  await closeBullConnection();
  await redis.quit();
  log.info("worker stopped");
  process.exit(0);
}

// Signals are handled from the first moment; start-up runs after.
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

const started = startUp();
started.catch((err: unknown) => {
  log.fatal({ err }, "worker failed to start");
  process.exit(1);
});
