// A worker frozen (SIGSTOP) mid-job past its lock, then resumed (SIGCONT): another worker
// takes the job over and completes it; the frozen one's late completion is refused (BullMQ checks the
// lock token) and changes nothing.
//
// The job is a hold's expiry job, caught mid-flight as in worker-kill: one of the hold's seats is locked
// by the test, so the job's statement waits inside PostgreSQL. Worker 1 is frozen there. Only the Node
// process is frozen: its statement lives on in the database and commits once the test lets the seat go,
// which is the "did the work, then froze before saying so" case. A second fan then takes a freed seat,
// worker 2 takes the job over and redoes it (finding nothing left, and freeing nobody's seat), and worker
// 1, resumed, tries to complete a job it no longer owns. The job is enqueued with removeOnComplete off
// (production removes completed expiry jobs) so its final state can be read back.
import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "../../server/db.ts";
import { auditInvariants } from "../../server/domain/audit/invariants.ts";
import { sweepExpiredHolds } from "../../server/domain/holds/expiry.ts";
import { holdSeats } from "../../server/domain/holds/holds.ts";
import { holdsQueue, JOBS, maintenanceQueue } from "../../server/queue/queues.ts";
import { holdSeatsDirectly, makeConcert, makeFans } from "../support/factories.ts";
import { lockRows, startWorker, waitFor, waitingBackend, type RowLock, type RunningWorker } from "../support/processes.ts";

const LOCK_MS = 1_500;
const workers: RunningWorker[] = [];
const locks: RowLock[] = [];
const holds = holdsQueue();
const maintenance = maintenanceQueue();

afterAll(async () => {
  await Promise.all(locks.map((l) => l.release()));
  await Promise.all(workers.map((w) => w.stop()));
  await maintenance.resume();
  await Promise.all([holds.close(), maintenance.close()]);
});

