// Child-process helpers shared by the scripts: run a command to completion, or keep one running and stop it.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const require = createRequire(import.meta.url);

/** Absolute path of a package's bin script, run with `node` so no shell or `npx` sits in between. */
export function binPath(pkg: string, name: string = pkg): string {
  const manifestPath = require.resolve(`${pkg}/package.json`);
  const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8")) as { bin?: string | Record<string, string> };
  const bin = typeof manifest.bin === "string" ? manifest.bin : manifest.bin?.[name];
  if (!bin) throw new Error(`${pkg} has no bin named ${name}`);
  return path.join(path.dirname(manifestPath), bin);
}

export type RunOptions = {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Collect stdout/stderr instead of showing them (they are still returned on failure). */
  capture?: boolean;
  uid?: number;
  gid?: number;
};

export type RunResult = { code: number; stdout: string; stderr: string };

// Children of `run` share our process group, so a terminal's Ctrl-C reaches them; a SIGTERM sent to us
// alone (a CI timeout) does not, which is why callers can forward it with `signalRunning`.
const running = new Set<ChildProcess>();

export function signalRunning(signal: NodeJS.Signals): void {
  for (const child of running) child.kill(signal);
}

export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd ?? repoRoot,
      env: opts.env ?? process.env,
      stdio: opts.capture ? ["ignore", "pipe", "pipe"] : "inherit",
      uid: opts.uid,
      gid: opts.gid,
    });
    running.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", (err) => {
      running.delete(child);
      reject(err);
    });
    child.on("close", (code, signal) => {
      running.delete(child);
      resolve({ code: code ?? (signal ? 128 + signalNumber(signal) : 1), stdout, stderr });
    });
  });
}

/** `run`, but a non-zero exit is an error that carries the command's output. */
export async function runOrThrow(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const result = await run(cmd, args, opts);
  if (result.code !== 0) {
    const output = `${result.stdout}${result.stderr}`.trim();
    throw new Error(`${path.basename(cmd)} ${args.join(" ")} exited with ${result.code}${output ? `:\n${output}` : ""}`);
  }
  return result;
}

function signalNumber(signal: NodeJS.Signals): number {
  return signal === "SIGINT" ? 2 : signal === "SIGKILL" ? 9 : 15;
}

export type LongRunning = {
  name: string;
  pid: number;
  /** Resolves with the exit code (null when killed by a signal) whenever the process ends. */
  exited: Promise<number | null>;
  /** The last lines it printed, for error messages (empty when its output goes to the terminal). */
  tail(lines?: number): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
};

const live = new Set<LongRunning>();

// Long-running children get their own process group (detached) so that Ctrl-C reaches us first and we
// stop them in order; if we die without stopping them, this kills them on the way out.
process.once("exit", () => {
  for (const proc of live) {
    try {
      process.kill(-proc.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

export function startProcess(
  name: string,
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; logFile?: string } = {},
): LongRunning {
  const child = spawn(cmd, args, {
    cwd: opts.cwd ?? repoRoot,
    env: opts.env ?? process.env,
    detached: true,
    stdio: opts.logFile ? ["ignore", "pipe", "pipe"] : "inherit",
  });
  if (child.pid === undefined) throw new Error(`could not start ${name} (${cmd})`);
  const pid = child.pid;

  let recent: string[] = [];
  if (opts.logFile) {
    fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
    const file = fs.createWriteStream(opts.logFile);
    const keep = (chunk: Buffer) => {
      file.write(chunk);
      recent.push(...chunk.toString().split("\n").filter(Boolean));
      if (recent.length > 400) recent = recent.slice(-200);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    child.on("close", () => file.end());
  }

  const exited = new Promise<number | null>((resolve) => {
    child.on("error", () => resolve(1));
    child.on("exit", (code) => resolve(code));
  });

  const proc: LongRunning = {
    name,
    pid,
    exited,
    tail: (lines = 40) => recent.slice(-lines).join("\n"),
    async stop(graceMs = 10_000) {
      const signalGroup = (signal: NodeJS.Signals) => {
        try {
          process.kill(-pid, signal);
        } catch {
          // already gone
        }
      };
      signalGroup("SIGTERM");
      const timer = setTimeout(() => signalGroup("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
      // Its own children (next's workers, tsx's node) may outlive it for a moment.
      signalGroup("SIGKILL");
      live.delete(proc);
    },
  };
  live.add(proc);
  void exited.then(() => live.delete(proc));
  return proc;
}

/** Whether something accepts connections on 127.0.0.1:`port`. */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** The first executable named `command` on the PATH, or undefined. */
export function onPath(command: string): string | undefined {
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

/** The last `lines` lines of a log file, for error messages. */
export function tailOf(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function seconds(sinceMs: number): string {
  return `${((Date.now() - sinceMs) / 1000).toFixed(1)}s`;
}
