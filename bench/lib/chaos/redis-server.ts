// The chaos run's own redis-server, on a free loopback port with its data in a temp dir, so it can be
// killed and started again without touching the Redis everyone else shares. No persistence by default
// (a restart comes back empty); with `aof`, appendonly (fsync every second, Redis's default), so a
// restart replays what was written up to about a second before the kill.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { freePort, pingRedis } from "../../../test/support/redis-server.ts";

export type OwnRedis = {
  url: string;
  port: number;
  dir: string;
  aof: boolean;
  /** Whether it is running now (between kill and start it is not). */
  readonly up: boolean;
  /** SIGKILL, as a crash or a lost machine would: no shutdown save, no goodbye to clients. */
  kill(): Promise<void>;
  /** Starts it again on the same port and dir; resolves once it answers PING (after loading the AOF). */
  start(): Promise<void>;
  /** Number of keys (DBSIZE), or null when it does not answer. */
  dbsize(): Promise<number | null>;
  /** Stops it for good and removes its dir. */
  close(): Promise<void>;
};

export async function startOwnRedis(opts: { aof: boolean; port?: number }): Promise<OwnRedis> {
  const port = opts.port ?? (await freePort());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "onsale-chaos-redis-"));
  const url = `redis://127.0.0.1:${port}`;
  const args = [
    "--port", String(port),
    "--bind", "127.0.0.1",
    "--dir", dir,
    "--logfile", path.join(dir, "redis.log"),
    "--save", "",
    "--appendonly", opts.aof ? "yes" : "no",
    "--appendfsync", "everysec",
    // What production requires (the worker refuses an evicting policy).
    "--maxmemory-policy", "noeviction",
  ];
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const killOnExit = () => child?.kill("SIGKILL");
  process.on("exit", killOnExit);

  const start = async () => {
    if (child) throw new Error("redis-server is already running");
    const proc = spawn("redis-server", args, { detached: true, stdio: "ignore" });
    child = proc;
    // Not unref'd: awaiting its exit after a kill must keep this process alive until the exit arrives.
    exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
    void exited.then(() => {
      if (child === proc) child = undefined;
    });
    for (let waited = 0; !(await pingRedis(port)); waited += 100) {
      if (child !== proc || waited > 30_000) {
        const log = fs.existsSync(path.join(dir, "redis.log")) ? fs.readFileSync(path.join(dir, "redis.log"), "utf8").split("\n").slice(-15).join("\n") : "";
        throw new Error(`redis-server did not come up on port ${port}\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const kill = async () => {
    if (!child) return;
    const proc = child;
    proc.kill("SIGKILL");
    await exited;
    if (child === proc) child = undefined;
  };

  await start();
  return {
    url,
    port,
    dir,
    aof: opts.aof,
    get up() {
      return child !== undefined;
    },
    kill,
    start,
    async dbsize() {
      const client = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
      client.on("error", () => {});
      try {
        await client.connect();
        return await client.dbsize();
      } catch {
        return null;
      } finally {
        client.disconnect();
      }
    },
    async close() {
      await kill();
      process.removeListener("exit", killOnExit);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
