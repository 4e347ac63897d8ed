// A worker killed with SIGKILL in the middle of a job, and another started: the job is
// taken over once its lock lapses and redone once, with no double effect.
//
// The job is a hold's expiry job (worker/processors/holds.ts → server/domain/holds/expiry.ts). To catch it
// mid-flight the test keeps one of the hold's seats locked, so the job's one statement has marked the
// hold EXPIRED (uncommitted) and waits to free that seat. Worker 1 is killed there. Its database
// connection is made with client_connection_check_interval, so PostgreSQL notices the dead client and
// rolls the statement back (without it the orphaned statement would commit once the lock goes, which is
// as safe: the redo then finds nothing to do). Before worker 2 starts, a second fan takes one of the run-out
// hold's seats (the claim's predicate allows it): the redo must expire the hold and free the other seats,
// and must not free the seat the second fan now holds.
import { QueueEvents } from "bullmq";
import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "../../server/db.ts";
import { auditInvariants } from "../../server/domain/audit/invariants.ts";
import { sweepExpiredHolds } from "../../server/domain/holds/expiry.ts";
import { holdSeats } from "../../server/domain/holds/holds.ts";
import { env } from "../../server/env.ts";
import { bullConnection, bullPrefix, enqueueHoldExpiry, holdsQueue, maintenanceQueue, QUEUES } from "../../server/queue/queues.ts";
import { holdSeatsDirectly, makeConcert, makeFans } from "../support/factories.ts";
import { backendAlive, lockRows, startWorker, waitFor, waitingBackend, type RowLock, type RunningWorker } from "../support/processes.ts";

const LOCK_MS = 1_500;
const workers: RunningWorker[] = [];
const locks: RowLock[] = [];
const holds = holdsQueue();
const maintenance = maintenanceQueue();
const events = new QueueEvents(QUEUES.holds, { connection: bullConnection(), prefix: bullPrefix() });

afterAll(async () => {
  await Promise.all(locks.map((l) => l.release()));
  await Promise.all(workers.map((w) => w.stop()));
  await maintenance.resume();
  await Promise.all([holds.close(), maintenance.close(), events.close()]);
});

/** The worker's database URL with PostgreSQL checking, every 200 ms while a statement runs, that the client is still there. */
function checkedDatabaseUrl(): string {
  const url = new URL(env().DATABASE_URL);
  url.searchParams.set("options", "-c client_connection_check_interval=200");
  return url.toString();
}

