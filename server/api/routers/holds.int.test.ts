// Holds through the router: behind the gate, and with the expiry job queued once per hold.
import { describe, expect, it } from "vitest";
import { prisma } from "../../db.ts";
import { getWaitingStatus, joinWaitingRoom } from "../../domain/waiting-room/queue.ts";
import { runAdmissionTick } from "../../domain/waiting-room/admission.ts";
import { updateSettings } from "../../domain/waiting-room/settings.ts";
import { holdsQueue } from "../../queue/queues.ts";
import { redis } from "../../redis.ts";
import { makeConcert, makeUser } from "../../../test/support/factories.ts";
import { createCaller } from "../root.ts";
import { createContext } from "../trpc.ts";

describe("holds router", () => {
  it("holds only for an admitted fan, queues one expiry job keyed by the hold, and lets only the owner release", async () => {
    const showtimeId = (await makeConcert()).showtimes[0]!.id;
    await updateSettings(redis(), showtimeId, { batchSize: 10, stockFactor: 10 });
    const fan = await makeUser();
    const other = await makeUser();
    const api = createCaller(createContext({ user: fan, ip: "203.0.113.9" }));
    const seats = (await prisma().seat.findMany({ where: { showtimeId }, orderBy: { id: "asc" }, take: 2, select: { id: true } })).map(
      (s) => s.id,
    );

    await expect(api.holds.create({ showtimeId, seatIds: seats })).rejects.toMatchObject({ cause: { code: "NOT_ADMITTED" } });
    expect(await prisma().hold.count({ where: { showtimeId } })).toBe(0);

    await joinWaitingRoom({ showtimeId, userId: fan.id });
    await runAdmissionTick(showtimeId);
    const status = await getWaitingStatus({ showtimeId, userId: fan.id });
    if (status.state !== "READY") throw new Error("expected READY");
    const hold = await api.holds.create({ showtimeId, seatIds: seats, accessToken: status.accessToken });
    expect(await prisma().hold.findUniqueOrThrow({ where: { id: hold.holdId } })).toMatchObject({ ip: "203.0.113.9", client: "web" });

    const queue = holdsQueue();
    const job = await queue.getJob(hold.holdId);
    expect(job?.data).toEqual({ holdId: hold.holdId });
    expect(job?.opts.delay).toBeGreaterThan(290_000);

    // The checkout's one extension, behind the same gate, with a job for the new end.
    await expect(api.holds.extend({ showtimeId, holdId: hold.holdId })).rejects.toMatchObject({ cause: { code: "NOT_ADMITTED" } });
    const extended = await api.holds.extend({ showtimeId, holdId: hold.holdId, accessToken: status.accessToken });
    expect(extended.heldUntil.getTime() - hold.heldUntil.getTime()).toBe(120_000);
    expect((await queue.getJob(`${hold.holdId}-extended`))?.opts.delay).toBeGreaterThan(400_000);
    await queue.close();

    const stranger = createCaller(createContext({ user: other }));
    await expect(stranger.holds.release({ holdId: hold.holdId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await api.holds.release({ holdId: hold.holdId })).toMatchObject({ released: 2 });
  });
});
