// outageOf against the errors ioredis really throws when Redis cannot be reached (a port nobody listens
// on), so a Redis outage answers 503 UNAVAILABLE "redis" rather than 500. No Redis needed.
import { Redis, type RedisOptions } from "ioredis";
import { describe, expect, it } from "vitest";
import { freePort } from "../../test/support/redis-server.ts";
import { outageOf, unavailableError } from "./errors.ts";

async function errorOf(run: (client: Redis) => Promise<unknown>, options: RedisOptions = {}): Promise<unknown> {
  const port = await freePort();
  const client = new Redis({ host: "127.0.0.1", port, retryStrategy: (n) => Math.min(n * 20, 100), ...options });
  client.on("error", () => {});
  try {
    return await run(client).then(
      () => {
        throw new Error("expected the call to fail");
      },
      (err: unknown) => err,
    );
  } finally {
    client.disconnect();
  }
}

describe("outageOf on real ioredis errors", () => {
  it("a command that ran out of reconnect attempts (the app's clients: maxRetriesPerRequest 2)", async () => {
    const err = await errorOf((c) => c.get("k"), { maxRetriesPerRequest: 2 });
    expect((err as Error).name).toBe("MaxRetriesPerRequestError");
    expect(outageOf(err)).toBe("redis");
    expect(unavailableError(err)).toMatchObject({ code: "UNAVAILABLE", status: 503, details: { reason: "redis" } });
  });

  it("a Lua script run while disconnected, and an error wrapped as another's cause", async () => {
    const err = await errorOf((c) => c.eval("return 1", 0), { maxRetriesPerRequest: 1 });
    expect(outageOf(err)).toBe("redis");
    expect(outageOf(new Error("join failed", { cause: err }))).toBe("redis");
  });

  it("a command on a connection that was closed, or with the offline queue off", async () => {
    const closed = await errorOf(async (c) => {
      c.disconnect();
      return c.get("k");
    });
    expect((closed as Error).message).toMatch(/Connection is closed/);
    expect(outageOf(closed)).toBe("redis");
    const offline = await errorOf((c) => c.get("k"), { enableOfflineQueue: false, lazyConnect: true });
    expect(outageOf(offline)).toBe("redis");
  });

  it("leaves other errors alone", () => {
    expect(outageOf(new Error("WRONGTYPE Operation against a key holding the wrong kind of value"))).toBeUndefined();
    expect(outageOf(new TypeError("x is undefined"))).toBeUndefined();
  });
});
