import { describe, expect, it } from "vitest";
import { newScratchNames, notScratch } from "./scratch.ts";

const server = "postgresql://postgres@127.0.0.1:5432";

describe("notScratch", () => {
  it("accepts what scripts/test.ts gives a run: its scratch database and the prefix of the same id", () => {
    const names = newScratchNames();
    expect(names.database).toMatch(/^onsale_test_[0-9a-f]{8}$/);
    expect(notScratch({ DATABASE_URL: `${server}/${names.database}`, REDIS_PREFIX: names.redisPrefix })).toBeUndefined();
    expect(
      notScratch({ DATABASE_URL: `postgresql://u:p%40ss@db:6543/${names.database}?sslmode=disable`, REDIS_PREFIX: names.redisPrefix }),
    ).toBeUndefined();
  });

  it.each([
    ["no DATABASE_URL", { REDIS_PREFIX: "onsale-test-0a1b2c3d" }],
    ["the development database", { DATABASE_URL: `${server}/onsale`, REDIS_PREFIX: "onsale-test-0a1b2c3d" }],
    ["the server's default database", { DATABASE_URL: server, REDIS_PREFIX: "onsale-test-0a1b2c3d" }],
    ["a look-alike name", { DATABASE_URL: `${server}/onsale_test_dev`, REDIS_PREFIX: "onsale-test-dev" }],
    ["a longer id", { DATABASE_URL: `${server}/onsale_test_0a1b2c3d4`, REDIS_PREFIX: "onsale-test-0a1b2c3d4" }],
    ["a scratch database with no prefix (the development default)", { DATABASE_URL: `${server}/onsale_test_0a1b2c3d` }],
    ["a scratch database with the development prefix", { DATABASE_URL: `${server}/onsale_test_0a1b2c3d`, REDIS_PREFIX: "onsale" }],
    ["another run's prefix", { DATABASE_URL: `${server}/onsale_test_0a1b2c3d`, REDIS_PREFIX: "onsale-test-99999999" }],
    ["not a URL", { DATABASE_URL: "onsale_test_0a1b2c3d", REDIS_PREFIX: "onsale-test-0a1b2c3d" }],
  ])("refuses %s", (_, env) => {
    expect(notScratch(env)).toEqual(expect.any(String));
  });

  it("names scratch ids of 8 hex digits only", () => {
    expect(newScratchNames("0a1b2c3d")).toEqual({ id: "0a1b2c3d", database: "onsale_test_0a1b2c3d", redisPrefix: "onsale-test-0a1b2c3d" });
    expect(() => newScratchNames("onsale")).toThrow();
  });
});
