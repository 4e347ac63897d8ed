// Onsale on a real Redis Cluster (REDIS_CLUSTER_NODES set, e.g. by `npx tsx scripts/redis-cluster.ts start`):
// the clients are Cluster clients, and the waiting room, rate limits, BullMQ and pub/sub work across
// primaries, with every multi-key operation inside one slot. Skipped on a single Redis.
import { Queue, Worker } from "bullmq";
import { Cluster, Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { runAdmissionTick } from "./domain/waiting-room/admission.ts";
import { wrKeys } from "./domain/waiting-room/keys.ts";
import { getWaitingStatus, joinWaitingRoom } from "./domain/waiting-room/queue.ts";
import { updateSettings } from "./domain/waiting-room/settings.ts";
import { takeRateLimit } from "./domain/rate-limit/rate-limit.ts";
import { env } from "./env.ts";
import { publish, subscribe } from "./pubsub.ts";
import { bullConnection, bullPrefix, closeBullConnection } from "./queue/queues.ts";
import { key, redis } from "./redis.ts";
import { makeConcert, uniq } from "../test/support/factories.ts";

const onCluster = Boolean(process.env.REDIS_CLUSTER_NODES);
const SKIP_REASON = onCluster
  ? ""
  : " (skipped: REDIS_CLUSTER_NODES is not set; run `npx tsx scripts/redis-cluster.ts start`, then " +
    "REDIS_CLUSTER_NODES=127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003 npm run test:int -- server/redis-cluster.int.test.ts)";

// The default reporter shows only "skipped": say why, once, when the file is collected.
if (!onCluster) console.info(`server/redis-cluster.int.test.ts${SKIP_REASON}`);

function cluster(): Cluster {
  const client = redis();
  if (!(client instanceof Cluster)) throw new Error("REDIS_CLUSTER_NODES is set but redis() is not a Cluster client");
  return client;
}

/** Every key matching `pattern` on each primary, by the primary's address. */
async function keysByPrimary(pattern: string): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  for (const node of cluster().nodes("master")) {
    const keys: string[] = [];
    let cursor = "0";
    do {
      const [next, batch] = await node.scan(cursor, "MATCH", pattern, "COUNT", 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== "0");
    if (keys.length) found.set(`${node.options.host}:${node.options.port}`, keys);
  }
  return found;
}

const slotOf = async (k: string) => Number(await cluster().cluster("KEYSLOT", k));

afterAll(async () => {
  if (onCluster) await closeBullConnection();
});

describe.skipIf(!onCluster)(`on a Redis Cluster${SKIP_REASON}`, () => {
  it("makes Cluster clients for commands and queues, and the cluster has 3 healthy primaries", async () => {
    expect(redis()).toBeInstanceOf(Cluster);
    expect(bullConnection()).toBeInstanceOf(Cluster);
    expect(String(await cluster().cluster("INFO"))).toMatch(/^cluster_state:ok/m);
    await cluster().ping();
    expect(cluster().nodes("master").length).toBeGreaterThanOrEqual(3);
  });

  it("runs the waiting room's join and admission, with every key of a showtime in one slot", async () => {
    const showtimeId = (await makeConcert()).showtimes[0]!.id;
    await updateSettings(redis(), showtimeId, { batchSize: 2, maxActive: 100, stockFactor: 100 });
    const fans = [uniq("fan"), uniq("fan"), uniq("fan")];
    for (const userId of fans) await joinWaitingRoom({ showtimeId, userId });
    expect((await runAdmissionTick(showtimeId)).admitted).toBe(2);
    const states = await Promise.all(fans.map((userId) => getWaitingStatus({ showtimeId, userId })));
    expect(states.map((s) => s.state)).toEqual(["READY", "READY", "WAITING"]);
    expect(states[2]).toMatchObject({ position: 1 });

    const byPrimary = await keysByPrimary(`${key("wr")}:{${showtimeId}}:*`);
    expect(byPrimary.size).toBe(1); // one primary holds the whole waiting room
    const keys = [...byPrimary.values()].flat();
    const k = wrKeys(showtimeId);
    expect(keys).toEqual(expect.arrayContaining([k.settings, k.waiting, k.active, k.seq, k.admissions]));
    const slots = new Set(await Promise.all(keys.map(slotOf)));
    expect([...slots]).toEqual([await slotOf(`{${showtimeId}}`)]);
  });

  it("counts rate limits on whichever primary owns each subject's key, and refuses over the limit", async () => {
    // Enough subjects that their keys land on more than one primary.
    const subjects = Array.from({ length: 12 }, () => ({ kind: "user" as const, id: uniq("u"), limit: 2 }));
    for (const s of subjects) {
      await takeRateLimit("search", [s]);
      expect(await takeRateLimit("search", [s])).toMatchObject({ limit: 2, remaining: 0 });
      await expect(takeRateLimit("search", [s])).rejects.toMatchObject({ code: "RATE_LIMITED" });
    }
    const byPrimary = await keysByPrimary(`${key("rl", "search", "user")}:*`);
    const ours = [...byPrimary.values()].flat().filter((k) => subjects.some((s) => k.endsWith(`:${s.id}`)));
    expect(ours).toHaveLength(subjects.length);
    expect(byPrimary.size).toBeGreaterThan(1);
  });

  it("runs a BullMQ delayed job, and every key of the queue hashes to the prefix's one slot", async () => {
    const name = uniq("cluster-check");
    const queue = new Queue(name, { connection: bullConnection(), prefix: bullPrefix() });
    let ran!: (at: number) => void;
    const done = new Promise<number>((resolve) => (ran = resolve));
    const worker = new Worker(
      name,
      async (job) => {
        ran(Date.now());
        return job.data;
      },
      { connection: bullConnection(), prefix: bullPrefix() },
    );
    try {
      await worker.waitUntilReady();
      const added = Date.now();
      await queue.add("check", { n: 1 }, { jobId: "job-1", delay: 600, removeOnComplete: false });
      // While it waits, its keys exist: the job hash, the delayed set, the queue's meta and id counters.
      const waiting = [...(await keysByPrimary(`${bullPrefix()}:${name}:*`)).values()].flat();
      expect(waiting).toEqual(expect.arrayContaining([`${bullPrefix()}:${name}:job-1`, `${bullPrefix()}:${name}:delayed`]));
      const at = await done;
      expect(at - added).toBeGreaterThanOrEqual(550);
      await expect.poll(async () => (await queue.getJob("job-1"))?.returnvalue, { timeout: 5_000 }).toEqual({ n: 1 });

      const byPrimary = await keysByPrimary(`${bullPrefix()}:${name}:*`);
      expect(byPrimary.size).toBe(1);
      const keys = [...byPrimary.values()].flat();
      expect(keys.length).toBeGreaterThanOrEqual(3);
      const slots = new Set(await Promise.all(keys.map(slotOf)));
      expect([...slots]).toEqual([await slotOf(`${env().REDIS_PREFIX}:bull`)]);
    } finally {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it("delivers pub/sub messages published on any primary to a subscriber connected to another", async () => {
    const channel = key("cluster-check", uniq("ch"));
    const got: unknown[] = [];
    const unsubscribe = await subscribe(channel, (m) => got.push(m));
    const primaries = cluster().nodes("master");
    // Publish straight to each primary, bypassing the cluster client's choice of node.
    for (const [i, node] of primaries.entries()) {
      const direct = new Redis({ host: node.options.host, port: node.options.port, lazyConnect: true });
      await direct.connect();
      await direct.publish(channel, JSON.stringify({ from: i }));
      direct.disconnect();
    }
    await publish(channel, { from: "cluster client" });
    await expect.poll(() => got.length, { timeout: 5_000 }).toBe(primaries.length + 1);
    expect(got).toEqual(expect.arrayContaining([...primaries.map((_, i) => ({ from: i })), { from: "cluster client" }]));
    await unsubscribe();
  });
});
