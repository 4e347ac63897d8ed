// The real worker process: it beats through a BullMQ job scheduler, health sees it, SIGTERM stops it cleanly.
import { once } from "node:events";
import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "../server/db.ts";
import { checkHealth } from "../server/domain/health/health.ts";
import { key, redis } from "../server/redis.ts";
import { startWorker, waitFor, type RunningWorker } from "../test/support/processes.ts";

const HEARTBEAT_MS = 300;
const workers: RunningWorker[] = [];

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
});

describe("worker process", () => {
  it("reports liveness through health, keeps beating by scheduled jobs, and stops gracefully on SIGTERM", async () => {
    // A beat left by workers of an earlier test must not pass for this one's.
    await redis().del(key("worker", "heartbeat"));
    const worker = startWorker({ WORKER_HEARTBEAT_MS: String(HEARTBEAT_MS), LOG_LEVEL: "info" });
    workers.push(worker);
    const { child, output } = worker;
    const healthy = await waitFor(async () => {
      const h = await checkHealth({ db: prisma(), redis: redis() });
      return h.status === "ok" && String(h.checks.worker.detail?.workerId).endsWith(`:${child.pid}`) ? h : undefined;
    }, 30_000);
    expect(healthy.checks.worker.detail?.workerId).toMatch(/:\d+$/);

    // Beats keep coming from the scheduler, not only the start-up beat: two more, each after the last (when
    // they come is the scheduler's business; a worker busy with jobs earlier files left may beat late).
    const beatAt = (h: Awaited<ReturnType<typeof checkHealth>>) =>
      Date.now() - (h.checks.worker.detail as { lastBeatAgoMs: number }).lastBeatAgoMs;
    let last = beatAt(healthy);
    for (let beat = 0; beat < 2; beat++) {
      last = await waitFor(
        async () => {
          const h = await checkHealth({ db: prisma(), redis: redis() });
          return h.checks.worker.ok && beatAt(h) > last + HEARTBEAT_MS / 2 ? beatAt(h) : undefined;
        },
        15_000,
        "another beat",
      );
    }

    child.kill("SIGTERM");
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
    expect(output()).toContain('"msg":"worker stopped"');
    expect(output()).toContain('"service":"worker"');

    // With no worker left, health turns red once the last beat runs out.
    const down = await waitFor(async () => {
      const h = await checkHealth({ db: prisma(), redis: redis() });
      return h.status === "down" ? h : undefined;
    }, HEARTBEAT_MS * 10);
    expect(down.checks.worker).toMatchObject({ ok: false, error: "no worker heartbeat" });
    expect(down.checks.database.ok).toBe(true);
    expect(down.checks.redis.ok).toBe(true);
  }, 60_000);
});