describe("a worker frozen with SIGSTOP mid-job, past its lock", () => {
  it("loses the job to another worker, and its completion after SIGCONT is refused and changes nothing", async () => {
    // No periodic sweep meanwhile (it runs the same statement): what happens is the job's alone.
    await maintenance.pause();
    // The hold's job sweeps every due hold, oldest first, in batches of 1,000: holds earlier files left to run
    // out would come before the watched one (and keep the job busy past the wait for it), so they go now.
    await sweepExpiredHolds();
    const started = Date.now();
    const workerEnv = { WORKER_LOCK_MS: String(LOCK_MS), LOG_LEVEL: "info" };
    const frozen = startWorker(workerEnv);
    workers.push(frozen);
    await frozen.waitForOutput(/"msg":"worker started"/, 45_000, "worker 1 started");

    const showtimeId = (await makeConcert()).showtimes[0]!.id;
    const [otherFan] = await makeFans(1);
    const seatIds = (await prisma().seat.findMany({ where: { showtimeId }, orderBy: { id: "asc" }, take: 3, select: { id: true } })).map(
      (s) => s.id,
    );
    const [retaken, kept, locked] = seatIds as [number, number, number];
    // A hold that ran out five minutes ago, made directly so that no expiry job of its own is queued:
    // the test queues the one job it watches.
    const hold = { holdId: await holdSeatsDirectly(showtimeId, seatIds, new Date(Date.now() - 300_000)) };

    const lock = await lockRows(`SELECT id FROM "Seat" WHERE id = $1 FOR UPDATE`, [locked]);
    locks.push(lock);
    await holds.add(JOBS.expireHold, { holdId: hold.holdId }, { jobId: hold.holdId, removeOnComplete: false, removeOnFail: false });
    await waitFor(async () => ((await holds.getJob(hold.holdId))?.processedOn ? true : undefined), 30_000, "the expiry job to be active");
    const backend = await waitingBackend(lock);
    expect(backend.query).toMatch(/WITH due AS/);

    frozen.signal("SIGSTOP");
    const frozenAt = Date.now() - started;
    // The frozen worker's statement goes on in PostgreSQL and commits: the hold is tidied once, by it.
    await lock.release();
    await waitFor(
      async () => ((await prisma().hold.findUniqueOrThrow({ where: { id: hold.holdId } })).status === "EXPIRED" ? true : undefined),
      20_000,
      "the frozen worker's statement to commit",
    );
    expect(await prisma().seat.count({ where: { id: { in: seatIds }, status: "AVAILABLE", holdId: null } })).toBe(3);
    const second = await holdSeats({ showtimeId, seatIds: [retaken] }, { userId: otherFan!, client: "web", ip: "127.0.0.1" });

    // Worker 2 finds the job stalled once worker 1's lock lapses, takes it over and completes it.
    const other = startWorker(workerEnv);
    workers.push(other);
    // The state first, then the job: a job read before its state turns completed lacks the return value.
    const completed = await waitFor(
      async () => {
        if ((await holds.getJobState(hold.holdId)) !== "completed") return undefined;
        return holds.getJob(hold.holdId);
      },
      45_000,
      "worker 2 to complete the job",
    );
    const takenOverAt = Date.now() - started;
    // Nothing left for it to do (other holds of earlier test files could be due too, hence no exact zero).
    expect(completed.returnvalue).toMatchObject({ expired: expect.any(Number), freed: expect.any(Number) });
    const returnvalue = completed.returnvalue as { expired: number; freed: number };
    expect(completed.stalledCounter).toBe(1);
    expect(completed.attemptsStarted).toBe(2);
    const finishedOn = completed.finishedOn;

    // Worker 1 wakes up, gets its statement's answer, and tries to complete the job with its old lock token.
    frozen.signal("SIGCONT");
    const refusal = new RegExp(`(Missing lock|Lock mismatch) for job ${hold.holdId}`);
    await frozen.waitForOutput(refusal, 30_000, "worker 1's completion to be refused");
    const refusedAt = Date.now() - started;
    const errors = frozen
      .output()
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { msg: string; queue?: string; err?: { message: string; code?: number } })
      .filter((entry) => entry.msg === "worker error");
    // Its lock renewal fails, then moveToCompleted is refused (code -2, the lock is gone), then so is the
    // fallback moveToFailed: logged, and nothing else.
    const messages = errors.map((e) => `${e.queue}: ${e.err?.message}`);
    expect(messages).toContain(`holds: Missing lock for job ${hold.holdId}. moveToFinished`);
    // Frozen past its lock, it loses every job it had, not only this one: in a full run the database holds
    // other files' live waiting rooms, whose admission ticks it was running too. Losing a job is the only
    // thing it may log.
    const lostJob = /^[\w-]+: (could not renew lock for job|Missing (lock|key) for job|Lock mismatch for job) \S+/;
    expect(messages.filter((m) => !lostJob.test(m))).toEqual([]);
    expect(frozen.output()).not.toContain('"msg":"job failed"');

    // The refusal changed nothing: the job is worker 2's completion, neither redone nor failed.
    const after = await holds.getJob(hold.holdId);
    expect(await after!.getState()).toBe("completed");
    expect(after).toMatchObject({ returnvalue, finishedOn, attemptsStarted: 2 });
    expect(after!.failedReason).toBeFalsy();
    expect(await holds.getActiveCount()).toBe(0);
    console.info(
      `worker-freeze: frozen at ${frozenAt} ms, taken over and completed by worker 2 at ${takenOverAt} ms (${JSON.stringify(returnvalue)}), worker 1's completion refused at ${refusedAt} ms`,
    );

    expect(await prisma().hold.findUniqueOrThrow({ where: { id: hold.holdId }, select: { status: true } })).toEqual({ status: "EXPIRED" });
    expect(
      await prisma().seat.findMany({
        where: { id: { in: seatIds } },
        orderBy: { id: "asc" },
        select: { id: true, status: true, holdId: true },
      }),
    ).toEqual([
      { id: retaken, status: "HELD", holdId: second.holdId },
      { id: kept, status: "AVAILABLE", holdId: null },
      { id: locked, status: "AVAILABLE", holdId: null },
    ]);
    expect(frozen.child.exitCode).toBeNull();
    const audit = await auditInvariants(prisma(), { showtimeId });
    expect(audit.checks.filter((c) => !c.ok)).toEqual([]);
  }, 120_000);
});
