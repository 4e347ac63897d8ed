// A local 3-primary Redis Cluster on loopback ports, for running Onsale with REDIS_CLUSTER_NODES:
//   npx tsx scripts/redis-cluster.ts start|stop|status [--ports 7001,7002,7003]
// start is idempotent (an already formed cluster is left as it is); stop shuts the nodes down and
// removes their data under .data/redis-cluster/<port>/.
import fs from "node:fs";
import path from "node:path";
import { Redis } from "ioredis";
import { z } from "zod";
import { repoRoot, run, runOrThrow, seconds, sleep } from "./proc.ts";
import { redisServerArgs, redisServerBin, waitForRedis } from "./services/redis-server.ts";

const ZArgs = z.object({
  command: z.enum(["start", "stop", "status"]),
  ports: z
    .string()
    .default("7001,7002,7003")
    .transform((v) => v.split(",").map((p) => Number(p.trim())))
    .pipe(
      z
        .array(z.number().int().min(1024).max(65_535))
        .min(3, "a cluster needs at least 3 primaries")
        .refine((ports) => new Set(ports).size === ports.length, "ports must differ"),
    ),
});

const HOST = "127.0.0.1";
const dataDir = (port: number) => path.join(repoRoot, ".data", "redis-cluster", String(port));

function parseArgs(argv: string[]) {
  const [command, ...rest] = argv;
  let ports: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === "--ports") ports = rest[++i];
    else if (arg.startsWith("--ports=")) ports = arg.slice("--ports=".length);
    else throw new Error(`unknown argument: ${arg}`);
  }
  const parsed = ZArgs.safeParse({ command, ports });
  if (!parsed.success) {
    throw new Error(
      `${parsed.error.issues.map((i) => `${i.path.join(".") || "arguments"}: ${i.message}`).join("\n")}\n` +
        "usage: npx tsx scripts/redis-cluster.ts start|stop|status [--ports 7001,7002,7003]",
    );
  }
  return parsed.data;
}

