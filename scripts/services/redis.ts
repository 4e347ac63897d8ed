// Finds the Redis to use (a Redis Cluster, REDIS_URL, the local one on 6379, else a redis-server of our own)
// and deletes an installation's keys from it.
import path from "node:path";
import type { Redis } from "ioredis";
import { repoRoot, seconds } from "../proc.ts";
import { messageOf, newRedis, pingRedis, redact } from "./probe.ts";
import { launchRedisServer, redisServerBin, type RedisServer } from "./redis-server.ts";

const SPAWNED_REDIS_PORT = 6390;

export async function ensureRedis(opts: { log?: (line: string) => void } = {}): Promise<{ redisUrl: string; stop(): Promise<void> }> {
  const log = opts.log ?? console.log;
  const none = { stop: async () => {} };

  // The cluster switch: the app and worker use the cluster and ignore REDIS_URL, so the runs get one of its
  // nodes as REDIS_URL (deleteRedisKeys finds the rest from it).
  const clusterNodes = process.env.REDIS_CLUSTER_NODES;
  if (clusterNodes) {
    const first = clusterNodes.split(",")[0]?.trim() ?? "";
    const nodeUrl = `redis://${first}`;
    const problem = first ? await clusterProblem(nodeUrl) : "no node given";
    if (problem) {
      throw new Error(
        `Redis: REDIS_CLUSTER_NODES (${clusterNodes}) is not a usable Redis Cluster: ${problem}\n` +
          "  Start a local 3-primary cluster with: npx tsx scripts/redis-cluster.ts start",
      );
    }
    log(`Redis: using the Redis Cluster at ${clusterNodes} (REDIS_CLUSTER_NODES)`);
    return { redisUrl: nodeUrl, ...none };
  }

  const fromEnv = process.env.REDIS_URL;
  if (fromEnv) {
    const problem = await pingRedis(fromEnv);
    if (problem) throw new Error(`Redis: REDIS_URL (${redact(fromEnv)}) is not reachable: ${problem}`);
    log(`Redis: using REDIS_URL (${redact(fromEnv)})`);
    return { redisUrl: fromEnv, ...none };
  }

  const localUrl = "redis://127.0.0.1:6379";
  const localProblem = await pingRedis(localUrl);
  if (!localProblem) {
    log("Redis: using local server at 127.0.0.1:6379");
    return { redisUrl: localUrl, ...none };
  }

  const redisUrl = `redis://127.0.0.1:${SPAWNED_REDIS_PORT}`;
  if (!(await pingRedis(redisUrl))) {
    // Another `npm start`/`npm test` of ours started it; it stays theirs to stop.
    log(
      `Redis: none reachable at 127.0.0.1:6379 (${localProblem}); reusing the redis-server already running at 127.0.0.1:${SPAWNED_REDIS_PORT}`,
    );
    return { redisUrl, ...none };
  }

  if (!redisServerBin()) {
    throw new Error(
      `Redis: nothing answers at 127.0.0.1:6379 (${localProblem}) and redis-server is not on PATH.\n` +
        "  Install it:  Debian/Ubuntu: sudo apt-get install -y redis-server    macOS: brew install redis\n" +
        "  or set REDIS_URL to a running Redis (e.g. REDIS_URL=redis://127.0.0.1:6379).",
    );
  }

  const started = Date.now();
  let server: RedisServer;
  try {
    // Its own process group: Ctrl-C reaches us, and we stop it last.
    const dir = path.join(repoRoot, ".data", "redis");
    server = await launchRedisServer({ port: SPAWNED_REDIS_PORT, dir, ownProcessGroup: true, startTimeoutMs: 10_000 });
  } catch (err) {
    throw new Error(`Redis: ${messageOf(err)}`);
  }
  log(
    `Redis: none reachable at 127.0.0.1:6379 (${localProblem}); started redis-server at 127.0.0.1:${SPAWNED_REDIS_PORT} (pid ${server.pid()}, ${seconds(started)})`,
  );
  return { redisUrl, stop: () => server.stop("shutdown", 5000) };
}

/** Why the Redis at `url` is not a healthy cluster node (cluster_state:ok), or undefined. */
async function clusterProblem(url: string): Promise<string | undefined> {
  const unreachable = await pingRedis(url);
  if (unreachable) return unreachable;
  const client = newRedis(url);
  try {
    await client.connect();
    const info = await client.info("cluster");
    if (!/^cluster_enabled:1/m.test(info)) return `${url} is a Redis without cluster mode`;
    const state = /^cluster_state:(\w+)/m.exec(await client.cluster("INFO"))?.[1];
    return state === "ok" ? undefined : `cluster_state is ${state ?? "unknown"}`;
  } catch (err) {
    return messageOf(err);
  } finally {
    client.disconnect();
  }
}

/**
 * Deletes every key of a deployment's `prefix` (`<prefix>:...`, and BullMQ's hash-tagged
 * `{<prefix>:bull}:...`); returns how many. When `redisUrl` is a Redis Cluster node, deletes on every
 * primary, since each one holds only its own slots' keys.
 */
export async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<number> {
  if (!prefix) throw new Error("refusing to delete Redis keys without a prefix");
  const escaped = prefix.replace(/[*?[\]\\]/g, "\\$&");
  const patterns = [`${escaped}:*`, `{${escaped}:*`];
  const client = newRedis(redisUrl);
  await client.connect();
  try {
    if (!/^cluster_enabled:1/m.test(await client.info("cluster"))) return await deleteMatching(client, patterns, { sameSlot: false });
    let deleted = 0;
    for (const address of await clusterPrimaries(client)) {
      const node = newRedis(`redis://${address}`);
      try {
        await node.connect();
        deleted += await deleteMatching(node, patterns, { sameSlot: true });
      } finally {
        node.disconnect();
      }
    }
    return deleted;
  } finally {
    client.disconnect();
  }
}

/** `host:port` of every primary that CLUSTER NODES lists as connected. */
async function clusterPrimaries(client: Redis): Promise<string[]> {
  const lines = String(await client.cluster("NODES"))
    .trim()
    .split("\n");
  return lines
    .map((line) => line.split(" "))
    .filter(([, , flags, , , , , link]) => flags?.split(",").includes("master") && !flags.includes("fail") && link === "connected")
    .map(([, address]) => address!.split("@")[0]!);
}

async function deleteMatching(client: Redis, patterns: string[], { sameSlot }: { sameSlot: boolean }): Promise<number> {
  let deleted = 0;
  for (const pattern of patterns) {
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", pattern, "COUNT", 1000);
      cursor = next;
      if (!keys.length) continue;
      if (!sameSlot) {
        deleted += await client.unlink(...keys);
        continue;
      }
      // A cluster node refuses a multi-key UNLINK across slots (CROSSSLOT): one key per command, pipelined.
      const pipeline = client.pipeline();
      for (const k of keys) pipeline.unlink(k);
      for (const [err, n] of (await pipeline.exec()) ?? []) {
        if (err) throw err;
        deleted += Number(n);
      }
    } while (cursor !== "0");
  }
  return deleted;
}
