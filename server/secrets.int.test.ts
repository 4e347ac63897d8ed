// The real processes refuse the public development secret in production: the worker, the web app's start-up
// hook (instrumentation.ts, what `next start` runs first) and the code that signs tokens exit non-zero naming
// AUTH_SECRET. The same processes with a real secret start, so it is the secret they refuse.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { startWorker, waitFor } from "../test/support/processes.ts";

const REAL_SECRET = randomBytes(32).toString("base64url");
/** Blank counts as unset (server/env.ts), so the development default applies. */
const NO_SECRET = { NODE_ENV: "production", AUTH_SECRET: "", NEXTAUTH_SECRET: "" };

/** Runs `code` as an ES module under tsx in the repository's root; resolves with its exit code and output. */
async function runScript(code: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const [exitCode] = (await once(child, "exit")) as [number | null];
  return { code: exitCode, output };
}

const START_HOOK = `const { register } = await import("./instrumentation.ts"); await register(); console.log("started");`;
// Signing a waiting-room access token (what admission hands out; its key is derived from AUTH_SECRET).
// server/auth.ts itself does not load in plain Node (next-auth's providers are CommonJS default exports).
const SIGN_TOKEN = `const { signAccessToken } = await import("./server/domain/waiting-room/tokens.ts");
const token = await signAccessToken({ userId: "u", showtimeId: "s", expiresAt: new Date(Date.now() + 60000) });
console.log("signed", token.split(".").length, "parts");`;

describe("default secrets in production", () => {
  it("the worker exits with a clear message instead of starting with the development secret", async () => {
    const worker = startWorker(NO_SECRET);
    const [code] = (await once(worker.child, "exit")) as [number | null];
    expect(code).not.toBe(0);
    expect(worker.output()).toMatch(/AUTH_SECRET: must be set in production \(the development default is public\)/);
    expect(worker.output()).not.toMatch(/worker started/);
  });

  it("the worker also refuses a placeholder secret, and NEXTAUTH_SECRET in its place", async () => {
    const placeholder = startWorker({ ...NO_SECRET, AUTH_SECRET: "changeme".repeat(4) });
    const [placeholderCode] = (await once(placeholder.child, "exit")) as [number | null];
    expect(placeholderCode).not.toBe(0);
    expect(placeholder.output()).toMatch(/AUTH_SECRET: looks like a placeholder/);

    const renamed = startWorker({ ...NO_SECRET, NEXTAUTH_SECRET: REAL_SECRET });
    const [renamedCode] = (await once(renamed.child, "exit")) as [number | null];
    expect(renamedCode).not.toBe(0);
    expect(renamed.output()).toMatch(/NEXTAUTH_SECRET is not read, rename it to AUTH_SECRET/);
  });

  it("the same worker starts in production with a real secret", async () => {
    const worker = startWorker({ NODE_ENV: "production", AUTH_SECRET: REAL_SECRET, LOG_LEVEL: "info" });
    try {
      await waitFor(
        async () => (/"msg":"worker started"/.test(worker.output()) ? true : undefined),
        45_000,
        `the worker to start:\n${worker.output()}`,
      );
    } finally {
      expect(await worker.stop()).toBe(0);
    }
  });

  it("the web app's start-up hook and its token signing refuse it too, and take a real secret", async () => {
    const [hook, sign, hookOk, signOk] = await Promise.all([
      runScript(START_HOOK, { ...NO_SECRET, NEXT_RUNTIME: "nodejs" }),
      runScript(SIGN_TOKEN, NO_SECRET),
      runScript(START_HOOK, { NODE_ENV: "production", AUTH_SECRET: REAL_SECRET, NEXT_RUNTIME: "nodejs" }),
      runScript(SIGN_TOKEN, { NODE_ENV: "production", AUTH_SECRET: REAL_SECRET }),
    ]);
    for (const refused of [hook, sign]) {
      expect(refused.code, refused.output).not.toBe(0);
      expect(refused.output).toMatch(/AUTH_SECRET: must be set in production/);
      expect(refused.output).not.toContain(REAL_SECRET);
    }
    expect(hookOk.code, hookOk.output).toBe(0);
    expect(hookOk.output).toContain("started");
    expect(signOk.code, signOk.output).toBe(0);
    expect(signOk.output).toContain("signed 3 parts");
  });
});
