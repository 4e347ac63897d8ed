// The auditor's default sweep interval must be the worker's: read both from their sources (importing
// either would need a database or start a worker).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const read = (file: string) => fs.readFileSync(path.resolve(import.meta.dirname, "../../..", file), "utf8");
const figure = (source: string, name: string) => {
  const match = new RegExp(`${name}\\s*=\\s*([\\d_]+)`).exec(source);
  return match ? Number(match[1]!.replaceAll("_", "")) : undefined;
};

describe("WORKER_SWEEP_INTERVAL_MS", () => {
  it("equals the worker's hold sweep interval", () => {
    const worker = figure(read("worker/index.ts"), "SWEEP_EVERY_MS");
    expect(worker).toBeGreaterThan(0);
    expect(figure(read("server/domain/audit/invariants.ts"), "WORKER_SWEEP_INTERVAL_MS")).toBe(worker);
  });
});
