import path from "node:path";
import { describe, expect, it } from "vitest";
import { defaultRedisPrefix, parseEnv } from "./env";

describe("parseEnv", () => {
  it("fills development defaults", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBe("postgresql://postgres@127.0.0.1:5432/onsale");
    expect(env.REDIS_PREFIX).toBe(defaultRedisPrefix(env.DATABASE_URL));
    // Pinned: a change of the derivation would move every installation that sets no prefix to new, empty keys.
    expect(env.REDIS_PREFIX).toBe("onsale-526cd114");
    expect(env.NODE_ENV).toBe("development");
    expect(env.POSTER_DIR).toBe(path.resolve(".data/posters"));
    expect(parseEnv({ POSTER_DIR: "/srv/posters" }).POSTER_DIR).toBe("/srv/posters");
  });

  it("names the Redis prefix after the database, so installations sharing a Redis are apart unless told otherwise", () => {
    const prefix = (DATABASE_URL: string, REDIS_PREFIX?: string) => parseEnv({ DATABASE_URL, REDIS_PREFIX }).REDIS_PREFIX;
    const local = prefix("postgresql://postgres@127.0.0.1:5432/onsale");
    // Another database, another server or another port: another installation.
    const others = [
      "postgresql://postgres@127.0.0.1:5432/onsale_staging",
      "postgresql://postgres@db.internal:5432/onsale",
      "postgresql://postgres:pw@127.0.0.1:54329/onsale",
      "postgresql://postgres@localhost:5432/onsale?host=%2Fvar%2Frun%2Fpostgresql",
    ].map((url) => prefix(url));
    expect(new Set([local, ...others]).size).toBe(5);
    expect(others[0]).toMatch(/^onsale_staging-[0-9a-f]{8}$/);
    // The same database however it is written: user, password, loopback name, default port, options.
    for (const same of [
      "postgresql://app:secret@localhost/onsale",
      "postgres://postgres@[::1]:5432/onsale?sslmode=disable",
      "postgresql://127.0.0.1/onsale",
    ]) {
      expect(prefix(same), same).toBe(local);
    }
    // Nothing of the URL but the database name is readable in it, and it is a valid prefix.
    expect(prefix("postgresql://u:hunter2@10.0.0.5:6432/shop.db")).toMatch(/^shop_db-[0-9a-f]{8}$/);
    // Set on purpose, it is used as given.
    expect(prefix("postgresql://postgres@127.0.0.1:5432/onsale", "shared")).toBe("shared");
  });

  it("names every bad variable in one message", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://x", REDIS_URL: "http://x", WORKER_HEARTBEAT_MS: "fast" })).toThrow(
      /DATABASE_URL: must be a postgresql:\/\/ connection string[\s\S]*REDIS_URL[\s\S]*WORKER_HEARTBEAT_MS/,
    );
  });

  const REAL_SECRET = "q8Vf3kJ2mX9pL4rT7wZ1bN6cH0dG5sYa"; // as `openssl rand -base64 24` prints

  it("refuses the development secret in production, unset or set to it on purpose", () => {
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(
      /AUTH_SECRET: must be set in production \(the development default is public\)/,
    );
    const { AUTH_SECRET: dev } = parseEnv({});
    expect(() => parseEnv({ NODE_ENV: "production", AUTH_SECRET: dev })).toThrow(/AUTH_SECRET: must be set in production/);
    // Development and tests keep the default.
    expect(parseEnv({ NODE_ENV: "development" }).AUTH_SECRET).toBe(dev);
    expect(parseEnv({ NODE_ENV: "test" }).AUTH_SECRET).toBe(dev);
  });

  it("refuses a placeholder secret in production that passes the length rule", () => {
    for (const placeholder of ["x".repeat(40), "changeme".repeat(4), "aaaa1111".repeat(4)]) {
      expect(() => parseEnv({ NODE_ENV: "production", AUTH_SECRET: placeholder }), placeholder).toThrow(
        /AUTH_SECRET: looks like a placeholder/,
      );
      expect(parseEnv({ NODE_ENV: "development", AUTH_SECRET: placeholder }).AUTH_SECRET).toBe(placeholder);
    }
  });

  it("says NEXTAUTH_SECRET is not read when it is set instead of AUTH_SECRET in production", () => {
    expect(() => parseEnv({ NODE_ENV: "production", NEXTAUTH_SECRET: REAL_SECRET })).toThrow(
      /NEXTAUTH_SECRET is not read, rename it to AUTH_SECRET/,
    );
    expect(parseEnv({ NODE_ENV: "production", NEXTAUTH_SECRET: "other", AUTH_SECRET: REAL_SECRET }).AUTH_SECRET).toBe(REAL_SECRET);
  });

  it("accepts a real secret in production, and the default while building", () => {
    expect(parseEnv({ NODE_ENV: "production", AUTH_SECRET: REAL_SECRET }).AUTH_SECRET).toBe(REAL_SECRET);
    expect(() => parseEnv({ NODE_ENV: "production", NEXT_PHASE: "phase-production-build" })).not.toThrow();
  });

  it("refuses a short secret", () => {
    expect(() => parseEnv({ AUTH_SECRET: "short" })).toThrow(/AUTH_SECRET: must be at least 32 characters/);
  });
});
