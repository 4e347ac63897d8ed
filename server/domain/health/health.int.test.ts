import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { createDb, prisma } from "../../db.ts";
import { checkHealth } from "./health.ts";
import { databaseIdentity, recordHeartbeat, type Beat } from "./heartbeat.ts";
import { key, redis } from "../../redis.ts";

// Leave no beat behind for the worker process test, which expects health to go red without one.
afterAll(async () => {
  await redis().del(key("worker", "heartbeat"));
});

describe("checkHealth", () => {
  it("is ok with database, Redis and a fresh heartbeat", async () => {
    await recordHeartbeat({ redis: redis(), workerId: "test:1", intervalMs: 1_000 });
    const h = await checkHealth({ db: prisma(), redis: redis() });
    expect(h.status).toBe("ok");
  });

  it("does not count a worker of another database that beats under the same prefix", async () => {
    const own = await databaseIdentity(prisma());
    expect(own).toMatch(/^\d+\/.+$/);
    const beat = (database: string): Beat => ({ at: Date.now(), workerId: "elsewhere:1", database });
    await redis().set(key("worker", "heartbeat"), JSON.stringify(beat(`${own}_copy`)), "PX", 5_000);
    const h = await checkHealth({ db: prisma(), redis: redis() });
    expect(h.status).toBe("down");
    expect(h.checks.worker).toMatchObject({
      ok: false,
      error: expect.stringMatching(/serves another database; give each installation its own REDIS_PREFIX/),
    });
    expect(JSON.stringify(h)).not.toContain(own);

    await redis().set(key("worker", "heartbeat"), JSON.stringify(beat(own)), "PX", 5_000);
    expect((await checkHealth({ db: prisma(), redis: redis() })).status).toBe("ok");
  });

  it("is down, naming the part, when the database is unreachable, without leaking the URL", async () => {
    const dead = createDb("postgresql://postgres:secret-pw@127.0.0.1:1/nowhere");
    const h = await checkHealth({ db: dead, redis: redis() });
    expect(h.status).toBe("down");
    expect(h.checks.database.ok).toBe(false);
    expect(JSON.stringify(h)).not.toContain("secret-pw");
    await dead.$disconnect();
  });

  it("is down within its time limit when Redis is unreachable", async () => {
    const dead = new Redis("redis://127.0.0.1:1", { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    dead.on("error", () => {}); // the refused connection is the point of this test
    const started = Date.now();
    const h = await checkHealth({ db: prisma(), redis: dead });
    expect(h.status).toBe("down");
    expect(h.checks.redis.ok).toBe(false);
    expect(h.checks.worker.ok).toBe(false);
    expect(Date.now() - started).toBeLessThan(5_000);
    dead.disconnect();
  });
});
