// The Redis Cluster switch in the environment: a list of host:port primaries, or absent for REDIS_URL.
import { describe, expect, it } from "vitest";
import { parseEnv } from "./env";

describe("REDIS_CLUSTER_NODES", () => {
  it("is absent by default, so the single REDIS_URL is used", () => {
    expect(parseEnv({}).REDIS_CLUSTER_NODES).toBeUndefined();
    expect(parseEnv({ REDIS_CLUSTER_NODES: "" }).REDIS_CLUSTER_NODES).toBeUndefined();
  });

  it("parses host:port pairs separated by commas", () => {
    expect(
      parseEnv({ REDIS_CLUSTER_NODES: "127.0.0.1:7001, 127.0.0.1:7002,redis-3.internal:6379,[::1]:7004" }).REDIS_CLUSTER_NODES,
    ).toEqual([
      { host: "127.0.0.1", port: 7001 },
      { host: "127.0.0.1", port: 7002 },
      { host: "redis-3.internal", port: 6379 },
      { host: "::1", port: 7004 },
    ]);
  });

  it.each(["127.0.0.1", "127.0.0.1:0", "127.0.0.1:70000", "redis://127.0.0.1:7001", "127.0.0.1:7001;127.0.0.1:7002", ","])(
    "refuses %j with a message naming the variable",
    (value) => {
      expect(() => parseEnv({ REDIS_CLUSTER_NODES: value })).toThrow(/REDIS_CLUSTER_NODES: must be host:port pairs/);
    },
  );
});
