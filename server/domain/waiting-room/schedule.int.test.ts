// The admission schedulers follow the showtimes whose waiting room is live, and a sync never drops a
// scheduler whose showtime is live by the time it would remove it (one created while the sync ran).
import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "../../db.ts";
import { waitingRoomQueue } from "../../queue/queues.ts";
import { makeConcert } from "../../../test/support/factories.ts";
import { scheduleAdmission, schedulerIdOf, syncAdmissionSchedulers } from "./schedule.ts";

const queue = waitingRoomQueue();
afterAll(async () => {
  await queue.close();
});

const DAY = 24 * 3600_000;

describe("syncAdmissionSchedulers", () => {
  it("schedules live rooms, removes schedulers of rooms that are off, keeps one whose room went live meanwhile", async () => {
    const [live, off, late] = await Promise.all([makeConcert(), makeConcert(), makeConcert()]).then((cs) =>
      cs.map((c) => c.showtimes[0]!.id),
    );
    await prisma().showtime.updateMany({ where: { id: { in: [live!, late!] } }, data: { wrEnabled: true } });
    await prisma().showtime.update({ where: { id: off! }, data: { wrEnabled: false } });
    // Schedulers that exist before the sync: one for a room that is off, one for a room the sync's read
    // will not see as live (the read happens "two days ago", when its sale had not come near yet).
    await scheduleAdmission(queue, off!, 1000);
    await scheduleAdmission(queue, late!, 1000);

    const synced = await syncAdmissionSchedulers(queue, { now: new Date(Date.now() - 2 * DAY) });
    expect(synced).not.toContain(late);
    const keys = new Set((await queue.getJobSchedulers(0, -1)).map((s) => s.key));
    expect(keys.has(schedulerIdOf(off!))).toBe(false);
    // Its showtime is live when the sync checks it again before removing: kept.
    expect(keys.has(schedulerIdOf(late!))).toBe(true);

    const now = await syncAdmissionSchedulers(queue);
    expect(now).toEqual(expect.arrayContaining([live, late]));
    expect(now).not.toContain(off);
    const after = new Set((await queue.getJobSchedulers(0, -1)).map((s) => s.key));
    expect([schedulerIdOf(live!), schedulerIdOf(late!)].every((k) => after.has(k))).toBe(true);
    for (const id of [live!, late!]) await queue.removeJobScheduler(schedulerIdOf(id));
  });
});
