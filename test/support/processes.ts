// Real worker processes and database backends for integration tests, started with the test run's
// environment: spawn, signal (kill, freeze, resume) and watch workers; hold row locks from a connection
// of their own, find the backend that waits for them, and terminate it.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import pg from "pg";
import { env } from "../../server/env.ts";

export type RunningWorker = {
  child: ChildProcess;
  output: () => string;
  /** SIGTERM (after SIGCONT, so a frozen worker can hear it), then SIGKILL if it has not gone in `graceMs`. */
  stop: (graceMs?: number) => Promise<number | null>;
  /** Sends a signal (SIGKILL, SIGSTOP, SIGCONT, ...). */
  signal: (signal: NodeJS.Signals) => void;
  /** Resolves with the output once it matches `pattern`. */
  waitForOutput: (pattern: RegExp, ms: number, what?: string) => Promise<string>;
  /** Resolves once the process has exited (at once if it already has). */
  exited: () => Promise<void>;
};

/** `env` is added to the run's environment; a variable set to undefined is left out. */
export function startWorker(env: Record<string, string | undefined> = {}): RunningWorker {
  const child = spawn(process.execPath, ["--import", "tsx", "worker/index.ts"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const exit = once(child, "exit").then(() => undefined);
  return {
    child,
    output: () => output,
    stop: async (graceMs = 25_000) => {
      if (gone()) return child.exitCode;
      child.kill("SIGCONT");
      child.kill("SIGTERM");
      const timer = setTimeout(() => {
        if (!gone()) child.kill("SIGKILL");
      }, graceMs);
      await exit;
      clearTimeout(timer);
      return child.exitCode;
    },
    signal: (signal) => {
      child.kill(signal);
    },
    waitForOutput: (pattern, ms, what = String(pattern)) =>
      waitFor(async () => (pattern.test(output) ? output : undefined), ms, `worker output ${what}`),
    exited: () => exit,
  };
}

export async function waitFor<T>(probe: () => Promise<T | undefined>, ms: number, what = "condition"): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function connect(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: env().DATABASE_URL });
  // A backend terminated under it must not crash the test run; the query that was running rejects.
  client.on("error", () => {});
  await client.connect();
  return client;
}

/** A transaction on a connection of its own that keeps the rows `sql` locked until `release` rolls it back. */
export type RowLock = { pid: number; release: () => Promise<void> };

export async function lockRows(sql: string, params: unknown[] = []): Promise<RowLock> {
  const client = await connect();
  await client.query("BEGIN");
  const locked = await client.query(sql, params);
  if (!locked.rowCount) {
    await client.end();
    throw new Error(`lockRows: nothing locked by ${sql}`);
  }
  const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
  let released = false;
  return {
    pid: rows[0]!.pid,
    release: async () => {
      if (released) return;
      released = true;
      await client.query("ROLLBACK").catch(() => {});
      await client.end().catch(() => {});
    },
  };
}

export type Backend = { pid: number; query: string; waitEvent: string; state: string };

/** Runs `sql` once on a short-lived connection of its own. */
export async function queryOnce<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
  const client = await connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end().catch(() => {});
  }
}

/** The backend of this test's database that waits for a lock `lock` holds (found in pg_stat_activity). */
export async function waitingBackend(lock: RowLock, ms = 30_000): Promise<Backend> {
  return waitFor(
    async () => {
      const [row] = await queryOnce<Backend>(
        `SELECT pid, query, wait_event AS "waitEvent", state FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock' AND $1 = ANY(pg_blocking_pids(pid))`,
        [lock.pid],
      );
      return row;
    },
    ms,
    `a backend waiting for the lock of backend ${lock.pid}`,
  );
}

/** Whether the backend still exists. */
export async function backendAlive(pid: number): Promise<boolean> {
  return (await queryOnce("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [pid])).length > 0;
}

/** Terminates a backend (as an operator or a crash would), waiting up to 5 s for it to go. */
export async function terminateBackend(pid: number): Promise<boolean> {
  const [row] = await queryOnce<{ ok: boolean }>("SELECT pg_terminate_backend($1, 5000) AS ok", [pid]);
  return row!.ok;
}
