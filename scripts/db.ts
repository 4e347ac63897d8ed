// Database chores: `tsx scripts/db.ts <deploy|generate|migration NAME|seed>`.
//
// Migrations are authored without `prisma migrate dev` (its Wasm engine cannot inspect a live database,
// see TOOLCHAIN.md): prisma/migrations/schema.snapshot.prisma holds the schema as of the last migration,
// and the next migration is the diff from it to prisma/schema.prisma (the snapshot then moves on).
// SQL that Prisma cannot express goes at the end of a migration.sql, after a `-- onsale:manual` line;
// prisma/migrations.int.test.ts checks that the migrations build exactly what schema.prisma describes.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { binPath, repoRoot, run, runOrThrow, type RunResult } from "./proc.ts";
import { ensurePostgres } from "./services.ts";

export const schemaPath = path.join(repoRoot, "prisma", "schema.prisma");
export const migrationsDir = path.join(repoRoot, "prisma", "migrations");
export const MANUAL_MARKER = "-- onsale:manual";
/** prisma/schema.prisma as of the last migration: what `db:migration` diffs against. */
export const snapshotPath = path.join(migrationsDir, "schema.snapshot.prisma");

/** Env for Prisma CLI calls: stop it from fetching native engines it would not use (Wasm + pg adapter). */
export function prismaEnv(databaseUrl?: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? "/bin/false",
    PRISMA_QUERY_ENGINE_LIBRARY: process.env.PRISMA_QUERY_ENGINE_LIBRARY ?? "/bin/false",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
}

/** Runs the Prisma CLI. Commands that reach the adapter in prisma.config.ts need a reachable databaseUrl. */
export function prisma(args: string[], opts: { databaseUrl?: string; capture?: boolean } = {}): Promise<RunResult> {
  return run(process.execPath, [binPath("prisma"), ...args], { env: prismaEnv(opts.databaseUrl), capture: opts.capture });
}

export async function deployMigrations(databaseUrl: string, opts: { quiet?: boolean } = {}): Promise<void> {
  const result = await prisma(["migrate", "deploy"], { databaseUrl, capture: opts.quiet });
  if (result.code !== 0) {
    throw new Error(`prisma migrate deploy failed (${result.code})${opts.quiet ? `:\n${result.stdout}${result.stderr}` : ""}`);
  }
}

/** Seeds through prisma/seed.ts with a client of its own for `databaseUrl`, whatever the process env says. */
export async function seedDatabase(databaseUrl: string): Promise<{ created: boolean }> {
  const { createDb } = await import("../server/db.ts");
  const { seed } = await import("../prisma/seed.ts");
  const db = createDb(databaseUrl);
  try {
    return await seed(db);
  } finally {
    await db.$disconnect();
  }
}

export type Migration = { name: string; dir: string; sql: string };

/** Migration directories in apply order (Prisma sorts them by name; names start with a UTC timestamp). */
export function listMigrations(): Migration[] {
  return fs
    .readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const dir = path.join(migrationsDir, name);
      return { name, dir, sql: path.join(dir, "migration.sql") };
    });
}

/** The hand-written part of a migration.sql: everything after the `-- onsale:manual` line. */
export function manualSql(migrationSql: string): string {
  const lines = migrationSql.split("\n");
  const at = lines.findIndex((line) => line.trim() === MANUAL_MARKER);
  return at === -1
    ? ""
    : lines
        .slice(at + 1)
        .join("\n")
        .trim();
}

/** SQL that takes a database from the `from` schema to `to` (empty string: no changes). */
export async function diffSchemas(from: string | "empty", to: string, databaseUrl: string): Promise<string> {
  const fromArgs = from === "empty" ? ["--from-empty"] : ["--from-schema-datamodel", from];
  const args = ["migrate", "diff", ...fromArgs, "--to-schema-datamodel", to, "--script", "--exit-code"];
  const result = await prisma(args, { databaseUrl, capture: true });
  // --exit-code: 0 no difference, 2 a difference, anything else an error.
  if (result.code === 0) return "";
  if (result.code === 2) return result.stdout;
  throw new Error(`prisma migrate diff failed (${result.code}):\n${result.stdout}${result.stderr}`);
}

/** Writes prisma/migrations/<timestamp>_<name>/ for the changes since the last migration; null if none. */
export async function createMigration(name: string, databaseUrl: string): Promise<string | null> {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_|_$/g, "");
  if (!slug) throw new Error("usage: tsx scripts/db.ts migration <name>   (e.g. add_orders)");
  const last = listMigrations().at(-1);
  if (last && !fs.existsSync(snapshotPath)) {
    throw new Error(`${path.relative(repoRoot, snapshotPath)} is missing: it must hold schema.prisma as of ${last.name}`);
  }
  const sql = await diffSchemas(last ? snapshotPath : "empty", schemaPath, databaseUrl);
  if (!sql.trim()) return null;

  // Prisma applies in name order, so the new name must sort after the last even if the clock disagrees.
  let stamp = utcStamp(new Date());
  const lastStamp = last?.name.slice(0, 14);
  if (lastStamp && stamp <= lastStamp) stamp = utcStamp(new Date(stampToDate(lastStamp).getTime() + 1000));
  const dir = path.join(migrationsDir, `${stamp}_${slug}`);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, "migration.sql"), sql.endsWith("\n") ? sql : `${sql}\n`);
  fs.copyFileSync(schemaPath, snapshotPath);
  return dir;
}

function utcStamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

function stampToDate(stamp: string): Date {
  return new Date(stamp.replace(/^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)$/, "$1-$2-$3T$4:$5:$6Z"));
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === "generate") {
    // No database needed: postinstall runs this on a machine that may have none yet.
    await runOrThrow(process.execPath, [binPath("prisma"), "generate"], { env: prismaEnv() });
    return;
  }
  if (command !== "deploy" && command !== "migration" && command !== "seed") {
    throw new Error("usage: tsx scripts/db.ts <deploy|generate|migration NAME|seed>");
  }
  if (command === "migration" && !rest[0]) throw new Error("usage: tsx scripts/db.ts migration <name>");

  const postgres = await ensurePostgres();
  try {
    if (command === "deploy") {
      await deployMigrations(postgres.databaseUrl);
    } else if (command === "seed") {
      const { created } = await seedDatabase(postgres.databaseUrl);
      console.log(created ? "Seeded the database." : "Seed data already present; nothing to do.");
    } else {
      // The diff reads only schema files, but prisma.config.ts's adapter still wants a server to connect to.
      const dir = await createMigration(rest.join("_"), postgres.databaseUrl);
      if (!dir) {
        const last = listMigrations().at(-1);
        console.log(`No changes: prisma/schema.prisma matches ${last ? last.name : "an empty database"}.`);
      } else {
        const relDir = path.relative(repoRoot, dir);
        console.log(`Wrote ${relDir}/migration.sql (and moved ${path.relative(repoRoot, snapshotPath)} on to this schema).`);
        console.log(`Review it; SQL Prisma cannot express goes at its end, after a line \`${MANUAL_MARKER}\`.`);
        console.log("Apply it with `npm run db:deploy`; `npm run test:int` checks migrations against the schema.");
      }
    }
  } finally {
    await postgres.stop();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
