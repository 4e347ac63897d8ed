// The fan's holds list: only their own, newest first, with seats, prices and how each hold stands.
import { describe, expect, it } from "vitest";
import { prisma } from "../../db.ts";
import { makeConcert, makeFans } from "../../../test/support/factories.ts";
import { holdSeats, releaseHold } from "./holds.ts";
import { getMyHold, listMyHolds } from "./my-holds.ts";

const who = (userId: string) => ({ userId, client: "web", ip: "127.0.0.1" });

describe("listMyHolds", () => {
  it("lists the fan's own holds with seats and totals, filters them, and pages through them", async () => {
    const concert = await makeConcert({ title: "Holds List Live" });
    const showtimeId = concert.showtimes[0]!.id;
    const seats = await prisma().seat.findMany({
      where: { showtimeId, venueSeat: { row: { label: "A", section: { name: "Front" } } } },
      orderBy: { venueSeat: { number: "asc" } },
      select: { id: true },
    });
    const [fan, other] = await makeFans(2);
    const first = await holdSeats({ showtimeId, seatIds: [seats[1]!.id, seats[0]!.id] }, who(fan!));
    await releaseHold(first.holdId, fan!);
    const second = await holdSeats({ showtimeId, seatIds: [seats[2]!.id] }, who(fan!));
    await holdSeats({ showtimeId, seatIds: [seats[3]!.id] }, who(other!));

    const { items, nextCursor } = await listMyHolds({}, fan!);
    expect(nextCursor).toBeNull();
    expect(items.map((h) => [h.id, h.status, h.live])).toEqual([
      [second.holdId, "ACTIVE", true],
      [first.holdId, "RELEASED", false],
    ]);
    // A released hold still names its seats, in seat order, with the Gold tier's price and fee.
    expect(items[1]).toMatchObject({
      showtime: { id: showtimeId, concert: { title: "Holds List Live" }, venue: { city: "Testville" } },
      seats: [
        { section: "Front", row: "A", number: 1, tier: "Gold", priceMinor: 120_000, feeMinor: 5_000, currency: "KRW" },
        { section: "Front", row: "A", number: 2 },
      ],
      subtotalMinor: 240_000,
      feesMinor: 10_000,
      totalMinor: 250_000,
      canExtend: false,
    });
    expect(items[0]).toMatchObject({ canExtend: true, extendSeconds: 120 });

    expect((await listMyHolds({ status: "ACTIVE", showtimeId }, fan!)).items.map((h) => h.id)).toEqual([second.holdId]);
    expect((await listMyHolds({ showtimeId: "no-such-showtime" }, fan!)).items).toEqual([]);
    expect((await getMyHold(first.holdId, fan!)).status).toBe("RELEASED");
    await expect(getMyHold(first.holdId, other!)).rejects.toMatchObject({ code: "NOT_FOUND" });
    const page1 = await listMyHolds({ limit: 1 }, fan!);
    expect(page1.items.map((h) => h.id)).toEqual([second.holdId]);
    const page2 = await listMyHolds({ limit: 1, cursor: page1.nextCursor! }, fan!);
    expect(page2).toMatchObject({ items: [{ id: first.holdId }], nextCursor: null });
  });

  it("shows a hold past its time as expired even before the worker has tidied it", async () => {
    const showtimeId = (await makeConcert()).showtimes[0]!.id;
    const seat = await prisma().seat.findFirstOrThrow({ where: { showtimeId }, select: { id: true } });
    const [fan] = await makeFans(1);
    const hold = await holdSeats({ showtimeId, seatIds: [seat.id] }, who(fan!));
    const later = new Date(hold.heldUntil.getTime() + 1_000);
    const { items } = await listMyHolds({}, fan!, { now: later });
    expect(items).toMatchObject([{ id: hold.holdId, status: "EXPIRED", live: false, canExtend: false }]);
    expect((await listMyHolds({ status: "ACTIVE" }, fan!, { now: later })).items).toEqual([]);
    expect((await listMyHolds({ status: "EXPIRED" }, fan!, { now: later })).items.map((h) => h.id)).toEqual([hold.holdId]);
    expect((await listMyHolds({ status: "ENDED" }, fan!, { now: later })).items.map((h) => h.id)).toEqual([hold.holdId]);
    expect((await listMyHolds({ status: "ENDED" }, fan!)).items).toEqual([]);
  });
});
