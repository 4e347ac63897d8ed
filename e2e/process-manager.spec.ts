// Onsale under a process manager, which stops a service by sending SIGTERM to the one process it started.
// The command the README gives for production (`node --import tsx scripts/start.ts`) must then end every
// process it started; `npm start` hands the signal to the script's shell, which ends without passing it on
// (the control), which is why the README says not to use it there. And the web server's processes (one
// per core) replace one that dies. Each runs as a second web app and worker of the e2e installation (its
// database, Redis prefix and secret), on a port of their own. Processes are read from /proc, so this runs
// on Linux only.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../test/support/redis-server.ts";
import { expect, test } from "./fixtures";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

type Started = { child: ChildProcess; output: () => string; port: number };

async function start(command: string, args: string[], env: Record<string, string> = {}): Promise<Started> {
  const port = await freePort();
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port), NEXTAUTH_URL: `http://127.0.0.1:${port}`, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  return { child, output: () => output, port };
}

/** Live (not zombie) processes by pid, with their parent: read from /proc. */
function processTable(): Map<number, number> {
  const table = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // `pid (comm) state ppid …`; comm may hold spaces and parentheses, so read after its last ')'.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (state !== "Z") table.set(Number(entry), Number(ppid));
    } catch {
      // gone while we looked
    }
  }
  return table;
}

function descendantsOf(root: number): number[] {
  const table = processTable();
  const found: number[] = [];
  const todo = [root];
  while (todo.length) {
    const parent = todo.pop()!;
    for (const [pid, ppid] of table) {
      if (ppid === parent) {
        found.push(pid);
        todo.push(pid);
      }
    }
  }
  return found;
}

function commandOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim();
  } catch {
    return "(gone)";
  }
}

type Health = { status: string; web: { processes: number; of: number; pid: number } };

async function health(app: Started): Promise<Health | undefined> {
  const res = await fetch(`http://127.0.0.1:${app.port}/api/health`).catch(() => undefined);
  return res?.status === 200 ? ((await res.json()) as Health) : undefined;
}

/**
 * Health on a connection of its own (fetch would reuse one kept alive, which sticks to one process), given
 * up after 2 s: a connection handed to a process in the instant it dies is lost with it.
 */
function healthOnNewConnection(app: Started): Promise<Health> {
  return new Promise((resolve, reject) => {
    http
      .get(`http://127.0.0.1:${app.port}/api/health`, { agent: false, timeout: 2_000 }, (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () =>
          res.statusCode === 200 ? resolve(JSON.parse(body) as Health) : reject(new Error(`HTTP ${res.statusCode}: ${body}`)),
        );
      })
      .on("timeout", function (this: http.ClientRequest) {
        this.destroy(new Error("no answer within 2 s"));
      })
      .on("error", reject);
  });
}

/** The web server's serving processes: its primary's children (server/http/main.ts). */
function webServers(started: number[]): number[] {
  const table = processTable();
  const primary = started.find((pid) => commandOf(pid).includes("server/http/main.ts") && !started.includes(table.get(pid)!));
  return primary === undefined ? [] : descendantsOf(primary);
}

/**
 * Waits until the app answers healthy with all `webs` web processes up, and its web server and worker are
 * among the command's descendants.
 */
async function upAndRunning(app: Started, webs: number): Promise<number[]> {
  await expect
    .poll(async () => (await health(app))?.web.processes, { timeout: 120_000, message: `the app answers healthy\n${app.output()}` })
    .toBe(webs);
  const started = descendantsOf(app.child.pid!);
  const commands = started.map(commandOf);
  expect(
    commands.some((c) => c.includes("worker/index.ts")),
    commands.join("\n"),
  ).toBe(true);
  expect(
    commands.filter((c) => c.includes("server/http/main.ts")),
    commands.join("\n"),
  ).toHaveLength(webs > 1 ? webs + 1 : 1);
  return started;
}

test.skip(process.platform !== "linux", "reads processes from /proc");

