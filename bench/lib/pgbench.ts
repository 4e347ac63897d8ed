// Raw PostgreSQL throughput from `pgbench`, as a yardstick for what the app does with PostgreSQL: a custom
// script against a scratch table in the run's throwaway database, so nothing outside the run is touched.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type pg from "pg";
import { run } from "../../scripts/proc.ts";

export type PgbenchRow = {
  /** What ran, as a reader would type it (the connection string left out). */
  command: string;
  clients: number;
  jobs: number;
  seconds: number;
  transactions: number;
  /** Transactions per second, excluding the time to open connections. */
  tps: number;
  latencyAvgMs: number;
  failed: number;
};

export type PgbenchUnavailable = { unavailable: string };

/** `pgbench` from PGBENCH, else the PATH, else where Debian's postgresql-client puts it. */
export function pgbenchPath(): string {
  if (process.env.PGBENCH) return process.env.PGBENCH;
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, "pgbench");
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return "/usr/bin/pgbench";
}

/**
 * A table of `rows` rows (id 1..rows, a counter) and a script file that updates one random row per
 * transaction, the shape of a seat claim without the app: `UPDATE t SET v = v + 1 WHERE id = :id`.
 * Returns the script's path and a function that removes both.
 */
export async function prepareSingleRowUpdate(
  db: pg.Client,
  rows: number,
): Promise<{ table: string; script: string; remove(): Promise<void> }> {
  const table = "bench_pgbench_rows";
  await db.query(`DROP TABLE IF EXISTS ${table}`);
  await db.query(`CREATE TABLE ${table} (id int PRIMARY KEY, v bigint NOT NULL DEFAULT 0)`);
  await db.query(`INSERT INTO ${table} (id) SELECT generate_series(1, $1::int)`, [rows]);
  await db.query(`VACUUM ANALYZE ${table}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "onsale-pgbench-"));
  const script = path.join(dir, "single-row-update.sql");
  fs.writeFileSync(script, `\\set id random(1, ${rows})\nUPDATE ${table} SET v = v + 1 WHERE id = :id;\n`);
  return {
    table,
    script,
    async remove() {
      fs.rmSync(dir, { recursive: true, force: true });
      await db.query(`DROP TABLE IF EXISTS ${table}`);
    },
  };
}

/**
 * Initialises pgbench's own tables (`pgbench_accounts`, `_branches`, `_tellers`, `_history`) at `scale` in
 * the run's throwaway database, for the built-in `tpcb-like` script; `remove()` drops them again. The app's
 * tables have other names, so nothing collides.
 */
export async function initTpcb(
  db: pg.Client,
  databaseUrl: string,
  scale: number,
): Promise<{ remove(): Promise<void> } | PgbenchUnavailable> {
  const args = ["-i", "-q", "-s", String(scale)];
  let result;
  try {
    result = await run(pgbenchPath(), [...args, databaseUrl], { capture: true });
  } catch (err) {
    return { unavailable: `pgbench could not run (${(err as Error).message}); on Debian: apt-get install -y postgresql-client` };
  }
  const remove = async () => {
    await db.query(`DROP TABLE IF EXISTS pgbench_accounts, pgbench_branches, pgbench_tellers, pgbench_history`);
  };
  if (result.code !== 0) {
    await remove().catch(() => {});
    return {
      unavailable: `pgbench ${args.join(" ")} exited with ${result.code}: ${`${result.stdout}\n${result.stderr}`.trim().split("\n").slice(-3).join(" / ")}`,
    };
  }
  return { remove };
}

/** `pgbench -n -f script …` (or `-b builtin` for pgbench's own scripts, e.g. tpcb-like) `-c clients -j jobs -T seconds`, parsed. */
export async function runPgbench(opts: {
  databaseUrl: string;
  script?: string;
  builtin?: "tpcb-like" | "simple-update" | "select-only";
  clients: number;
  jobs: number;
  seconds: number;
}): Promise<PgbenchRow | PgbenchUnavailable> {
  const jobs = Math.min(opts.jobs, opts.clients); // pgbench refuses more threads than clients
  const source = opts.builtin ? ["-b", opts.builtin] : opts.script ? ["-f", opts.script] : undefined;
  if (!source) throw new Error("runPgbench needs a script or a builtin");
  const args = ["-n", ...source, "-c", String(opts.clients), "-j", String(jobs), "-T", String(opts.seconds)];
  const command = `pgbench ${args.map((a) => (a === opts.script ? path.basename(a) : a)).join(" ")}`;
  const bin = pgbenchPath();
  let result;
  try {
    // The connection string as the database name: libpq expands it (host, port, user, password, db).
    result = await run(bin, [...args, opts.databaseUrl], { capture: true });
  } catch (err) {
    return { unavailable: `pgbench could not run (${(err as Error).message}); on Debian: apt-get install -y postgresql-client` };
  }
  const out = `${result.stdout}\n${result.stderr}`;
  if (result.code !== 0) return { unavailable: `${command} exited with ${result.code}: ${out.trim().split("\n").slice(-3).join(" / ")}` };
  const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? Number.NaN);
  // "tps = 1234.567890 (without initial connection time)"
  const tps = num(/tps = ([\d.]+) \(without initial connection time\)/);
  if (!Number.isFinite(tps)) return { unavailable: `could not read tps from ${command}: ${out.trim().slice(-300)}` };
  return {
    command,
    clients: opts.clients,
    jobs,
    seconds: opts.seconds,
    transactions: num(/number of transactions actually processed: (\d+)/),
    tps: Math.round(tps * 10) / 10,
    latencyAvgMs: num(/latency average = ([\d.]+) ms/),
    failed: num(/number of failed transactions: (\d+)/) || 0,
  };
}