/** A short-lived client to one node that fails at once instead of retrying. */
async function withNode<T>(port: number, fn: (client: Redis) => Promise<T>): Promise<T | undefined> {
  const client = new Redis({
    host: HOST,
    port,
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  client.on("error", () => {}); // the awaited calls report failures
  try {
    await client.connect();
    return await fn(client);
  } catch {
    return undefined;
  } finally {
    client.disconnect();
  }
}

type NodeState = {
  port: number;
  up: boolean;
  clusterEnabled: boolean;
  state?: string;
  knownNodes?: number;
  slotsAssigned?: number;
  keys?: number;
};

async function nodeState(port: number): Promise<NodeState> {
  const state = await withNode(port, async (client) => {
    const enabled = /^cluster_enabled:1/m.test(await client.info("cluster"));
    if (!enabled) return { port, up: true, clusterEnabled: false };
    const info = String(await client.cluster("INFO"));
    const field = (name: string) => new RegExp(`^${name}:(\\S+)`, "m").exec(info)?.[1];
    return {
      port,
      up: true,
      clusterEnabled: true,
      state: field("cluster_state"),
      knownNodes: Number(field("cluster_known_nodes")),
      slotsAssigned: Number(field("cluster_slots_assigned")),
      keys: await client.dbsize(),
    };
  });
  return state ?? { port, up: false, clusterEnabled: false };
}

async function waitFor(what: string, ms: number, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(100);
  }
}

async function start(ports: number[]): Promise<void> {
  const started = Date.now();
  const bin = redisServerBin();
  if (!bin) throw new Error("redis-server is not on PATH (nor named by REDIS_SERVER_BIN)");
  for (const port of ports) {
    const s = await nodeState(port);
    if (s.up && !s.clusterEnabled) throw new Error(`port ${port} is taken by a Redis without cluster mode; pick other --ports`);
    if (s.up) continue;
    const dir = dataDir(port);
    fs.mkdirSync(dir, { recursive: true });
    // Without a listening node, an old nodes.conf would make the node rejoin a cluster that is gone.
    fs.rmSync(path.join(dir, "nodes.conf"), { force: true });
    // Daemonized, unlike the launcher's servers: the nodes outlive this command until `stop`.
    const args = [...redisServerArgs({ port, dir }), "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf"];
    await runOrThrow(bin, [...args, "--daemonize", "yes", "--pidfile", path.join(dir, "redis.pid")], { capture: true });
    if (!(await waitForRedis(`redis://${HOST}:${port}`, 10_000))) throw new Error(`redis-server on ${port} did not answer within 10 s`);
    console.log(`redis-cluster: started a node on ${HOST}:${port} (data in ${path.relative(repoRoot, dir)})`);
  }

  const states = await Promise.all(ports.map(nodeState));
  const formed = states.every((s) => s.state === "ok" && s.knownNodes === ports.length && s.slotsAssigned === 16384);
  if (!formed) {
    if (states.some((s) => (s.knownNodes ?? 1) > 1 || (s.slotsAssigned ?? 0) > 0)) {
      throw new Error(
        `the nodes on ${ports.join(",")} are partly joined (${describe(states)}); run \`npx tsx scripts/redis-cluster.ts stop\` and start again`,
      );
    }
    const create = await run(
      "redis-cli",
      ["--cluster", "create", ...ports.map((p) => `${HOST}:${p}`), "--cluster-replicas", "0", "--cluster-yes"],
      { capture: true },
    );
    if (create.code !== 0) throw new Error(`redis-cli --cluster create failed:\n${(create.stdout + create.stderr).trim()}`);
  }
  await waitFor("cluster_state:ok on every node", 20_000, async () => {
    const all = await Promise.all(ports.map(nodeState));
    return all.every((s) => s.state === "ok" && s.knownNodes === ports.length);
  });
  const nodes = ports.map((p) => `${HOST}:${p}`).join(",");
  console.log(`redis-cluster: ${formed ? "already running" : "formed"}: ${ports.length} primaries, cluster_state:ok (${seconds(started)})`);
  console.log(`  use it with: REDIS_CLUSTER_NODES=${nodes}`);
}

async function stop(ports: number[]): Promise<void> {
  for (const port of ports) {
    const s = await nodeState(port);
    if (s.up && !s.clusterEnabled) {
      console.log(`redis-cluster: ${port} is a Redis without cluster mode, not ours: left running`);
      continue;
    }
    if (s.up) {
      // SHUTDOWN closes the connection instead of answering, so the reply is an error to ignore.
      await withNode(port, (client) => client.call("SHUTDOWN", "NOSAVE"));
      await waitFor(`node ${port} to stop`, 10_000, async () => !(await nodeState(port)).up);
      console.log(`redis-cluster: stopped the node on ${HOST}:${port}`);
    }
    fs.rmSync(dataDir(port), { recursive: true, force: true });
  }
  const root = path.join(repoRoot, ".data", "redis-cluster");
  if (fs.existsSync(root) && fs.readdirSync(root).length === 0) fs.rmdirSync(root);
  console.log("redis-cluster: stopped; data removed");
}

function describe(states: NodeState[]): string {
  return states
    .map((s) =>
      !s.up
        ? `${s.port}: down`
        : !s.clusterEnabled
          ? `${s.port}: up, not in cluster mode`
          : `${s.port}: ${s.state}, ${s.knownNodes} nodes known, ${s.slotsAssigned} slots assigned, ${s.keys} keys`,
    )
    .join("; ");
}

async function status(ports: number[]): Promise<number> {
  const states = await Promise.all(ports.map(nodeState));
  for (const line of describe(states).split("; ")) console.log(`redis-cluster: ${line}`);
  const ok = states.every((s) => s.state === "ok");
  console.log(ok ? "redis-cluster: ok" : "redis-cluster: not running (start it with `npx tsx scripts/redis-cluster.ts start`)");
  return ok ? 0 : 1;
}

async function main(): Promise<number> {
  const { command, ports } = parseArgs(process.argv.slice(2));
  if (command === "start") await start(ports);
  else if (command === "stop") await stop(ports);
  else return status(ports);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`redis-cluster: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