/** Whatever of `pids` still runs is killed, so a failed test leaves no app behind on the e2e database. */
function killAll(pids: number[]): void {
  const table = processTable();
  for (const pid of pids.filter((p) => table.has(p))) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

const alive = (pids: number[]) => {
  const table = processTable();
  return pids.filter((pid) => table.has(pid)).map((pid) => `${pid} ${commandOf(pid)}`);
};

test("SIGTERM to the production command ends every process it started, one web process per core", async () => {
  test.setTimeout(180_000);
  const app = await start(process.execPath, ["--import", "tsx", "scripts/start.ts"], { WEB_CONCURRENCY: "" });
  let started: number[] = [];
  try {
    started = await upAndRunning(app, os.availableParallelism());
    const exited = once(app.child, "exit");
    app.child.kill("SIGTERM");
    const [code] = await exited;
    expect(code, app.output()).toBe(0);
    expect(alive(started), app.output()).toEqual([]);
  } finally {
    killAll([app.child.pid!, ...started]);
  }
});

test("control: SIGTERM to `npm start` leaves the app running", async () => {
  test.setTimeout(180_000);
  const app = await start("npm", ["start", "--silent"], { WEB_CONCURRENCY: "1" });
  let started: number[] = [];
  try {
    started = await upAndRunning(app, 1);
    const exited = once(app.child, "exit");
    app.child.kill("SIGTERM");
    await exited;
    // npm is gone; what it started is not, and never heard the signal: it still serves, and the start
    // script did not begin to stop (it says so first thing when it does).
    expect(alive(started).length).toBeGreaterThan(0);
    expect((await fetch(`http://127.0.0.1:${app.port}/api/health`)).status).toBe(200);
    expect(app.output()).not.toContain("stopping Onsale");
  } finally {
    // Stop the orphans the way a person would have to: SIGTERM to the start script npm left behind.
    for (const pid of started) {
      if (commandOf(pid).includes("scripts/start.ts")) process.kill(pid, "SIGTERM");
    }
    await expect
      .poll(() => alive(started), { timeout: 60_000 })
      .toEqual([])
      .catch(() => killAll(started));
  }
});

test("a web process that dies is replaced on the same port while the others answer", async () => {
  test.setTimeout(180_000);
  const app = await start(process.execPath, ["--import", "tsx", "scripts/start.ts"], { WEB_CONCURRENCY: "2" });
  let started: number[] = [];
  try {
    started = await upAndRunning(app, 2);
    const before = webServers(started);
    expect(before).toHaveLength(2);
    const [victim, survivor] = before as [number, number];
    process.kill(victim, "SIGKILL");
    // At once, on new connections: the port is still answered, by a live process.
    const answeredBy = async () => (await healthOnNewConnection(app).catch(() => undefined))?.web.pid;
    await expect
      .poll(
        async () => {
          const pid = await answeredBy();
          return pid !== undefined && pid !== victim;
        },
        { timeout: 20_000 },
      )
      .toBe(true);
    // The killed process may take a moment to die and be noticed, while health still counts it: wait for
    // the survivor and a new process, and for the primary to say it replaced the dead one.
    const replaced = () => {
      const after = webServers(descendantsOf(app.child.pid!));
      return after.length === 2 && after.includes(survivor) && !after.includes(victim);
    };
    await expect.poll(replaced, { timeout: 90_000, message: app.output() }).toBe(true);
    await expect.poll(() => app.output(), { timeout: 10_000 }).toContain(`Web: process ${victim} exited (SIGKILL); starting another`);
    await expect.poll(async () => (await health(app))?.web.processes, { timeout: 90_000, message: app.output() }).toBe(2);
  } finally {
    const all = [...started, ...descendantsOf(app.child.pid!)];
    app.child.kill("SIGTERM");
    await expect
      .poll(() => alive(all), { timeout: 60_000 })
      .toEqual([])
      .catch(() => killAll(all));
  }
});
