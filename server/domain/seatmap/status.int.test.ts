// The seat map's cached read models against the database: the layout (built once, served with a strong
// ETag until an edit touches it) and the status vector (kept current by versioned changes, built again
// when one is missed), under hundreds of parallel holds and releases.
import { describe, expect, it } from "vitest";
import { prisma } from "../../db.ts";
import { redis } from "../../redis.ts";
import { makeConcert, makeFans, makeUser } from "../../../test/support/factories.ts";
import { setSectionTier, updateShowtime } from "../admin/catalog.ts";
import { holdSeats, releaseHold } from "../holds/holds.ts";
import { publishSeatChanges, seatVersionKey, seatVersionOf } from "./events.ts";
import { servedSeatLayout } from "./layout.ts";
import { SEAT_STATUS_CODE } from "./seat-map.ts";
import { getSeatStatus } from "./status.ts";

/** The statuses in PostgreSQL, in the layout's order. */
async function databaseVector(showtimeId: string): Promise<number[]> {
  const { seatIds } = await servedSeatLayout(showtimeId);
  const rows = await prisma().seat.findMany({ where: { showtimeId }, select: { id: true, status: true } });
  const byId = new Map(rows.map((r) => [r.id, SEAT_STATUS_CODE[r.status]]));
  return [...seatIds].map((id) => byId.get(id)!);
}

const vectorOf = (seats: string) => [...Buffer.from(seats, "base64")];

describe("the seat status vector", () => {
  it("follows hundreds of parallel holds and releases change by change, and ends equal to the database", async () => {
    const concert = await makeConcert({ layout: { rows: 10, seatsPerRow: 20 } });
    const showtimeId = concert.showtimes[0]!.id;
    const first = await getSeatStatus(showtimeId);
    expect(vectorOf(first.seats)).toEqual(await databaseVector(showtimeId));
    expect(vectorOf(first.seats).every((code) => code === 0)).toBe(true);

    const { seatIds } = await servedSeatLayout(showtimeId);
    const fans = await makeFans(300);
    const reads: number[] = [];
    // 300 fans each hold one of 100 seats (3 per seat) and release at once, while the statuses are read.
    const outcomes = await Promise.all([
      ...fans.map(async (userId, i) => {
        const seatId = seatIds[i % 100]!;
        try {
          // Each publishes its change after its commit, as the routes' calls do.
          const hold = await holdSeats({ showtimeId, seatIds: [seatId] }, { userId, client: "web", ip: "192.0.2.1" });
          if (i % 2 === 0) await releaseHold(hold.holdId, userId);
          return "held";
        } catch {
          return "taken";
        }
      }),
      ...Array.from({ length: 50 }, async () => {
        const s = await getSeatStatus(showtimeId);
        reads.push(s.version);
      }),
    ]);
    expect(outcomes.filter((o) => o === "held").length).toBeGreaterThanOrEqual(100);
    // A read sees every change published before it began, without waiting on anything itself.
    const version = (await seatVersionOf(showtimeId))!;
    const last = await getSeatStatus(showtimeId);
    expect(last.version).toBe(version);
    expect(vectorOf(last.seats)).toEqual(await databaseVector(showtimeId));
    // Reads in the middle of it were answered, each at a version no later than the end's.
    expect(reads.every((v) => v <= version)).toBe(true);
  });

  it("applies a change in place, without reading PostgreSQL again (a seat changed behind its back stays as it was)", async () => {
    const concert = await makeConcert();
    const showtimeId = concert.showtimes[0]!.id;
    const { seatIds } = await servedSeatLayout(showtimeId);
    await publishSeatChanges(showtimeId, [seatIds[2]!], "AVAILABLE"); // the showtime's first change starts its count
    const built = await getSeatStatus(showtimeId);
    expect(built.version).toBe(await seatVersionOf(showtimeId));
    // Seat 0 is sold in the database with no change published; then seat 1's change is.
    await prisma().seat.update({ where: { id: seatIds[0]! }, data: { status: "SOLD" } });
    await publishSeatChanges(showtimeId, [seatIds[1]!], "HELD");
    const after = await getSeatStatus(showtimeId);
    expect(after.version).toBe(built.version + 1);
    expect(vectorOf(after.seats).slice(0, 2)).toEqual([0, 1]); // a copy read again would say [2, 1]
  });

  it("finds a missed change by its version and reads again; the changes alone (the control) would stay wrong", async () => {
    const concert = await makeConcert();
    const showtimeId = concert.showtimes[0]!.id;
    const { seatIds } = await servedSeatLayout(showtimeId);
    const [a, b] = [seatIds[0]!, seatIds[1]!];
    await publishSeatChanges(showtimeId, [], "HELD"); // nothing: no version yet
    const start = await getSeatStatus(showtimeId);
    const [fan] = await makeFans(1);

    // Seat a is held and the change is lost (its version taken, nothing published); then seat b's change comes.
    await holdSeats({ showtimeId, seatIds: [a] }, { userId: fan!, client: "web", ip: "192.0.2.1" });
    await redis().incr(seatVersionKey(showtimeId));
    await prisma().seat.update({ where: { id: b }, data: { status: "SOLD" } });
    await publishSeatChanges(showtimeId, [b], "SOLD");
    const version = (await seatVersionOf(showtimeId))!;

    // The control: the first read's vector with the changes heard applied, as a copy without versions would.
    const naive = vectorOf(start.seats);
    naive[1] = 2;
    expect(naive).not.toEqual(await databaseVector(showtimeId)); // seat a looks free, though it is held

    const after = await getSeatStatus(showtimeId);
    expect(after.version).toBe(version);
    expect(vectorOf(after.seats)).toEqual(await databaseVector(showtimeId));
    expect(vectorOf(after.seats).slice(0, 2)).toEqual([1, 2]);
  });

  it("starts above every version it handed out when Redis loses the counter", async () => {
    const concert = await makeConcert();
    const showtimeId = concert.showtimes[0]!.id;
    const { seatIds } = await servedSeatLayout(showtimeId);
    await publishSeatChanges(showtimeId, [seatIds[0]!], "HELD");
    const before = (await seatVersionOf(showtimeId))!;
    await redis().del(seatVersionKey(showtimeId));
    await publishSeatChanges(showtimeId, [seatIds[0]!], "AVAILABLE");
    expect((await seatVersionOf(showtimeId))!).toBeGreaterThan(before);
  });
});

