// `npm start` (production build) and `npm run dev` (`--dev`, next dev): find or start PostgreSQL and
// Redis, apply migrations, seed an empty database, build if needed, then run the app and the worker.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { assertPortFree, ensureBuild, startApp, waitForHealth, type RunningApp } from "./app.ts";
import { buildSeatPaint } from "./seat-paint.ts";
import { deployMigrations, seedDatabase } from "./db.ts";
import { repoRoot, signalRunning } from "./proc.ts";
import { ensureServices } from "./services.ts";

const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT ?? 3000);

async function hasConcerts(databaseUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ found: boolean }>(`select exists (select 1 from "Concert") as found`);
    return rows[0]?.found ?? false;
  } catch {
    return false; // no such table yet: seeding will say what is wrong
  } finally {
    await client.end();
  }
}

/**
 * `next start` always runs with NODE_ENV=production, where server/env.ts requires AUTH_SECRET. So that a
 * fresh clone's `npm start` works without handing out a well-known default, use a random secret kept in
 * .data/ — unless NODE_ENV=production was set on purpose, in which case a missing secret stays an error.
 */
function localAuthSecret(): string | undefined {
  if (process.env.AUTH_SECRET || process.env.NODE_ENV === "production") return process.env.AUTH_SECRET;
  const file = path.join(repoRoot, ".data", "auth-secret");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  console.log("AUTH_SECRET is not set: using the random local secret in .data/auth-secret (set AUTH_SECRET in production)");
  return fs.readFileSync(file, "utf8").trim();
}

/**
 * PAYMENT_PROVIDER likewise: production must name the card processor, so a local `npm start` chooses as
 * development would (Stripe when its key is set, else the sandbox); with NODE_ENV=production set on
 * purpose it stays as given, and an unset one stays an error.
 */
function localPaymentProvider(): string | undefined {
  if (process.env.PAYMENT_PROVIDER || process.env.NODE_ENV === "production") return process.env.PAYMENT_PROVIDER;
  return process.env.STRIPE_SECRET_KEY ? "stripe" : "sandbox";
}

async function main(): Promise<void> {
  const services = await ensureServices();
  let app: RunningApp | undefined;
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    signalRunning("SIGTERM"); // a build or migration still in progress
    await app?.stop();
    await services.stop();
    process.exit(code);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      console.log(`\n${signal}: stopping Onsale…`);
      void shutdown(0);
    });
  }

  try {
    await assertPortFree(port);
    await deployMigrations(services.databaseUrl, { quiet: true });
    console.log("Database: migrations applied");
    if (process.env.NODE_ENV === "production") {
      // The demo accounts' passwords are in the README: never on a deployment unless asked for.
      console.log("Database: NODE_ENV=production, so no demo data is seeded (`npm run db:seed` adds it on purpose)");
    } else if (!(await hasConcerts(services.databaseUrl))) {
      const { created } = await seedDatabase(services.databaseUrl);
      console.log(created ? "Database: seeded with demo data" : "Database: seed data already present");
    }

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: services.databaseUrl,
      REDIS_URL: services.redisUrl,
      NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${port}`,
    };
    if (!dev) {
      env.AUTH_SECRET = localAuthSecret();
      env.PAYMENT_PROVIDER = localPaymentProvider();
      await ensureBuild(env);
    } else await buildSeatPaint();
    if (stopping) return;

    app = startApp({ mode: dev ? "dev" : "start", port, env });
    for (const proc of [app.web, app.worker]) {
      void proc.exited.then((code) => {
        if (stopping) return;
        console.error(`${proc.name} exited with code ${code}; stopping Onsale`);
        void shutdown(1);
      });
    }
    try {
      // next dev compiles a route on its first request, which takes a while.
      await waitForHealth(`http://127.0.0.1:${port}/api/health`, app, dev ? 180_000 : 60_000);
      console.log(`Onsale is up at http://localhost:${port}`);
    } catch (err) {
      if (!dev || stopping) throw err;
      // In development keep running: the fix is usually an edit away, and next dev reloads it.
      console.error(`${err instanceof Error ? err.message : err}
Still running; fix the error and reload.`);
    }
  } catch (err) {
    if (stopping) return;
    console.error(err instanceof Error ? err.message : err);
    await shutdown(1);
  }
}

void main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
