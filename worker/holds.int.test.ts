// Hold expiry by real worker processes: the delayed job (job id = hold id) ends the hold and frees its
// seats, with two workers running.
import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "../server/db.ts";
import { holdSeats } from "../server/domain/holds/holds.ts";
import { enqueueHoldExpiry, holdsQueue } from "../server/queue/queues.ts";
import { makeConcert, makeFans } from "../test/support/factories.ts";
import { startWorker, waitFor, type RunningWorker } from "../test/support/processes.ts";

const workers: RunningWorker[] = [];
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
});

describe("hold expiry in the worker", () => {
  it("expires a hold when its time is up and puts its seats back", async () => {
    workers.push(startWorker(), startWorker());
    const showtimeId = (await makeConcert()).showtimes[0]!.id;
    await prisma().showtime.update({ where: { id: showtimeId }, data: { holdSeconds: 2 } });
    const seats = (await prisma().seat.findMany({ where: { showtimeId }, orderBy: { id: "asc" }, take: 3, select: { id: true } })).map(
      (s) => s.id,
    );
    const [fan] = await makeFans(1);
    // The hold queues its own expiry job, due when it runs out.
    const hold = await holdSeats({ showtimeId, seatIds: seats }, { userId: fan!, client: "web", ip: "127.0.0.1" });
    const jobs = holdsQueue();
    expect((await jobs.getJob(hold.holdId))?.opts.delay).toBeGreaterThan(0);
    await jobs.close();
    // Enqueuing again (a retried request) adds nothing: the job id is the hold id.
    await enqueueHoldExpiry(hold.holdId, hold.heldUntil);

    expect((await prisma().hold.findUniqueOrThrow({ where: { id: hold.holdId } })).status).toBe("ACTIVE");
    await waitFor(
      async () => ((await prisma().hold.findUniqueOrThrow({ where: { id: hold.holdId } })).status === "EXPIRED" ? true : undefined),
      20_000,
      "the hold to expire",
    );
    expect(await prisma().seat.count({ where: { id: { in: seats }, status: "AVAILABLE", holdId: null } })).toBe(3);
    expect(Date.now()).toBeGreaterThanOrEqual(hold.heldUntil.getTime());
  }, 60_000);
});
