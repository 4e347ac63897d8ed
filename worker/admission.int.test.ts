// Admission by real worker processes: two of them tick the same waiting room, and every fan is admitted
// exactly once, in the order they joined.
import { afterAll, describe, expect, it } from "vitest";
import { redis } from "../server/redis.ts";
import { makeConcert, uniq } from "../test/support/factories.ts";
import { startWorker, waitFor, type RunningWorker } from "../test/support/processes.ts";
import { wrKeys } from "../server/domain/waiting-room/keys.ts";
import { joinWaitingRoom } from "../server/domain/waiting-room/queue.ts";
import { updateSettings } from "../server/domain/waiting-room/settings.ts";

const workers: RunningWorker[] = [];
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
});

describe("admission with two worker processes", () => {
  it("admits every fan once, in FIFO order, batch by batch", async () => {
    const concert = await makeConcert();
    const id = concert.showtimes[0]!.id;
    // Paused while fans join, so the first tick sees the whole line.
    await updateSettings(redis(), id, { batchSize: 7, intervalMs: 200, maxActive: 100_000, stockFactor: 100, paused: true });
    const fans = Array.from({ length: 300 }, (_, i) => `${uniq("fan")}-${i}`);
    for (const f of fans) await joinWaitingRoom({ showtimeId: id, userId: f });

    workers.push(startWorker({ LOG_LEVEL: "debug" }), startWorker({ LOG_LEVEL: "debug" }));
    // Both workers sync the schedulers at start; wait until both are up before letting admission run.
    await waitFor(async () => (workers.every((w) => w.output().includes('"msg":"worker started"')) ? true : undefined), 30_000, "workers");
    await updateSettings(redis(), id, { paused: false });

    const keys = wrKeys(id);
    await waitFor(async () => ((await redis().zcard(keys.waiting)) === 0 ? true : undefined), 60_000, "an empty line");

    const log = await redis().xrange(keys.admissions, "-", "+");
    const admitted = log.map(([, fields]) => fields[fields.indexOf("user") + 1]);
    expect(admitted).toHaveLength(300);
    expect(new Set(admitted).size).toBe(300);
    expect(admitted).toEqual(fans);
    expect(await redis().zcard(keys.active)).toBe(300);
    // Ticks admit at most one batch each: group admissions by the millisecond of their stream id.
    const perTick = new Map<string, number>();
    for (const [streamId] of log) perTick.set(streamId.split("-")[0]!, (perTick.get(streamId.split("-")[0]!) ?? 0) + 1);
    expect(Math.max(...perTick.values())).toBeLessThanOrEqual(7);

    // Both processes took part in admitting this line.
    const ticksWithAdmissions = workers.map(
      (w) =>
        w
          .output()
          .split("\n")
          .filter((line) => line.includes(id) && line.includes('"msg":"admission tick"') && !line.includes('"admitted":0')).length,
    );
    expect(ticksWithAdmissions.every((n) => n > 0)).toBe(true);
    const stopped = await Promise.all(workers.map((w) => w.stop()));
    expect(stopped).toEqual([0, 0]);
  }, 120_000);
});
