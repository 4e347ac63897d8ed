// Rate limits in Redis: exact under parallel calls (the count is one atomic script), the tightest of user
// and IP wins, windows reset, and over the limit a tRPC call answers 429 with its headers and does nothing.
import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { prisma } from "../../db.ts";
import { handleTrpcRequest } from "../../api/http.ts";
import { admitFan, makeConcert, makeUser, uniq } from "../../../test/support/factories.ts";
import { createRedis } from "../../redis.ts";
import { barrier } from "../../../test/support/races.ts";
import { takeRateLimit } from "./rate-limit.ts";
import { readThenWriteRateLimit } from "../../../test/stand-ins/rate-limit.ts";

const settle = async (calls: Promise<unknown>[]) => (await Promise.allSettled(calls)).map((r) => r.status);

describe("takeRateLimit", () => {
  it("lets exactly the limit through when 50 calls race, then resets with the window", async () => {
    const subject = { kind: "user" as const, id: uniq("u"), limit: 10 };
    const outcomes = await settle(Array.from({ length: 50 }, () => takeRateLimit("search", [subject], { windowMs: 800 })));
    expect(outcomes.filter((s) => s === "fulfilled")).toHaveLength(10);
    await expect(takeRateLimit("search", [subject], { windowMs: 800 })).rejects.toMatchObject({
      code: "RATE_LIMITED",
      details: { limit: 10, remaining: 0, retryAfterSeconds: 1, class: "search" },
    });
    await new Promise((r) => setTimeout(r, 900));
    expect(await takeRateLimit("search", [subject], { windowMs: 800 })).toMatchObject({ limit: 10, remaining: 9 });
  });

  // The auditor reads PostgreSQL; a rate limit lives in Redis and leaves nothing there, so these controls
  // witness the race directly: more calls passed than the limit allows.
  it("control: a count read and then written back (two round trips instead of one script) lets all 50 racers through", async () => {
    const subject = { kind: "user" as const, id: uniq("u"), limit: 10 };
    const pause = barrier(50);
    const outcomes = await settle(
      Array.from({ length: 50 }, () => readThenWriteRateLimit("search", [subject], { windowMs: 5_000, pause })),
    );
    expect(outcomes.filter((s) => s === "fulfilled")).toHaveLength(50);
  });

  it("with the same 50 racers lined up before their calls, the one script still lets exactly the limit through", async () => {
    const subject = { kind: "user" as const, id: uniq("u"), limit: 10 };
    const lineUp = barrier(50);
    const outcomes = await settle(
      Array.from({ length: 50 }, async () => {
        await lineUp();
        return takeRateLimit("search", [subject], { windowMs: 5_000 });
      }),
    );
    expect(outcomes.filter((s) => s === "fulfilled")).toHaveLength(10);
  });

  it("control: across 3 connections, 90 racers reading then writing the count all pass a limit of 25", async () => {
    const connections = [createRedis(), createRedis(), createRedis()];
    try {
      const subject = { kind: "ip" as const, id: uniq("ip"), limit: 25 };
      const pause = barrier(90);
      const outcomes = await settle(
        Array.from({ length: 90 }, (_, i) => readThenWriteRateLimit("seatmap", [subject], { redis: connections[i % 3]!, pause })),
      );
      expect(outcomes.filter((s) => s === "fulfilled")).toHaveLength(90);
    } finally {
      await Promise.all(connections.map((c) => c.quit()));
    }
  });

  it("holds across processes: callers on separate Redis connections share one count", async () => {
    // Each web process has its own connection; three here, racing.
    const connections = [createRedis(), createRedis(), createRedis()];
    try {
      const subject = { kind: "ip" as const, id: uniq("ip"), limit: 25 };
      const outcomes = await settle(
        Array.from({ length: 90 }, (_, i) => takeRateLimit("seatmap", [subject], { redis: connections[i % 3]! })),
      );
      expect(outcomes.filter((s) => s === "fulfilled")).toHaveLength(25);
    } finally {
      await Promise.all(connections.map((c) => c.quit()));
    }
  });

  it("answers the tightest of its subjects, and refuses when any one is over", async () => {
    const user = { kind: "user" as const, id: uniq("u"), limit: 5 };
    const ip = { kind: "ip" as const, id: uniq("ip"), limit: 3 };
    expect(await takeRateLimit("holds", [user, ip])).toMatchObject({ limit: 3, remaining: 2 });
    // Another user on the same address uses up the address.
    await takeRateLimit("holds", [{ ...user, id: uniq("u") }, ip]);
    await takeRateLimit("holds", [{ ...user, id: uniq("u") }, ip]);
    await expect(takeRateLimit("holds", [user, ip])).rejects.toMatchObject({ code: "RATE_LIMITED", details: { limit: 3 } });
    // A different address is still fine for the same user.
    expect(await takeRateLimit("holds", [user, { ...ip, id: uniq("ip") }])).toMatchObject({ limit: 5, remaining: 2 });
  });
});

describe("rate limits over HTTP", () => {
  it("refuses the 11th hold attempt of a minute with 429, Retry-After and X-RateLimit headers, holding nothing", async () => {
    const showtimeId = (await makeConcert()).showtimes[0]!.id;
    const fan = await makeUser();
    const accessToken = await admitFan(showtimeId, fan.id);
    const seat = await prisma().seat.findFirstOrThrow({ where: { showtimeId }, select: { id: true } });
    const ip = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
    const hold = (input: unknown) =>
      handleTrpcRequest(
        new Request("http://localhost/api/trpc/holds.create", {
          method: "POST",
          headers: { "content-type": "application/json", "x-forwarded-for": ip },
          body: JSON.stringify(superjson.serialize(input)),
        }),
        async () => fan,
      );
    for (let i = 1; i <= 10; i++) {
      // Without a token: refused by the gate, but counted.
      const res = await hold({ showtimeId, seatIds: [seat.id] });
      expect(res.status).toBe(403);
      expect(res.headers.get("X-RateLimit-Remaining")).toBe(String(10 - i));
    }
    const res = await hold({ showtimeId, seatIds: [seat.id], accessToken });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(res.headers.get("X-RateLimit-Limit")).toBe("10");
    expect(res.headers.get("X-RateLimit-Remaining")).toBe("0");
    expect(Number(res.headers.get("X-RateLimit-Reset"))).toBeGreaterThan(Date.now() / 1000);
    const body = superjson.deserialize((await res.json()).error) as { data: { appCode: string } };
    expect(body.data.appCode).toBe("RATE_LIMITED");
    expect(await prisma().hold.count({ where: { showtimeId } })).toBe(0);
  });
});
