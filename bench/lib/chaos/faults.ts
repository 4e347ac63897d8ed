// The fault injector: seeded, one fault at a time at random moments, each recorded with its start, its
// end (when the system was whole again: a new worker up, the frozen one resumed, Redis answering, every web
// process answering) and what it hit. Faults in a round come in a shuffled order of every enabled kind,
// so a run of a few rounds injects each kind.
import pg from "pg";
import type { LongRunning } from "../../../scripts/proc.ts";
import { webServerProcesses } from "../cpu.ts";
import { seededRandom } from "../sim/arrival.ts";
import type { Stack } from "../stack.ts";
import type { FaultKind } from "./options.ts";
import type { OwnRedis } from "./redis-server.ts";

export type Fault = {
  kind: FaultKind;
  /** ms since the first fan's arrival (t0) when it was fired, and when the system was whole again. */
  at: number;
  end: number;
  target: string;
  detail: string;
  /** Why it could not be injected (e.g. no worker to kill); such a fault is listed, not counted. */
  skipped?: string;
};

export type Injector = {
  faults: Fault[];
  /** The fault under way, if any (for the progress line). */
  current(): FaultKind | undefined;
  /** Resolves when the injector has stopped and everything it broke is whole again. */
  done: Promise<void>;
  /** Stops firing (a fault under way is finished and repaired first). */
  stop(): void;
  /** Processes this injector killed on purpose (any other that died, died by itself). */
  killedPids: Set<number>;
  /** The worker processes as they are now (killed ones replaced in place; the web server replaces its own). */
  workers: LongRunning[];
};

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });

const signalGroup = (pid: number, signal: NodeJS.Signals) => {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
};

const alive = (p: LongRunning) => {
  try {
    process.kill(p.pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Waits until a line matching `pattern` shows in the process's recent output. */
async function waitForLine(proc: LongRunning, pattern: RegExp, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (pattern.test(proc.tail(400))) return true;
    if (!alive(proc)) return false;
    await sleep(200);
  }
  return false;
}

/**
 * Whether, within `ms`, the web server has replaced `victim` (its primary has as many children again, none
 * of them the victim) and answers health with every process up.
 */
async function waitForAllUp(url: string, primary: number, victim: number, count: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const children = webServerProcesses(primary);
    if (children.includes(victim) || children.length < count) {
      await sleep(300);
      continue;
    }
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(3000) });
      const web = ((await res.json()) as { web?: { processes: number; of: number } }).web;
      if (web && web.processes >= web.of) return true;
    } catch {
      // not answering yet
    }
    await sleep(300);
  }
  return false;
}

