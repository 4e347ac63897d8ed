import { describe, expect, it } from "vitest";
import { prisma } from "../../db.ts";
import { makeConcert, makeFans } from "../../test/factories.ts";
import { expireDueHolds, expireHold, sweepExpiredHolds } from "./expiry.ts";
import { holdSeats } from "./holds.ts";

const who = (userId: string) => ({ userId, client: "web", ip: "127.0.0.1" });

describe("hold expiry tidy-up", () => {
  it("leaves a live hold alone, expires a dead one once, and racing tidiers free each seat once", async () => {
    const showtimeId = (await makeConcert()).showtimes[0]!.id;
    const seats = (await prisma.seat.findMany({ where: { showtimeId }, orderBy: { id: "asc" }, select: { id: true } })).map((s) => s.id);
    const [fan] = await makeFans(1);
    const hold = await holdSeats({ showtimeId, seatIds: seats.slice(0, 3) }, who(fan!));
    expect(await expireHold(hold.holdId)).toMatchObject({ expired: false, freed: 0 });

    const later = new Date(hold.heldUntil.getTime() + 1);
    const racing = await Promise.all(Array.from({ length: 10 }, () => expireHold(hold.holdId, { now: later })));
    expect(racing.filter((r) => r.expired)).toHaveLength(1);
    expect(racing.reduce((n, r) => n + r.freed, 0)).toBe(3);
    expect((await prisma.hold.findUniqueOrThrow({ where: { id: hold.holdId } })).status).toBe("EXPIRED");
    expect(await prisma.seat.count({ where: { id: { in: seats.slice(0, 3) }, status: "AVAILABLE", holdId: null } })).toBe(3);
  });

  it("does not free seats that a newer hold took after the old one ran out", async () => {
    const showtimeId = (await makeConcert()).showtimes[0]!.id;
    await prisma.showtime.update({ where: { id: showtimeId }, data: { holdSeconds: 1 } });
    const [seat] = (await prisma.seat.findMany({ where: { showtimeId }, orderBy: { id: "asc" }, take: 1, select: { id: true } })).map((s) => s.id);
    const [a, b] = await makeFans(2);
    const old = await holdSeats({ showtimeId, seatIds: [seat!] }, who(a!));
    await new Promise((r) => setTimeout(r, 1_100));
    await prisma.showtime.update({ where: { id: showtimeId }, data: { holdSeconds: 300 } });
    const fresh = await holdSeats({ showtimeId, seatIds: [seat!] }, who(b!));
    expect(await expireHold(old.holdId)).toMatchObject({ expired: true, freed: 0 });
    expect(await prisma.seat.findUniqueOrThrow({ where: { id: seat! } })).toMatchObject({ status: "HELD", holdId: fresh.holdId });
  });

  it("sweeps every dead hold and nothing else", async () => {
    const showtimeId = (await makeConcert()).showtimes[0]!.id;
    const seats = (await prisma.seat.findMany({ where: { showtimeId }, orderBy: { id: "asc" }, select: { id: true } })).map((s) => s.id);
    const fans = await makeFans(3);
    const holds = await Promise.all(fans.map((f, i) => holdSeats({ showtimeId, seatIds: [seats[i]!] }, who(f))));
    const cut = new Date(holds[0]!.heldUntil.getTime() + 1);
    await prisma.hold.update({ where: { id: holds[2]!.holdId }, data: { heldUntil: new Date(cut.getTime() + 60_000) } });
    await prisma.seat.update({ where: { id: seats[2]! }, data: { heldUntil: new Date(cut.getTime() + 60_000) } });
    const swept = await sweepExpiredHolds({ now: cut });
    expect(swept.expired).toBeGreaterThanOrEqual(2);
    const statuses = await prisma.hold.findMany({ where: { id: { in: holds.map((h) => h.holdId) } }, select: { id: true, status: true } });
    expect(Object.fromEntries(statuses.map((h) => [h.id, h.status]))).toEqual({
      [holds[0]!.holdId]: "EXPIRED",
      [holds[1]!.holdId]: "EXPIRED",
      [holds[2]!.holdId]: "ACTIVE",
    });
  });

  it("lets racing batch tidiers split the due holds: each hold expires once, each seat is freed once", async () => {
    const showtimeId = (await makeConcert({ layout: { rows: 10, seatsPerRow: 20 } })).showtimes[0]!.id;
    const seats = (await prisma.seat.findMany({ where: { showtimeId }, orderBy: { id: "asc" }, select: { id: true } })).map((s) => s.id);
    const fans = await makeFans(200);
    const holds = await Promise.all(fans.map((f, i) => holdSeats({ showtimeId, seatIds: seats.slice(i * 2, i * 2 + 2) }, who(f))));
    const later = new Date(Math.max(...holds.map((h) => h.heldUntil.getTime())) + 1);
    const racing = await Promise.all(Array.from({ length: 8 }, () => expireDueHolds({ now: later, limit: 40 })));
    const rest = await sweepExpiredHolds({ now: later, limit: 40 });
    const all = [...racing, rest];
    const freed = all.flatMap((r) => r.freedByShowtime.get(showtimeId) ?? []);
    expect(all.reduce((n, r) => n + r.expired, 0)).toBeGreaterThanOrEqual(200);
    expect(freed.sort((a, b) => a - b)).toEqual(seats.slice(0, 400));
    expect(await prisma.hold.count({ where: { showtimeId, status: "ACTIVE" } })).toBe(0);
    expect(await prisma.seat.count({ where: { showtimeId, status: "HELD" } })).toBe(0);
  });
});
