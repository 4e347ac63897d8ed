// The one redis-server launcher (npm start's fallback, fault tests, chaos runs, cluster nodes): runs it on
// a port with its own dir, waits until it answers, and stops, kills or starts it again.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { onPath, sleep, tailOf } from "../proc.ts";
import { pingRedis } from "./probe.ts";

export type RedisServerOptions = {
  port: number;
  /** Its working directory, created if missing: `redis.log` (emptied at launch), and the AOF with `appendonly`. */
  dir: string;
  /**
   * An append-only file, fsynced "always" (a SIGKILL loses nothing acknowledged) or "everysec" (Redis's
   * default: up to about a second). Without it nothing is persisted, so a restart comes back empty.
   */
  appendonly?: "always" | "everysec";
  /**
   * Its own process group: a terminal's Ctrl-C then reaches only us, and we stop it last, in order.
   * Without it, Ctrl-C ends it together with us (what a test run wants).
   */
  ownProcessGroup?: boolean;
  /** How long a start waits for PING (default 15 s; loading a large AOF takes a while). */
  startTimeoutMs?: number;
};

export type RedisServer = {
  port: number;
  url: string;
  dir: string;
  logFile: string;
  /** The running process's pid, undefined when it is not running. */
  pid: () => number | undefined;
  running: () => boolean;
  /** Starts it on the same port and dir (with an AOF, from what the AOF holds); waits for PING. Nothing if running. */
  start: () => Promise<void>;
  /**
   * "shutdown" (default) is SIGTERM, which Redis takes as SHUTDOWN: no snapshot is saved (`--save ""`), the
   * AOF is flushed. "kill" is SIGKILL, a crash. SIGKILL after `graceMs` either way; resolves once it has exited.
   */
  stop: (how?: "shutdown" | "kill", graceMs?: number) => Promise<void>;
  /** stop, then start. */
  restart: (how?: "shutdown" | "kill") => Promise<void>;
};

/** The redis-server binary: REDIS_SERVER_BIN, else the first on the PATH; undefined when there is none. */
export function redisServerBin(): string | undefined {
  return process.env.REDIS_SERVER_BIN || onPath("redis-server");
}

/** Arguments every launch shares: loopback only, nothing snapshotted, no eviction (the worker refuses one). */
export function redisServerArgs(opts: Pick<RedisServerOptions, "port" | "dir" | "appendonly">): string[] {
  const dir = path.resolve(opts.dir);
  return [
    "--port",
    String(opts.port),
    "--bind",
    "127.0.0.1",
    "--dir",
    dir,
    "--logfile",
    path.join(dir, "redis.log"),
    "--save",
    "",
    ...(opts.appendonly ? ["--appendonly", "yes", "--appendfsync", opts.appendonly] : ["--appendonly", "no"]),
    "--maxmemory-policy",
    "noeviction",
  ];
}

/** Waits until the Redis at `url` answers PING: false once `timeoutMs` has passed or `gaveUp()` says it never will. */
export async function waitForRedis(url: string, timeoutMs: number, gaveUp: () => boolean = () => false): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (await pingRedis(url)) {
    if (gaveUp() || Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

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

/** Starts redis-server as `opts` say and resolves once it answers PING. */
export async function launchRedisServer(opts: RedisServerOptions): Promise<RedisServer> {
  const bin = redisServerBin();
  if (!bin) throw new Error("redis-server is not on PATH (nor named by REDIS_SERVER_BIN)");
  const { port } = opts;
  const dir = path.resolve(opts.dir);
  const logFile = path.join(dir, "redis.log");
  const url = `redis://127.0.0.1:${port}`;
  const args = redisServerArgs({ ...opts, dir });
  fs.mkdirSync(dir, { recursive: true });
  fs.rmSync(logFile, { force: true });

  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const alive = (proc: ChildProcess | undefined) =>
    proc !== undefined && proc.exitCode === null && proc.signalCode === null && proc.pid !== undefined;
  const running = () => alive(child);

  async function start(): Promise<void> {
    if (running()) return;
    // Another server there would answer our PINGs while ours exits with "Address already in use".
    if (!(await pingRedis(url))) throw new Error(`something already answers on 127.0.0.1:${port}`);
    const proc = spawn(bin!, args, { detached: opts.ownProcessGroup ?? false, stdio: "ignore" });
    child = proc;
    // If we exit without stopping it, it goes too.
    const killOnExit = () => proc.kill("SIGKILL");
    process.on("exit", killOnExit);
    let failed = false;
    exited = new Promise<void>((resolve) => {
      const done = () => {
        process.removeListener("exit", killOnExit);
        resolve();
      };
      proc.once("exit", done);
      proc.once("error", () => {
        failed = true; // could not be spawned: there is no exit to wait for
        done();
      });
    });
    // It never keeps us alive on its own; a stop keeps us alive until its exit arrives (the grace timer).
    proc.unref();
    const timeoutMs = opts.startTimeoutMs ?? 15_000;
    if (await waitForRedis(url, timeoutMs, () => failed || !alive(proc))) return;
    const why = alive(proc) ? `did not answer within ${timeoutMs / 1000} s` : "exited at start";
    await stop("kill");
    throw new Error(`redis-server on 127.0.0.1:${port} ${why}:\n${tailOf(logFile, 20)}`);
  }

  async function stop(how: "shutdown" | "kill" = "shutdown", graceMs = 10_000): Promise<void> {
    const proc = child;
    if (!proc || !running()) return;
    proc.kill(how === "kill" ? "SIGKILL" : "SIGTERM");
    const timer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
  }

  await start();
  return {
    port,
    url,
    dir,
    logFile,
    pid: () => (running() ? child?.pid : undefined),
    running,
    start,
    stop,
    restart: async (how) => {
      await stop(how);
      await start();
    },
  };
}
