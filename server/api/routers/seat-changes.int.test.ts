// The live seat map's feed: holds, releases and the worker's expiry reach every open stream through
// Redis pub/sub, in batches, after a `ready` that tells the client it may re-read the map.
import type { Job } from "bullmq";
import { describe, expect, it } from "vitest";
import { prisma } from "../../db.ts";
import { publishSeatChanges, seatVersionKey, type SeatChangeEvent } from "../../domain/seatmap/events.ts";
import { redis } from "../../redis.ts";
import { JOBS } from "../../queue/queues.ts";
import { admitFan, makeConcert, makeUser } from "../../../test/support/factories.ts";
import { holdsProcessor } from "../../../worker/processors/holds.ts";
import { createCaller } from "../root.ts";
import { createContext } from "../trpc.ts";

/** The seat versions the batches read so far spanned, in order. */
const spans: [number, number][] = [];

/** Reads events until `want` has seen what it waits for, or fails after 5 s. */
async function readUntil(stream: AsyncIterator<SeatChangeEvent>, want: (seen: Map<number, number>) => boolean) {
  const seen = new Map<number, number>();
  const deadline = Date.now() + 5_000;
  while (!want(seen)) {
    const next = await Promise.race([
      stream.next(),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`no change in time; saw ${JSON.stringify([...seen])}`)), deadline - Date.now()),
      ),
    ]);
    if (next.done) throw new Error("stream ended");
    if (next.value.kind !== "seats") continue;
    for (const [id, status] of next.value.seats) seen.set(id, status);
    spans.push([next.value.from, next.value.to]);
  }
  return seen;
}

describe("showtimes.seatChanges", () => {
  it("streams holds, releases and expiries of the showtime to an anonymous viewer", async () => {
    spans.length = 0;
    const showtimeId = (await makeConcert()).showtimes[0]!.id;
    const seats = (await prisma().seat.findMany({ where: { showtimeId }, orderBy: { id: "asc" }, take: 3, select: { id: true } })).map(
      (s) => s.id,
    );
    const fan = await makeUser();
    const accessToken = await admitFan(showtimeId, fan.id);
    const api = createCaller(createContext({ user: fan }));
    const viewer = createCaller(createContext({}));

    const iterable = await viewer.showtimes.seatChanges({ showtimeId });
    const stream = iterable[Symbol.asyncIterator]();
    try {
      // The version it listens from: the seat version now (admitting the fan changed no seat).
      const version = Number((await redis().get(seatVersionKey(showtimeId))) ?? 0);
      expect((await stream.next()).value).toEqual({ kind: "ready", version });

      const hold = await api.holds.create({ showtimeId, accessToken, seatIds: [seats[0]!, seats[1]!] });
      expect([...(await readUntil(stream, (s) => s.size === 2))]).toEqual([
        [seats[0], 1],
        [seats[1], 1],
      ]);

      await api.holds.release({ holdId: hold.holdId });
      expect([...(await readUntil(stream, (s) => s.size === 2))]).toEqual([
        [seats[0], 0],
        [seats[1], 0],
      ]);

      // The worker's expiry job (same processor the worker runs) frees a run-out hold and says so.
      const short = await api.holds.create({ showtimeId, accessToken, seatIds: [seats[2]!] });
      await readUntil(stream, (s) => s.get(seats[2]!) === 1);
      await prisma().$executeRaw`UPDATE "Hold" SET "heldUntil" = now() - interval '1 second' WHERE id = ${short.holdId}`;
      await prisma().$executeRaw`UPDATE "Seat" SET "heldUntil" = now() - interval '1 second' WHERE "holdId" = ${short.holdId}`;
      const job = { name: JOBS.expireHold, data: { holdId: short.holdId } } as Job;
      // The job expires every hold due by now (this one included), so count at least this one.
      expect((await holdsProcessor()(job)).freed).toBeGreaterThanOrEqual(1);
      expect((await prisma().hold.findUniqueOrThrow({ where: { id: short.holdId } })).status).toBe("EXPIRED");
      expect(await readUntil(stream, (s) => s.get(seats[2]!) === 0)).toEqual(new Map([[seats[2], 0]]));
      // Four changes of the showtime, one after another: the batches' versions follow on without a gap.
      expect(spans.length).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBe(spans[i - 1]![1] + 1);
      expect(spans.at(-1)![1] - spans[0]![0]).toBe(3);
    } finally {
      await stream.return?.();
    }
  });

  it("does not mix showtimes: a stream hears only its own", async () => {
    const [mine, theirs] = (await makeConcert({ showtimes: [{ inDays: 5 }, { inDays: 6 }] })).showtimes;
    const fan = await makeUser();
    const api = createCaller(createContext({ user: fan }));
    const seatOf = async (showtimeId: string) => (await prisma().seat.findFirstOrThrow({ where: { showtimeId }, select: { id: true } })).id;
    const viewer = createCaller(createContext({}));
    const stream = (await viewer.showtimes.seatChanges({ showtimeId: mine!.id }))[Symbol.asyncIterator]();
    await stream.next();
    const pending = stream.next();

    const theirSeat = await seatOf(theirs!.id);
    await api.holds.create({ showtimeId: theirs!.id, accessToken: await admitFan(theirs!.id, fan.id), seatIds: [theirSeat] });
    expect(await Promise.race([pending.then(() => "event"), new Promise((r) => setTimeout(() => r("quiet"), 500))])).toBe("quiet");

    const mySeat = await seatOf(mine!.id);
    await api.holds.create({ showtimeId: mine!.id, accessToken: await admitFan(mine!.id, fan.id), seatIds: [mySeat] });
    expect((await pending).value).toEqual({ kind: "seats", from: expect.any(Number), to: expect.any(Number), seats: [[mySeat, 1]] });
    await stream.return?.();
  });

  it("tells the client to read again, rather than send a batch with a hole, when the stream itself missed a change", async () => {
    const showtimeId = (await makeConcert()).showtimes[0]!.id;
    const [a, b] = (await prisma().seat.findMany({ where: { showtimeId }, orderBy: { id: "asc" }, take: 2, select: { id: true } })).map(
      (s) => s.id,
    );
    const iterable = await createCaller(createContext({})).showtimes.seatChanges({ showtimeId });
    const stream = iterable[Symbol.asyncIterator]();
    try {
      expect((await stream.next()).value).toEqual({ kind: "ready", version: 0 });
      // Within one batch's window: a change, one whose message is lost (its version taken, nothing sent), another.
      await publishSeatChanges(showtimeId, [a!], "HELD");
      await redis().incr(seatVersionKey(showtimeId));
      await publishSeatChanges(showtimeId, [b!], "HELD");
      // Read again, from the version the stream now stands at (the lost change's included).
      expect((await stream.next()).value).toEqual({ kind: "ready", version: Number(await redis().get(seatVersionKey(showtimeId))) });
    } finally {
      await stream.return?.();
    }
  });
});