export function startInjector(opts: {
  stack: Stack;
  redis: OwnRedis;
  kinds: FaultKind[];
  /**
   * Seeds the schedule (kinds, order, gaps) and, separately, each fault's own choices (target, duration),
   * so a fault that draws more (pg-terminate polls until it finds sessions) does not change the rest.
   */
  seed: number;
  t0: number;
  /** Faults are fired from `from` to `until` (ms since t0). */
  from: number;
  until: number;
  meanGapMs: number;
  lockMs: number;
  log: (line: string) => void;
}): Injector {
  const { stack, redis } = opts;
  const schedule = seededRandom(opts.seed);
  // The current fault's draws; replaced by a fresh stream for each fault.
  let random = seededRandom(opts.seed + 1);
  const faults: Fault[] = [];
  const killedPids = new Set<number>();
  const controller = new AbortController();
  const now = () => Date.now() - opts.t0;
  // The worker pool as it is now: killed ones are replaced in place.
  const workers: LongRunning[] = [...stack.app.workers];
  const between = (lo: number, hi: number) => lo + random() * (hi - lo);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
  let current: FaultKind | undefined;
  const databaseName = decodeURIComponent(new URL(stack.databaseUrl).pathname.slice(1));

  const fire: Record<FaultKind, () => Promise<Omit<Fault, "kind" | "at" | "end">>> = {
    async "worker-kill"() {
      const i = Math.floor(random() * workers.length);
      const victim = workers[i]!;
      killedPids.add(victim.pid);
      signalGroup(victim.pid, "SIGKILL");
      await victim.exited;
      await sleep(between(500, 2000));
      const next = stack.startWorker();
      workers[i] = next;
      const up = await waitForLine(next, /worker started/, 60_000);
      return {
        target: `${victim.name} (pid ${victim.pid})`,
        detail: `SIGKILL; ${next.name} (pid ${next.pid}) ${up ? "started" : "NOT started within 60 s"}`,
      };
    },
    async "worker-stop"() {
      const victim = pick(workers);
      const frozenMs = Math.round(opts.lockMs + between(2000, 5000));
      signalGroup(victim.pid, "SIGSTOP");
      await sleep(frozenMs);
      signalGroup(victim.pid, "SIGCONT");
      return {
        target: `${victim.name} (pid ${victim.pid})`,
        detail: `SIGSTOP for ${(frozenMs / 1000).toFixed(1)} s (lock ${opts.lockMs} ms), then SIGCONT`,
      };
    },
    async "redis-restart"() {
      const keysBefore = await redis.dbsize();
      const downMs = Math.round(between(3000, 8000));
      await redis.kill();
      await sleep(downMs);
      await redis.start();
      const keysAfter = await redis.dbsize();
      return {
        target: `redis-server :${redis.port}`,
        detail: `SIGKILL, down ${(downMs / 1000).toFixed(1)} s, restarted ${redis.aof ? "from its AOF" : "empty"}: ${keysBefore ?? "?"} keys before, ${keysAfter ?? "?"} after`,
      };
    },
    async "pg-terminate"() {
      const admin = new pg.Client({ connectionString: stack.databaseUrl, application_name: "chaos-admin" });
      admin.on("error", () => {});
      await admin.connect();
      try {
        // For about two seconds, every 200 ms: the web and worker processes' sessions (PGAPPNAME onsale-<process>,
        // bench/lib/stack.ts), those inside a query or a transaction first, a random few of them terminated.
        // Most sessions are idle at any instant; polling catches some in the middle of a hold or a checkout.
        const hit: { pid: number; app: string; state: string }[] = [];
        let seen = 0;
        const target = 1 + Math.floor(random() * 4);
        for (let round = 0; round < 10 && hit.length < target; round++) {
          if (round > 0) await sleep(200);
          const { rows } = await admin.query<{ pid: number; app: string; state: string | null }>(
            `SELECT pid, application_name AS app, state FROM pg_stat_activity
             WHERE datname = $1 AND pid <> pg_backend_pid() AND application_name LIKE 'onsale-%'`,
            [databaseName],
          );
          seen = Math.max(seen, rows.length);
          const busy = rows.filter((r) => r.state !== "idle");
          // Busy sessions whenever there are any; idle ones only in the last round, so at least one is hit.
          const pool = busy.length > 0 ? busy : round === 9 || (round >= 4 && hit.length === 0) ? rows : [];
          const chosen = pool
            .map((r) => ({ r, k: random() }))
            .sort((x, y) => x.k - y.k)
            .slice(0, Math.min(2, target - hit.length))
            .map((x) => x.r);
          if (chosen.length === 0) continue;
          const { rows: done } = await admin.query<{ pid: number; terminated: boolean }>(
            `SELECT pid, pg_terminate_backend(pid) AS terminated FROM pg_stat_activity
             WHERE datname = $1 AND pid <> pg_backend_pid() AND pid = ANY($2::int[])`,
            [databaseName, chosen.map((r) => r.pid)],
          );
          const ok = new Set(done.filter((d) => d.terminated).map((d) => d.pid));
          for (const r of chosen) if (ok.has(r.pid)) hit.push({ pid: r.pid, app: r.app.replace(/^onsale-/, ""), state: r.state ?? "?" });
        }
        if (hit.length === 0) return { target: "-", detail: "", skipped: `no web or worker session to terminate (${seen} seen)` };
        return {
          target: [...new Set(hit.map((h) => h.app))].join(", "),
          detail: `terminated ${hit.length} of ${seen} app sessions: ${hit.map((h) => `${h.pid} ${h.app} (${h.state})`).join(", ")}`,
        };
      } finally {
        await admin.end().catch(() => {});
      }
    },
    async "web-kill"() {
      // One of the web server's processes dies; its primary starts another on the same port.
      const victims = webServerProcesses(stack.app.web.pid);
      if (victims.length === 0)
        return { target: "-", detail: "", skipped: "the web server runs one process, with no primary to replace it" };
      const victim = pick(victims);
      killedPids.add(victim);
      process.kill(victim, "SIGKILL");
      const up = await waitForAllUp(stack.baseUrl, stack.app.web.pid, victim, victims.length, 90_000);
      return {
        target: `web process pid ${victim} (of ${victims.length})`,
        detail: `SIGKILL; ${up ? "replaced, all answering" : "NOT all up again within 90 s"}`,
      };
    },
  };

  const done = (async () => {
    let round: FaultKind[] = [];
    await sleep(Math.max(0, opts.from - now()), controller.signal);
    while (!controller.signal.aborted) {
      if (round.length === 0)
        round = [...opts.kinds]
          .map((k) => ({ k, r: schedule() }))
          .sort((a, b) => a.r - b.r)
          .map((x) => x.k);
      const kind = round.shift()!;
      if (now() >= opts.until) break;
      current = kind;
      random = seededRandom(opts.seed * 31 + faults.length + 1);
      const at = now();
      opts.log(`  fault at ${(at / 1000).toFixed(1)} s: ${kind} …`);
      let result: Omit<Fault, "kind" | "at" | "end">;
      try {
        result = await fire[kind]();
      } catch (err) {
        result = {
          target: "-",
          detail: "",
          skipped: `could not inject: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`,
        };
      }
      const fault: Fault = { kind, at, end: now(), ...result };
      faults.push(fault);
      current = undefined;
      opts.log(
        `  fault ${kind} ${fault.skipped ? `skipped (${fault.skipped})` : `${fault.target}: ${fault.detail}`}, over after ${((fault.end - at) / 1000).toFixed(1)} s`,
      );
      // Exponential gaps (a Poisson process of faults), at least 2 s apart.
      await sleep(Math.max(2000, -Math.log(1 - schedule()) * opts.meanGapMs), controller.signal);
    }
    // Leave nothing broken: every worker alive and running, Redis up.
    for (const w of workers) signalGroup(w.pid, "SIGCONT");
    if (!redis.up) await redis.start();
  })();

  return { faults, current: () => current, done, stop: () => controller.abort(), killedPids, workers };
}