describe("a worker killed with SIGKILL mid-job", () => {
  it("has its job taken over by another worker and redone once, freeing only the seats still the hold's", async () => {
    // The periodic sweep runs the same statement as the hold's job; paused, it cannot do the redo's work
    // (or get stuck on the test's lock in the job's place), so what happens is the job's alone.
    await maintenance.pause();
    await events.waitUntilReady();
    // The hold's job sweeps every due hold, oldest first, in batches of 1,000: holds earlier files left to run
    // out would come before the watched one (and keep the job busy past the wait for it), so they go now.
    await sweepExpiredHolds();
    const seen: { event: string; jobId: string; returnvalue?: unknown; at: number }[] = [];
    const started = Date.now();
    for (const event of ["active", "stalled", "completed", "failed"] as const) {
      events.on(event, (args: { jobId: string; returnvalue?: unknown }) =>
        seen.push({ event, jobId: args.jobId, returnvalue: args.returnvalue, at: Date.now() - started }),
      );
    }
    const workerEnv = { WORKER_LOCK_MS: String(LOCK_MS), LOG_LEVEL: "info", DATABASE_URL: checkedDatabaseUrl() };
    const first = startWorker(workerEnv);
    workers.push(first);
    await first.waitForOutput(/"msg":"worker started"/, 45_000, "worker 1 started");

    // A hold that ran out five minutes ago, made directly so that no expiry job of its own is queued:
    // the test queues the one job it watches, once a seat is locked.
    const showtimeId = (await makeConcert()).showtimes[0]!.id;
    const [otherFan] = await makeFans(1);
    const seatIds = (await prisma().seat.findMany({ where: { showtimeId }, orderBy: { id: "asc" }, take: 3, select: { id: true } })).map(
      (s) => s.id,
    );
    const [retaken, kept, locked] = seatIds as [number, number, number];
    const heldUntil = new Date(Date.now() - 300_000);
    const hold = { holdId: await holdSeatsDirectly(showtimeId, seatIds, heldUntil), heldUntil };

    const lock = await lockRows(`SELECT id FROM "Seat" WHERE id = $1 FOR UPDATE`, [locked]);
    locks.push(lock);
    await enqueueHoldExpiry(hold.holdId, hold.heldUntil);
    const job = await waitFor(
      async () => {
        const j = await holds.getJob(hold.holdId);
        return j && (await j.getState()) === "active" ? j : undefined;
      },
      30_000,
      "the expiry job to be active",
    );
    const backend = await waitingBackend(lock);
    expect(backend.query).toMatch(/WITH due AS/);
    expect(job.data).toEqual({ holdId: hold.holdId });

    first.signal("SIGKILL");
    await first.exited();
    expect(first.child.signalCode).toBe("SIGKILL");
    // PostgreSQL notices the dead client and rolls its statement back: the hold is still ACTIVE, the seats still its own.
    await waitFor(async () => ((await backendAlive(backend.pid)) ? undefined : true), 20_000, "the killed worker's backend to end");
    expect(await prisma().hold.findUniqueOrThrow({ where: { id: hold.holdId }, select: { status: true } })).toEqual({ status: "ACTIVE" });
    expect(await prisma().seat.count({ where: { id: { in: seatIds }, holdId: hold.holdId, status: "HELD" } })).toBe(3);
    await lock.release();

    // Meanwhile another fan takes one of the run-out hold's seats.
    const second = await holdSeats({ showtimeId, seatIds: [retaken] }, { userId: otherFan!, client: "web", ip: "127.0.0.1" });
    const killedAt = Date.now() - started;

    const next = startWorker(workerEnv);
    workers.push(next);
    const done = await waitFor(
      async () => seen.find((e) => e.event === "completed" && e.jobId === hold.holdId),
      45_000,
      "the job to complete in worker 2",
    );
    const result = typeof done.returnvalue === "string" ? JSON.parse(done.returnvalue) : done.returnvalue;
    // The redo did the work: this hold expired, and its two seats still its own freed.
    expect(result).toMatchObject({ expired: expect.any(Number), freed: expect.any(Number) });
    expect(result.expired).toBeGreaterThanOrEqual(1);
    expect(result.freed).toBeGreaterThanOrEqual(2);

    const mine = seen.filter((e) => e.jobId === hold.holdId);
    expect(mine.filter((e) => e.event === "stalled")).toHaveLength(1);
    expect(mine.filter((e) => e.event === "completed")).toHaveLength(1);
    expect(mine.filter((e) => e.event === "failed")).toHaveLength(0);
    expect(mine.filter((e) => e.event === "active")).toHaveLength(2);
    const stalledAt = mine.find((e) => e.event === "stalled")!.at;
    console.info(
      `worker-kill: killed and seat retaken at ${killedAt} ms; job stalled at ${stalledAt} ms, completed at ${done.at} ms by worker 2: ${JSON.stringify(result)}`,
    );

    expect(await prisma().hold.findUniqueOrThrow({ where: { id: hold.holdId }, select: { status: true } })).toEqual({ status: "EXPIRED" });
    const seats = await prisma().seat.findMany({
      where: { id: { in: seatIds } },
      orderBy: { id: "asc" },
      select: { id: true, status: true, holdId: true },
    });
    expect(seats).toEqual([
      { id: retaken, status: "HELD", holdId: second.holdId },
      { id: kept, status: "AVAILABLE", holdId: null },
      { id: locked, status: "AVAILABLE", holdId: null },
    ]);
    expect(await prisma().hold.findUniqueOrThrow({ where: { id: second.holdId }, select: { status: true } })).toEqual({ status: "ACTIVE" });
    // Nothing else of the job is left to run, and nothing it did is broken.
    expect(await holds.getJob(hold.holdId)).toBeUndefined();
    const audit = await auditInvariants(prisma(), { showtimeId });
    expect(audit.checks.filter((c) => !c.ok)).toEqual([]);
  }, 120_000);
});
