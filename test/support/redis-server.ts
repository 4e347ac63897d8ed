// A private redis-server for fault tests: its own free port and temp dir, so a test can stop, kill and
// restart it (empty, or from its AOF) without touching the shared Redis on 6379 that other runs use.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";

export type RedisServerOptions = {
  /** Append-only file with fsync on every write, so a SIGKILL loses nothing acknowledged. Default off. */
  aof?: boolean;
  /** redis-server binary (default: REDIS_SERVER_BIN or `redis-server` on the PATH). */
  bin?: string;
};

export type RedisServer = {
  port: number;
  url: string;
  dir: string;
  aof: boolean;
  /** Whether redis-server is running now. */
  running: () => boolean;
  /** Starts it again on the same port and dir (with AOF on, from what the AOF holds); waits for PING. */
  start: () => Promise<void>;
  /**
   * Stops it. "nosave" (default) is SHUTDOWN NOSAVE: with AOF off the data is gone; with AOF on, what was
   * fsynced stays. "kill" is SIGKILL, a crash.
   */
  stop: (how?: "nosave" | "kill") => Promise<void>;
  /** stop, then start. */
  restart: (how?: "nosave" | "kill") => Promise<void>;
  /** Stops it for good and removes its dir. */
  close: () => Promise<void>;
};

/** A TCP port nobody listens on right now (the kernel picks it). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, "close");
  return port;
}

/** Whether a Redis answers PING on this port, asked by a short-lived client that fails at once instead of retrying. */
export async function pingRedis(port: number): Promise<boolean> {
  const client = new Redis({ host: "127.0.0.1", port, lazyConnect: true, connectTimeout: 500, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  client.on("error", () => {});
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const aof = options.aof ?? false;
  const bin = options.bin ?? process.env.REDIS_SERVER_BIN ?? "redis-server";
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "onsale-redis-"));
  const port = await freePort();
  let child: ChildProcess | undefined;
  let output = "";

  const args = [
    "--port", String(port),
    "--bind", "127.0.0.1",
    "--dir", dir,
    "--save", "",
    "--maxmemory-policy", "noeviction",
    "--protected-mode", "no",
    "--loglevel", "warning",
    ...(aof ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"]),
  ];

  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;

  async function start(): Promise<void> {
    if (running()) return;
    const proc = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
    child = proc;
    proc.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    proc.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 15_000;
    while (!(await pingRedis(port))) {
      if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`redis-server on ${port} exited at start:\n${output}`);
      if (Date.now() > deadline) throw new Error(`redis-server on ${port} did not answer within 15 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function stop(how: "nosave" | "kill" = "nosave"): Promise<void> {
    const proc = child;
    if (!proc || !running()) return;
    const exited = once(proc, "exit");
    if (how === "kill") {
      proc.kill("SIGKILL");
    } else {
      const client = new Redis({ host: "127.0.0.1", port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on("error", () => {});
      try {
        await client.connect();
        // The server closes the connection instead of answering.
        await client.call("SHUTDOWN", "NOSAVE").catch(() => {});
      } catch {
        proc.kill("SIGKILL");
      } finally {
        client.disconnect();
      }
    }
    const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  }

  async function close(): Promise<void> {
    await stop("kill");
    fs.rmSync(dir, { recursive: true, force: true });
  }

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    aof,
    running,
    start,
    stop,
    restart: async (how) => {
      await stop(how);
      await start();
    },
    close,
  };
}
