// `npm test`: lint, typecheck, unit, integration and e2e tests in that order, stopping at the first failure.
// `npm run test:int -- [vitest args]` and `npm run test:e2e -- [playwright args]` run one part. Each
// integration or e2e run gets its own database and Redis key prefix, removed afterwards even on failure.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { newScratchNames } from "../test/support/scratch.ts";
import { assertPortFree, ensureBuild, startApp, waitForHealth } from "./app.ts";
import { deployMigrations, seedDatabase } from "./db.ts";
import { binPath, repoRoot, run, seconds, signalRunning, type RunResult } from "./proc.ts";
import { createDatabase, deleteRedisKeys, dropDatabase, ensureServices, withDatabase, type Services } from "./services.ts";

// Another port (E2E_PORT) lets two checkouts run their end-to-end tests side by side.
const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);

type StepResult = { name: string; ok: boolean | "skipped"; took: string };
const results: StepResult[] = [];

let interrupted = false;
let stopE2eApp: (() => Promise<void>) | undefined;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    // Let the running step fail and the cleanup below run, instead of dying with a database left over.
    if (interrupted) process.exit(130);
    interrupted = true;
    console.error(`\n${signal}: stopping; cleaning up (send it again to quit at once)`);
    signalRunning(signal);
    void stopE2eApp?.();
  });
}

async function step(name: string, fn: () => Promise<boolean>): Promise<boolean> {
  if (interrupted) {
    results.push({ name, ok: "skipped", took: "" });
    return false;
  }
  console.log(`\n▶ ${name}`);
  const started = Date.now();
  let ok = false;
  try {
    ok = await fn();
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
  }
  results.push({ name, ok, took: seconds(started) });
  return ok;
}

const succeeded = (result: RunResult) => result.code === 0;
const node = (bin: string, args: string[], env?: NodeJS.ProcessEnv) => run(process.execPath, [bin, ...args], { env });

/** A throwaway database on the same server, a Redis key prefix and a poster directory, for one run. */
async function scratch(services: Services) {
  // The int project's guard (test/support/int-guard.ts) refuses any other names.
  const { id, database, redisPrefix } = newScratchNames();
  const databaseUrl = withDatabase(services.databaseUrl, database);
  const posterDir = path.join(os.tmpdir(), `onsale-test-${id}-posters`);
  await createDatabase(databaseUrl);
  const cleanup = async () => {
    fs.rmSync(posterDir, { recursive: true, force: true });
    const [dropped, keys] = await Promise.allSettled([dropDatabase(databaseUrl), deleteRedisKeys(services.redisUrl, redisPrefix)]);
    if (dropped.status === "rejected") console.error(`could not drop ${database}: ${dropped.reason}`);
    if (keys.status === "rejected") console.error(`could not delete Redis keys ${redisPrefix}*: ${keys.reason}`);
  };
  // Tests assert on behaviour, not log lines: keep the run readable unless LOG_LEVEL asks for more.
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: services.redisUrl,
    REDIS_PREFIX: redisPrefix,
    POSTER_DIR: posterDir,
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  };
  return { databaseUrl, redisPrefix, env, cleanup };
}

async function integration(args: string[]): Promise<boolean> {
  const services = await ensureServices();
  try {
    const db = await scratch(services);
    try {
      await deployMigrations(db.databaseUrl, { quiet: true });
      const vitest = ["run", "--project", "int", ...args];
      return succeeded(await node(binPath("vitest"), vitest, db.env));
    } finally {
      await db.cleanup();
    }
  } finally {
    await services.stop();
  }
}