describe("the seat layout", () => {
  it("is built once with a strong ETag the same in every build, and again after an edit touches it", async () => {
    const concert = await makeConcert();
    const showtimeId = concert.showtimes[0]!.id;
    const first = await servedSeatLayout(showtimeId);
    expect(await servedSeatLayout(showtimeId)).toBe(first);
    expect(first.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(JSON.parse(first.json.toString())).toEqual(first.layout);
    expect(first.layout.sections.flatMap((s) => s.rows.flatMap((r) => r.seats)).length).toBe(20);

    const [gold] = first.layout.tiers;
    const admin = await makeUser({ role: "ADMIN" });
    await updateShowtime(showtimeId, { tiers: [{ id: gold!.id, name: "Golden Circle" }] }, admin.id);
    const renamed = await servedSeatLayout(showtimeId);
    expect(renamed).not.toBe(first);
    expect(renamed.etag).not.toBe(first.etag);
    expect(renamed.layout.tiers[0]!.name).toBe("Golden Circle");

    // A section moved to the other tier shows in its seats' tier index.
    const back = renamed.layout.sections[1]!;
    await setSectionTier({ showtimeId, sectionId: back.id, priceTierId: gold!.id }, admin.id);
    const moved = await servedSeatLayout(showtimeId);
    expect(moved.layout.sections[1]!.rows.flatMap((r) => r.seats.map((s) => s[4]))).toEqual(Array(10).fill(0));
  });

  it("is not served for an unknown showtime or a draft", async () => {
    const draft = await makeConcert({ status: "DRAFT" });
    await expect(servedSeatLayout(draft.showtimes[0]!.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(servedSeatLayout("no-such-showtime")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
