// The web process: `node --import tsx server/http/main.ts [--dev] [--port N] [--host H]`. In production it
// runs one server per core (WEB_CONCURRENCY overrides) sharing the port through node:cluster, the primary
// only watching over them; `--dev` runs one, with next dev's hot reload. SIGTERM or SIGINT stops it
// gracefully: no new requests, live streams ended, requests in flight finished.
import cluster, { type Worker } from "node:cluster";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: { dev: { type: "boolean", default: false }, port: { type: "string" }, host: { type: "string" } },
});
const dev = args.dev;
const port = Number(args.port ?? process.env.PORT ?? 3000);
// Only --host: HOSTNAME is the machine's (or a container's) name in many environments, not an address to bind.
const host = args.host;
// next start runs with NODE_ENV=production, next dev with development; so does this server.
if (!process.env.NODE_ENV) Object.assign(process.env, { NODE_ENV: dev ? "development" : "production" });

/** Each process allows itself this long to finish what it is answering when asked to stop. */
const GRACE_MS = 10_000;
type ProcessesMessage = { onsale: "web-processes"; up: number; of: number };

function concurrency(): number {
  if (dev) return 1;
  const given = process.env.WEB_CONCURRENCY;
  if (given === undefined || given === "") return os.availableParallelism();
  const n = Number(given);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error(`WEB_CONCURRENCY must be a whole number from 1 to 64 (got "${given}")`);
  return n;
}

/** The primary: forks the servers, replaces one that dies, tells each how many are up, stops them all. */
function supervise(count: number): void {
  cluster.setupPrimary({ execArgv: process.execArgv });
  const listening = new Set<number>();
  let stopping = false;
  const broadcast = () => {
    const message: ProcessesMessage = { onsale: "web-processes", up: listening.size, of: count };
    for (const worker of Object.values(cluster.workers ?? {})) worker?.send(message);
  };
  const fork = () => {
    const worker = cluster.fork();
    worker.once("listening", () => {
      listening.add(worker.id);
      broadcast();
      if (listening.size === count) console.log(`Web: ${count} processes on ${host ?? "*"}:${port}`);
    });
    return worker;
  };
  cluster.on("exit", (worker: Worker, code, signal) => {
    const wasUp = listening.delete(worker.id);
    broadcast();
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(process.exitCode ?? 0);
      return;
    }
    if (!wasUp) {
      // It died before it could serve (a bad environment, the port taken): another would die the same way.
      console.error(`Web: process ${worker.process.pid} exited (${signal ?? code}) before it was up; stopping`);
      stopAll(1);
      return;
    }
    console.error(`Web: process ${worker.process.pid} exited (${signal ?? code}); starting another`);
    fork();
  });
  const stopAll = (exitCode: number) => {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    if (workers.length === 0) process.exit(exitCode);
    for (const worker of workers) worker.process.kill("SIGTERM");
    setTimeout(() => {
      for (const worker of workers) worker.process.kill("SIGKILL");
      process.exit(exitCode);
    }, GRACE_MS + 5_000).unref();
    if (exitCode !== 0) process.exitCode = exitCode;
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => stopAll(0));
  for (let i = 0; i < count; i++) fork();
}

/** One server: Next for pages, the API's own path for the API. */
async function serve(count: number): Promise<void> {
  let processes = { up: cluster.isWorker ? 0 : 1, of: count };
  process.on("message", (message: ProcessesMessage) => {
    if (message?.onsale === "web-processes") processes = { up: message.up, of: message.of };
  });

  const { default: next } = await import("next");
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
  const app = next({ dev, dir: repoRoot, hostname: host ?? "localhost", port });
  // Next loads .env files and runs instrumentation.ts, which stops the process on a bad environment. Only
  // then are server/ modules loaded: they read the environment once, when loaded.
  await app.prepare();
  const [{ env }, { createWebServer }, { apiRoutes }, { disconnectDb }, { redis }] = await Promise.all([
    import("../env.ts"),
    import("./server.ts"),
    import("./api-routes.ts"),
    import("../db.ts"),
    import("../redis.ts"),
  ]);
  env();
  const server = createWebServer({
    routes: apiRoutes({ webProcesses: () => processes }),
    next: app.getRequestHandler(),
    production: process.env.NODE_ENV === "production",
    dev,
    staticDir: dev ? undefined : path.join(repoRoot, ".next", "static"),
  });
  if (dev) {
    // next dev's hot reload socket
    const upgrade = app.getUpgradeHandler();
    server.on("upgrade", (req, socket, head) => void (async () => upgrade(req, socket, head))().catch(() => socket.destroy()));
  }

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.shutdown(GRACE_MS);
    await Promise.allSettled([app.close(), disconnectDb(), redis().quit()]);
    process.exit(0);
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => void stop());
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  if (!cluster.isWorker) console.log(`Web: listening on ${host ?? "*"}:${port}${dev ? " (next dev)" : ""}`);
}

const count = concurrency();
if (cluster.isPrimary && count > 1) supervise(count);
else
  serve(count).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