async function e2e(args: string[]): Promise<boolean> {
  const services = await ensureServices();
  try {
    const db = await scratch(services);
    try {
      const baseUrl = `http://127.0.0.1:${E2E_PORT}`;
      const env: NodeJS.ProcessEnv = {
        ...db.env,
        AUTH_SECRET: randomBytes(32).toString("base64url"),
        NEXTAUTH_URL: baseUrl,
        BASE_URL: baseUrl,
        // Every spec's fans share one address and some hold many times a minute on purpose (paging a
        // list of holds); the limits themselves are tested in server/domain/rate-limit.
        RATE_LIMITS: JSON.stringify({ holds: { perUser: 100, perIp: 2000 } }),
        // A production build paying with the sandbox's test cards.
        PAYMENT_PROVIDER: "sandbox",
      };
      await assertPortFree(E2E_PORT);
      await deployMigrations(db.databaseUrl, { quiet: true });
      await seedDatabase(db.databaseUrl);
      await ensureBuild(env);
      if (interrupted) return false;

      const logDir = path.join(repoRoot, ".data", "logs", db.redisPrefix);
      const app = startApp({ mode: "start", port: E2E_PORT, host: "127.0.0.1", env, logDir });
      let keepLogs = true; // until the tests pass
      stopE2eApp = () => app.stop();
      try {
        await waitForHealth(`${baseUrl}/api/health`, app, 90_000);
        console.log(`App is up at ${baseUrl} (logs in ${path.relative(repoRoot, logDir)})`);
        let ok = succeeded(await node(binPath("@playwright/test", "playwright"), ["test", ...args], env));
        // The full e2e run ends with a small on-sale against the same app, DB, Redis and worker; a violated
        // invariant fails it (bench/simulate.ts exits 1). Each fan sends its own X-Forwarded-For, so the
        // app's per-IP limits above stay as they are.
        if (ok && args.length === 0 && !interrupted) {
          console.log("\nSimulation: 300 fans, 100 seats against the e2e app");
          const simulation = ["--import", "tsx", "bench/simulate.ts", "--base-url", baseUrl, "--fans", "300", "--seats", "100"];
          const shape = [
            "--arrival",
            "ramp:5",
            "--open-after",
            "2",
            "--max-seconds",
            "60",
            "--hold-seconds",
            "15",
            "--out",
            ".data/test-results",
          ];
          ok = succeeded(await run(process.execPath, [...simulation, ...shape], { env }));
        }
        keepLogs = !ok;
        return ok;
      } finally {
        stopE2eApp = undefined;
        await app.stop();
        if (keepLogs) console.error(`App logs: ${path.relative(repoRoot, logDir)}/{next,worker}.log`);
        else fs.rmSync(logDir, { recursive: true, force: true });
      }
    } finally {
      await db.cleanup();
    }
  } finally {
    await services.stop();
  }
}

async function main(): Promise<number> {
  const [mode = "all", ...args] = process.argv.slice(2);
  const started = Date.now();
  const plan: Record<string, [string, () => Promise<boolean>][]> = {
    all: [
      ["lint", async () => succeeded(await run("npm", ["run", "--silent", "lint"]))],
      ["typecheck", async () => succeeded(await run("npm", ["run", "--silent", "typecheck"]))],
      ["unit", async () => succeeded(await node(binPath("vitest"), ["run", "--project", "unit"]))],
      ["integration", () => integration([])],
      ["e2e", () => e2e([])],
    ],
    int: [["integration", () => integration(args)]],
    e2e: [["e2e", () => e2e(args)]],
  };
  const steps = plan[mode];
  if (!steps || (mode === "all" && args.length)) {
    console.error("usage: tsx scripts/test.ts [int|e2e] [-- args for vitest/playwright]");
    return 2;
  }

  for (const [name, fn] of steps) {
    if (!(await step(name, fn))) break;
  }
  for (const [name] of steps.slice(results.length)) results.push({ name, ok: "skipped", took: "" });

  const failed = results.some((r) => r.ok !== true);
  console.log("\nSummary");
  for (const r of results) {
    const mark = r.ok === true ? "✓" : r.ok === false ? "✗" : "-";
    console.log(`  ${mark} ${r.name.padEnd(12)} ${r.ok === "skipped" ? "skipped" : r.took}`);
  }
  console.log(`${failed ? "FAILED" : "PASSED"} in ${seconds(started)}`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(interrupted ? 130 : code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
