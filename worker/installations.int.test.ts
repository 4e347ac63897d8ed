// Two installations on one Redis, each with its own database and real worker and no REDIS_PREFIX set:
// each names its keys after its own database, so each worker admits its own line, expires its own holds,
// and each health reports its own worker. The control gives a third installation the first one's prefix
// on purpose and no worker: the first one's worker then takes its jobs and its health sees a stranger.
import { execFile } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, databaseName, deleteRedisKeys, dropDatabase, withDatabase } from "../scripts/services.ts";
import { deployMigrations } from "../scripts/db.ts";
import { defaultRedisPrefix, env } from "../server/env.ts";
import { redis } from "../server/redis.ts";
import type { OnSale, Seen } from "../test/support/installation.ts";
import { startWorker, waitFor, type RunningWorker } from "../test/support/processes.ts";

const base = env().DATABASE_URL;
const urls = {
  a: withDatabase(base, `${databaseName(base)}_inst_a`),
  b: withDatabase(base, `${databaseName(base)}_inst_b`),
  c: withDatabase(base, `${databaseName(base)}_inst_c`),
};
type Name = keyof typeof urls;

/** An installation's environment: its database, the run's Redis, and REDIS_PREFIX only when given. */
function envOf(name: Name, prefix?: string): NodeJS.ProcessEnv {
  // An undefined variable is left out of a child's environment.
  return { ...process.env, DATABASE_URL: urls[name], REDIS_PREFIX: prefix, WORKER_HEARTBEAT_MS: "300" };
}

function driver<T>(vars: NodeJS.ProcessEnv, ...args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "test/support/installation.ts", ...args],
      { env: vars, timeout: 60_000 },
      (err, stdout, stderr) => {
        const line = stdout.split("\n").find((l) => l.startsWith("RESULT "));
        if (err || !line) reject(new Error(`installation.ts ${args[0]} failed: ${err?.message ?? "no result"}\n${stdout}${stderr}`));
        else resolve(JSON.parse(line.slice("RESULT ".length)) as T);
      },
    );
  });
}
const setup = (vars: NodeJS.ProcessEnv) => driver<OnSale>(vars, "setup");
const observe = (vars: NodeJS.ProcessEnv, onSale: OnSale) => driver<Seen>(vars, "observe", JSON.stringify(onSale));

/** Every key of the run's Redis whose name mentions `id` (a showtime's or a hold's). */
async function keysNaming(id: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = "0";
  do {
    const [next, keys] = await redis().scan(cursor, "MATCH", `*${id}*`, "COUNT", 1000);
    cursor = next;
    found.push(...keys);
  } while (cursor !== "0");
  return found;
}

const prefixes = { a: defaultRedisPrefix(urls.a), b: defaultRedisPrefix(urls.b) };
const workers: Partial<Record<Name, RunningWorker>> = {};

beforeAll(async () => {
  // One migrated database, copied for the others while nothing is connected to it.
  await Promise.all(Object.values(urls).map((url) => dropDatabase(url)));
  await createDatabase(urls.a);
  await deployMigrations(urls.a, { quiet: true });
  for (const copy of [urls.b, urls.c]) await createDatabase(copy, { template: databaseName(urls.a) });
  workers.a = startWorker(envOf("a"));
  workers.b = startWorker(envOf("b"));
}, 120_000);

afterAll(async () => {
  await Promise.all(Object.values(workers).map((w) => w.stop()));
  await Promise.all([
    ...Object.values(prefixes).map((p) => deleteRedisKeys(env().REDIS_URL, p)),
    ...Object.values(urls).map((u) => dropDatabase(u)),
  ]);
}, 60_000);

describe("two installations on one Redis", () => {
  it("each names its keys after its database, admits its own line, expires its own holds and reports its own worker", async () => {
    expect(prefixes.a).not.toBe(prefixes.b);
    const [a, b] = await Promise.all([setup(envOf("a")), setup(envOf("b"))]);
    // With no REDIS_PREFIX set, each used the default named after its database.
    expect([a.prefix, b.prefix]).toEqual([prefixes.a, prefixes.b]);

    const settled = async (name: Name, onSale: OnSale) => {
      let last: Seen | undefined;
      const done = (seen: Seen) => seen.admitted === onSale.fans.length && seen.holdJobDone && seen.health.status === "ok";
      return waitFor(
        async () => {
          last = await observe(envOf(name), onSale);
          return done(last) ? last : undefined;
        },
        45_000,
        `installation ${name}: every fan admitted, the hold's expiry job done, health ok`,
      ).catch((err: Error) => {
        throw new Error(`${err.message}; last seen: ${JSON.stringify(last)}`);
      });
    };
    // Each hold's job was done by its own installation's worker, so the hold had ended when the job was
    // gone (a stranger's worker would have found no such hold in its database and left it ACTIVE; the
    // sweep that would tidy it comes only every 30 s). Each health names its own worker.
    const [seenA, seenB] = await Promise.all([settled("a", a), settled("b", b)]);
    expect([seenA.hold, seenB.hold]).toEqual(["EXPIRED", "EXPIRED"]);
    expect(seenA.health.checks.worker.detail?.workerId).toMatch(new RegExp(`:${workers.a!.child.pid}$`));
    expect(seenB.health.checks.worker.detail?.workerId).toMatch(new RegExp(`:${workers.b!.child.pid}$`));

    // Nothing of one installation is stored under the other's prefix.
    for (const [onSale, own] of [
      [a, prefixes.a],
      [b, prefixes.b],
    ] as const) {
      const keys = await keysNaming(onSale.showtimeId);
      expect(keys.length, "the line's keys and its admission scheduler").toBeGreaterThan(0);
      for (const k of keys) expect(k.startsWith(`${own}:`) || k.startsWith(`{${own}:`), k).toBe(true);
    }
  }, 120_000);

  it("control: given the first one's prefix on purpose and no worker, a third installation's jobs go to the first one's worker", async () => {
    const c = await setup(envOf("c", prefixes.a));
    expect(c.prefix).toBe(prefixes.a);
    // Its hold's job is done, yet the hold is still ACTIVE: the stranger's worker took the job and found no
    // such hold in its own database.
    const seenC = await waitFor(
      async () => {
        const seen = await observe(envOf("c", prefixes.a), c);
        return seen.holdJobDone ? seen : undefined;
      },
      45_000,
      "the third installation's expiry job done",
    );
    expect(seenC.hold).toBe("ACTIVE");
    // And its health refuses the worker it hears, which serves another database.
    expect(seenC.health.status).toBe("down");
    expect(seenC.health.checks.worker.error).toMatch(/serves another database/);
  }, 120_000);
});
