// A private redis-server for fault tests: its own free port and temp dir, so a test can stop, kill and
// restart it (empty, or from its AOF) without touching the shared Redis on 6379 that other runs use.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, launchRedisServer, type RedisServer as LaunchedRedisServer } from "../../scripts/services/redis-server.ts";

export { freePort };

export type RedisServer = LaunchedRedisServer & {
  /** Append-only file with fsync on every write, so a SIGKILL loses nothing acknowledged. */
  aof: boolean;
  /** Stops it for good and removes its dir. */
  close: () => Promise<void>;
};

export async function startRedisServer(options: { aof?: boolean } = {}): Promise<RedisServer> {
  const aof = options.aof ?? false;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "onsale-redis-"));
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    const server = await launchRedisServer({ port: await freePort(), dir, appendonly: aof ? "always" : undefined });
    return {
      ...server,
      aof,
      async close() {
        await server.stop("kill");
        remove();
      },
    };
  } catch (err) {
    remove();
    throw err;
  }
}
