// Raw Redis throughput from `redis-benchmark`, as a yardstick for what the app does with Redis.
import { run } from "../../scripts/proc.ts";

export type RedisBenchmarkRow = { test: string; rps: number; p50: number; p99: number };

/**
 * Runs GET, SET, INCR and ZADD like `redis-benchmark -t get,set,incr,zadd`, but as custom commands so
 * every key it writes starts with `keyPrefix` (the built-in tests write `key:…`, `counter:…`, `myzset…`
 * into the shared keyspace, outside any run's prefix). `-r` spreads them over that many random keys.
 */
export async function runRedisBenchmark(opts: {
  redisUrl: string;
  keyPrefix: string;
  requests: number;
  clients: number;
  pipeline?: number;
}): Promise<RedisBenchmarkRow[] | { unavailable: string }> {
  const url = new URL(opts.redisUrl);
  const conn = ["-h", url.hostname.replace(/^\[|\]$/g, ""), "-p", url.port || "6379"];
  if (url.password) conn.push("-a", decodeURIComponent(url.password));
  if (url.username && url.password) conn.push("--user", decodeURIComponent(url.username));
  const db = url.pathname.replace(/^\//, "");
  if (db) conn.push("--dbnum", db);
  const p = opts.keyPrefix;
  const tests: [string, string[]][] = [
    ["get", ["GET", `${p}key:__rand_int__`]],
    ["set", ["SET", `${p}key:__rand_int__`, "xxx"]],
    ["incr", ["INCR", `${p}counter:__rand_int__`]],
    ["zadd", ["ZADD", `${p}myzset`, "__rand_int__", "element:__rand_int__"]],
  ];
  const rows: RedisBenchmarkRow[] = [];
  // SET before GET, so GET finds values, as `-t set,get` runs them; reported in the usual order.
  for (const [test, command] of [tests[1]!, tests[0]!, tests[2]!, tests[3]!]) {
    const args = [
      ...conn,
      "-n",
      String(opts.requests),
      "-c",
      String(opts.clients),
      "-P",
      String(opts.pipeline ?? 1),
      "-r",
      "100000",
      "--csv",
      ...command,
    ];
    let result;
    try {
      result = await run("redis-benchmark", args, { capture: true });
    } catch (err) {
      return { unavailable: `redis-benchmark could not run (${(err as Error).message}); on Debian: apt-get install -y redis-tools` };
    }
    if (result.code !== 0) return { unavailable: `redis-benchmark exited with ${result.code}: ${(result.stderr || result.stdout).trim()}` };
    // CSV: "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
    const line = result.stdout.trim().split("\n").at(-1) ?? "";
    const cells = line.split(",").map((c) => c.replace(/^"|"$/g, ""));
    rows.push({ test, rps: Number(cells[1]), p50: Number(cells[4]), p99: Number(cells[6]) });
  }
  return tests.map(([test]) => rows.find((r) => r.test === test)!);
}
