// The worker process: registers thin processors over server/domain and shuts down cleanly on SIGTERM.
import "./service-name.ts";
import { hostname } from "node:os";
import { Worker } from "bullmq";
import { env } from "../server/env.ts";
import { log } from "../server/log.ts";
import { createRedis } from "../server/redis.ts";
import { recordHeartbeat } from "../server/domain/health/heartbeat.ts";
import { bullConnection, bullPrefix, JOBS, maintenanceQueue, QUEUES } from "../server/queue/queues.ts";
import { maintenanceProcessor } from "./processors/maintenance.ts";

const workerId = `${hostname()}:${process.pid}`;
const intervalMs = env().WORKER_HEARTBEAT_MS;
const redis = createRedis();
const queue = maintenanceQueue();

const workers = [
  new Worker(QUEUES.maintenance, maintenanceProcessor({ redis, workerId, intervalMs }), {
    connection: bullConnection(),
    prefix: bullPrefix(),
    concurrency: 4,
  }),
];
for (const w of workers) {
  w.on("failed", (job, err) => log.error({ err, queue: w.name, jobId: job?.id, jobName: job?.name }, "job failed"));
  w.on("error", (err) => log.error({ err, queue: w.name }, "worker error"));
}

// One scheduler entry for the whole cluster: upserting it from every worker is idempotent.
await queue.upsertJobScheduler("heartbeat", { every: intervalMs }, {
  name: JOBS.heartbeat,
  data: {},
  opts: { removeOnComplete: true, removeOnFail: 100 },
});
// Beat once now so health turns green without waiting for the first tick.
await recordHeartbeat(redis, { at: Date.now(), workerId }, intervalMs);
log.info({ workerId, queues: workers.map((w) => w.name), intervalMs }, "worker started");

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
  await Promise.all(workers.map((w) => w.close()));
  await queue.close();
  await redis.quit();
  log.info("worker stopped");
  process.exit(0);
}

process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
