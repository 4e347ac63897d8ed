// Admin controls of the waiting room: role checks, validation, and effect on Redis and the tick scheduler.
import { describe, expect, it } from "vitest";
import { prisma } from "../../db.ts";
import { wrKeys } from "../../domain/waiting-room/keys.ts";
import { joinWaitingRoom } from "../../domain/waiting-room/queue.ts";
import { schedulerIdOf } from "../../domain/waiting-room/schedule.ts";
import { sharedWaitingRoomQueue } from "../../queue/queues.ts";
import { redis } from "../../redis.ts";
import { makeConcert, makeUser } from "../../../test/support/factories.ts";
import { createCaller } from "../root.ts";
import { createContext } from "../trpc.ts";

async function callers() {
  const admin = await makeUser({ role: "ADMIN" });
  const fan = await makeUser();
  return {
    admin: createCaller(createContext({ user: admin })),
    fan: createCaller(createContext({ user: fan })),
  };
}

describe("waitingRoom admin procedures", () => {
  it("refuse fans and anonymous callers", async () => {
    const { fan } = await callers();
    const showtimeId = (await makeConcert()).showtimes[0]!.id;
    await expect(fan.waitingRoom.updateSettings({ showtimeId, settings: { paused: true } })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(fan.waitingRoom.stats({ showtimeId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(createCaller(createContext({})).waitingRoom.settings({ showtimeId })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect((await prisma().showtime.findUniqueOrThrow({ where: { id: showtimeId } })).wrPaused).toBe(false);
  });

  it("refuse bad values with messages and change nothing", async () => {
    const { admin } = await callers();
    const showtimeId = (await makeConcert()).showtimes[0]!.id;
    await expect(admin.waitingRoom.updateSettings({ showtimeId, settings: { batchSize: 0 } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("Admit at least 1 fan per tick."),
    });
    await expect(admin.waitingRoom.updateSettings({ showtimeId, settings: { intervalMs: 10 } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(admin.waitingRoom.updateSettings({ showtimeId: "nope", settings: {} })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const row = await prisma().showtime.findUniqueOrThrow({ where: { id: showtimeId } });
    expect([row.wrBatchSize, row.wrIntervalMs]).toEqual([100, 5000]);
  });

  it("store the change, publish it to Redis and reschedule the ticks at once; stats are readable", async () => {
    const { admin, fan } = await callers();
    const showtimeId = (await makeConcert()).showtimes[0]!.id;
    const settings = await admin.waitingRoom.updateSettings({
      showtimeId,
      settings: { batchSize: 3, intervalMs: 750, maxActive: 9, accessSeconds: 120, paused: true },
    });
    expect(settings).toMatchObject({ batchSize: 3, intervalMs: 750, maxActive: 9, accessSeconds: 120, paused: true, enabled: true });
    expect(await admin.waitingRoom.settings({ showtimeId })).toMatchObject({ batchSize: 3, paused: true });
    expect(await redis().hmget(wrKeys(showtimeId).settings, "batch", "intervalMs", "maxActive", "accessMs", "paused")).toEqual([
      "3",
      "750",
      "9",
      "120000",
      "1",
    ]);
    const scheduler = await sharedWaitingRoomQueue().getJobScheduler(schedulerIdOf(showtimeId));
    expect(scheduler?.every).toBe(750);

    await fan.waitingRoom.join({ showtimeId });
    await joinWaitingRoom({ showtimeId, userId: "someone-else" });
    expect(await admin.waitingRoom.stats({ showtimeId })).toMatchObject({ waiting: 2, active: 0, soldOut: false });
    await sharedWaitingRoomQueue().removeJobScheduler(schedulerIdOf(showtimeId));
  });
});
