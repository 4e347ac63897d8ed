// Finds the PostgreSQL to use (DATABASE_URL, else a local server, else the embedded one) and creates, drops
// and names databases on it.
import pg from "pg";
import { startEmbeddedPostgres } from "./embedded-postgres.ts";
import { messageOf, redact, tryConnect } from "./probe.ts";

export type EnsureOptions = {
  /** Database to use, created if missing; default: the one named in DATABASE_URL, else "onsale". */
  database?: string;
  log?: (line: string) => void;
};

export async function ensurePostgres(opts: EnsureOptions = {}): Promise<{ databaseUrl: string; stop(): Promise<void> }> {
  const log = opts.log ?? console.log;
  const fromEnv = process.env.DATABASE_URL;
  const database = opts.database ?? (fromEnv ? databaseName(fromEnv) : "onsale");

  if (fromEnv) {
    const databaseUrl = withDatabase(fromEnv, database);
    const problem = await ensureDatabase(databaseUrl);
    if (problem) throw new Error(`PostgreSQL: DATABASE_URL (${redact(databaseUrl)}) is not usable: ${problem}`);
    log(`PostgreSQL: using DATABASE_URL (${redact(databaseUrl)})`);
    return { databaseUrl, stop: async () => {} };
  }

  const host = process.env.PGHOST ?? "127.0.0.1";
  const port = process.env.PGPORT ?? "5432";
  // A PGHOST that is a directory means a Unix socket, which pg takes as a `host` query parameter.
  const localUrl = host.startsWith("/")
    ? `postgresql://postgres@localhost:${port}/${database}?host=${encodeURIComponent(host)}`
    : `postgresql://postgres@${host}:${port}/${database}`;
  const localProblem = await ensureDatabase(localUrl);
  if (!localProblem) {
    log(`PostgreSQL: using local server at ${host}:${port} (database ${database})`);
    return { databaseUrl: localUrl, stop: async () => {} };
  }

  const embedded = await startEmbeddedPostgres(log, `${host}:${port} (${localProblem})`);
  const databaseUrl = withDatabase(embedded.serverUrl, database);
  const problem = await ensureDatabase(databaseUrl);
  if (problem) {
    await embedded.stop();
    throw new Error(`PostgreSQL: embedded server started but is not usable: ${problem}`);
  }
  return { databaseUrl, stop: embedded.stop };
}

/** Creates the URL's database if it is missing; returns why the server is unusable, or undefined. */
async function ensureDatabase(databaseUrl: string): Promise<string | undefined> {
  const first = await tryConnect(databaseUrl);
  if (first.ok) return undefined;
  if (first.code !== "3D000") return first.message; // 3D000: the server is up, the database is missing
  try {
    await createDatabase(databaseUrl, { ifMissing: true });
    return undefined;
  } catch (err) {
    return `database ${databaseName(databaseUrl)} is missing and could not be created: ${messageOf(err)}`;
  }
}

/** Runs statements against the server's `postgres` database (CREATE/DROP DATABASE cannot run inside the target). */
async function onServer(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(url, "postgres"), connectionTimeoutMillis: 5000 });
  client.on("error", () => {});
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end().catch(() => {});
  }
}

/** `template`: a database of the same server to copy (nobody may be connected to it). */
export async function createDatabase(databaseUrl: string, opts: { ifMissing?: boolean; template?: string } = {}): Promise<void> {
  const template = opts.template ? ` TEMPLATE ${quoteIdent(opts.template)}` : "";
  try {
    await onServer(databaseUrl, `CREATE DATABASE ${quoteIdent(databaseName(databaseUrl))}${template}`);
  } catch (err) {
    // 42P04 duplicate_database; 23505 when two creators race on pg_database's unique index.
    const code = (err as { code?: string }).code;
    if (!(opts.ifMissing && (code === "42P04" || code === "23505"))) throw err;
  }
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  // FORCE ends the sessions a killed test run may have left behind (PostgreSQL 13+).
  await onServer(databaseUrl, `DROP DATABASE IF EXISTS ${quoteIdent(databaseName(databaseUrl))} WITH (FORCE)`);
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, "")) || "postgres";
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
