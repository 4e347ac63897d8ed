// The chaos run's own redis-server, on a free loopback port with its data in a temp dir, so it can be
// killed and started again without touching the Redis everyone else shares. No persistence by default
// (a restart comes back empty); with `aof`, appendonly (fsync every second, Redis's default), so a
// restart replays what was written up to about a second before the kill.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { newRedis } from "../../../scripts/services/probe.ts";
import { freePort, launchRedisServer } from "../../../scripts/services/redis-server.ts";

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
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "onsale-chaos-redis-"));
  const server = await launchRedisServer({
    port: opts.port ?? (await freePort()),
    dir,
    appendonly: opts.aof ? "everysec" : undefined,
    // A Ctrl-C reaches the run, which stops the fans and the faults before its Redis.
    ownProcessGroup: true,
    startTimeoutMs: 30_000,
  });
  return {
    url: server.url,
    port: server.port,
    dir,
    aof: opts.aof,
    get up() {
      return server.running();
    },
    kill: () => server.stop("kill"),
    start: server.start,
    async dbsize() {
      const client = newRedis(server.url);
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
      await server.stop("kill");
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
