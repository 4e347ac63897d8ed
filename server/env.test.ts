import { describe, expect, it } from "vitest";
import { parseEnv } from "./env";

describe("parseEnv", () => {
  it("fills development defaults", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBe("postgresql://postgres@127.0.0.1:5432/onsale");
    expect(env.REDIS_PREFIX).toBe("onsale");
    expect(env.NODE_ENV).toBe("development");
  });

  it("names every bad variable in one message", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://x", REDIS_URL: "http://x", WORKER_HEARTBEAT_MS: "fast" })).toThrow(
      /DATABASE_URL: must be a postgresql:\/\/ connection string[\s\S]*REDIS_URL[\s\S]*WORKER_HEARTBEAT_MS/,
    );
  });

  it("refuses the development secret in production", () => {
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(/AUTH_SECRET: must be set in production/);
  });

  it("accepts a real secret in production, and the default while building", () => {
    expect(parseEnv({ NODE_ENV: "production", AUTH_SECRET: "x".repeat(40) }).AUTH_SECRET).toHaveLength(40);
    expect(() => parseEnv({ NODE_ENV: "production", NEXT_PHASE: "phase-production-build" })).not.toThrow();
  });

  it("refuses a short secret", () => {
    expect(() => parseEnv({ AUTH_SECRET: "short" })).toThrow(/AUTH_SECRET: must be at least 32 characters/);
  });
});
