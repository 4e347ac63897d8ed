import { describe, expect, it } from "vitest";
import { prisma } from "../../db.ts";
import { makeConcert, makeFans } from "../../../test/support/factories.ts";
import { checkoutHold } from "../checkout/checkout.ts";
import { topUpWallet } from "../wallet/wallet.ts";
import { expireDueHolds, expireHold, sweepExpiredHolds } from "./expiry.ts";
import { readThenFreeDueHolds } from "../../../test/stand-ins/expiry.ts";
import { holdSeats, releaseHold, type HoldResult } from "./holds.ts";
import { holdLocks, waiterOn } from "../../../test/support/races.ts";
import { auditFailures } from "../../../test/support/audit.ts";

const who = (userId: string) => ({ userId, client: "web", ip: "127.0.0.1" });

/**
 * 200 fans' pairs whose holds have just run out (no tidier has run), and a second wave of 200 fans ready
 * to take the same pairs, 40 of whom then pay. Returns the showtime and the second wave's move.
 */
async function runOutAndRetake() {
  const showtimeId = (await makeConcert({ layout: { rows: 10, seatsPerRow: 20 } })).showtimes[0]!.id;
  const seats = (await prisma().seat.findMany({ where: { showtimeId }, orderBy: { id: "asc" }, select: { id: true } })).map((s) => s.id);
  const pairs = Array.from({ length: 200 }, (_, i) => seats.slice(i * 2, i * 2 + 2));
  const first = await makeFans(200);
  await Promise.all(first.map((f, i) => holdSeats({ showtimeId, seatIds: pairs[i]! }, who(f))));
  await prisma().$executeRaw`UPDATE "Hold" SET "heldUntil" = now() - interval '1 second' WHERE "showtimeId" = ${showtimeId}`;
  await prisma()
    .$executeRaw`UPDATE "Seat" SET "heldUntil" = now() - interval '1 second' WHERE "showtimeId" = ${showtimeId} AND status = 'HELD'`;
  const second = await makeFans(200);
  const retake = async () => {
    const holds = await Promise.all(second.map((f, i) => holdSeats({ showtimeId, seatIds: pairs[i]! }, who(f))));
    await Promise.all(
      holds.slice(0, 40).map(async (h, i) => {
        await topUpWallet({ currency: "KRW", amountMinor: 300_000, idempotencyKey: `retake-${h.holdId}` }, second[i]!);
        await checkoutHold({ userId: second[i]!, showtimeId, holdId: h.holdId, idempotencyKey: `pay-${h.holdId}` });
      }),
    );
    return holds;
  };
  return { showtimeId, retake };
}

describe("hold expiry tidy-up", () => {
  it("leaves a live hold alone, expires a dead one once, and racing tidiers free each seat once", async () => {
    const showtimeId = (await makeConcert()).showtimes[0]!.id;
    const seats = (await prisma().seat.findMany({ where: { showtimeId }, orderBy: { id: "asc" }, select: { id: true } })).map((s) => s.id);
    const [fan] = await makeFans(1);
    const hold = await holdSeats({ showtimeId, seatIds: seats.slice(0, 3) }, who(fan!));
    expect(await expireHold(hold.holdId)).toMatchObject({ expired: false, freed: 0 });

    const later = new Date(hold.heldUntil.getTime() + 1);
    const racing = await Promise.all(Array.from({ length: 10 }, () => expireHold(hold.holdId, { now: later })));
    expect(racing.filter((r) => r.expired)).toHaveLength(1);
    expect(racing.reduce((n, r) => n + r.freed, 0)).toBe(3);
    expect((await prisma().hold.findUniqueOrThrow({ where: { id: hold.holdId } })).status).toBe("EXPIRED");
    expect(await prisma().seat.count({ where: { id: { in: seats.slice(0, 3) }, status: "AVAILABLE", holdId: null } })).toBe(3);
  });

  it("does not free seats that a newer hold took after the old one ran out", async () => {
    const showtimeId = (await makeConcert()).showtimes[0]!.id;
    await prisma().showtime.update({ where: { id: showtimeId }, data: { holdSeconds: 1 } });
    const [seat] = (await prisma().seat.findMany({ where: { showtimeId }, orderBy: { id: "asc" }, take: 1, select: { id: true } })).map(
      (s) => s.id,
    );
    const [a, b] = await makeFans(2);
    const old = await holdSeats({ showtimeId, seatIds: [seat!] }, who(a!));
    await new Promise((r) => setTimeout(r, 1_100));
    await prisma().showtime.update({ where: { id: showtimeId }, data: { holdSeconds: 300 } });
    const fresh = await holdSeats({ showtimeId, seatIds: [seat!] }, who(b!));
    expect(await expireHold(old.holdId)).toMatchObject({ expired: true, freed: 0 });
    expect(await prisma().seat.findUniqueOrThrow({ where: { id: seat! } })).toMatchObject({ status: "HELD", holdId: fresh.holdId });
  });

  it("sweeps every dead hold and nothing else", async () => {
    const showtimeId = (await makeConcert()).showtimes[0]!.id;
    const seats = (await prisma().seat.findMany({ where: { showtimeId }, orderBy: { id: "asc" }, select: { id: true } })).map((s) => s.id);
    const fans = await makeFans(3);
    const holds = await Promise.all(fans.map((f, i) => holdSeats({ showtimeId, seatIds: [seats[i]!] }, who(f))));
    const cut = new Date(holds[0]!.heldUntil.getTime() + 1);
    await prisma().hold.update({ where: { id: holds[2]!.holdId }, data: { heldUntil: new Date(cut.getTime() + 60_000) } });
    await prisma().seat.update({ where: { id: seats[2]! }, data: { heldUntil: new Date(cut.getTime() + 60_000) } });
    const swept = await sweepExpiredHolds({ now: cut });
    expect(swept.expired).toBeGreaterThanOrEqual(2);
    const statuses = await prisma().hold.findMany({
      where: { id: { in: holds.map((h) => h.holdId) } },
      select: { id: true, status: true },
    });
    expect(Object.fromEntries(statuses.map((h) => [h.id, h.status]))).toEqual({
      [holds[0]!.holdId]: "EXPIRED",
      [holds[1]!.holdId]: "EXPIRED",
      [holds[2]!.holdId]: "ACTIVE",
    });
  });

  it("lets racing batch tidiers split the due holds: each hold expires once, each seat is freed once", async () => {
    const showtimeId = (await makeConcert({ layout: { rows: 10, seatsPerRow: 20 } })).showtimes[0]!.id;
    const seats = (await prisma().seat.findMany({ where: { showtimeId }, orderBy: { id: "asc" }, select: { id: true } })).map((s) => s.id);
    const fans = await makeFans(200);
    const holds = await Promise.all(fans.map((f, i) => holdSeats({ showtimeId, seatIds: seats.slice(i * 2, i * 2 + 2) }, who(f))));
    const later = new Date(Math.max(...holds.map((h) => h.heldUntil.getTime())) + 1);
    const racing = await Promise.all(Array.from({ length: 8 }, () => expireDueHolds({ now: later, limit: 40 })));
    const rest = await sweepExpiredHolds({ now: later, limit: 40 });
    const all = [...racing, rest];
    const freed = all.flatMap((r) => r.freedByShowtime.get(showtimeId) ?? []);
    expect(all.reduce((n, r) => n + r.expired, 0)).toBeGreaterThanOrEqual(200);
    expect(freed.sort((a, b) => a - b)).toEqual(seats.slice(0, 400));
    expect(await prisma().hold.count({ where: { showtimeId, status: "ACTIVE" } })).toBe(0);
    expect(await prisma().seat.count({ where: { showtimeId, status: "HELD" } })).toBe(0);
  });

  it("control: tidiers that read the due holds and then free their seats by id take seats from the fans who took them since", async () => {
    const { showtimeId, retake } = await runOutAndRetake();
    // 8 tidiers read the 200 dead holds, then wait until a second wave of fans has taken (and in part
    // bought) the same seats, then free them.
    let allRead!: () => void;
    const read = new Promise<void>((resolve) => (allRead = resolve));
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    let arrived = 0;
    const pause = async () => {
      if (++arrived === 8) allRead();
      await opened;
    };
    const tidiers = Array.from({ length: 8 }, () => readThenFreeDueHolds({ limit: 10_000, pause }));
    await read;
    await retake();
    open();
    const freed = (await Promise.all(tidiers)).map((r) => r.freedByShowtime.get(showtimeId) ?? []);
    expect(freed.map((ids) => ids.length)).toEqual(Array(8).fill(400));
    // 160 live holds lost both seats; the 40 paid pairs are back on sale with their tickets still valid.
    expect(await auditFailures(showtimeId)).toEqual({ "no seat held twice": 320, "no seat sold twice": 80 });
  });

  it("with the same second wave racing the real tidiers, every new hold and sale keeps its seats", async () => {
    const { showtimeId, retake } = await runOutAndRetake();
    const tidy = () => Promise.all(Array.from({ length: 8 }, () => expireDueHolds({ limit: 40 })));
    const [holds] = await Promise.all([retake(), tidy()]);
    await tidy();
    expect(await prisma().hold.count({ where: { showtimeId, status: "ACTIVE" } })).toBe(160);
    expect(await prisma().seat.count({ where: { showtimeId, holdId: { in: holds.map((h) => h.holdId) } } })).toBe(400);
    expect(await auditFailures(showtimeId)).toEqual({});
  });

  // A claim and a tidier (or a release) after the same run-out seats, lined up behind a third
  // transaction on the lowest seat the claim wants: the claim queues first, then the other. Rows rewritten
  // out of id order are found out of it, so a statement that locks seats as it finds them takes one the
  // claim wants above its lowest before it queues for the lowest; the claim, given that one, then waits
  // for the rest: a deadlock. The tidier and the release lock them in id order, as the claim does; the
  // controls switch that off.
  const ending = {
    "a tidier": (seatsInIdOrder: boolean, hold: HoldResult) =>
      expireDueHolds(seatsInIdOrder ? {} : { protections: { seatsInIdOrder } }).then(
        (r) => r.freedByShowtime.get(hold.showtimeId)?.length ?? 0,
      ),
    "the fan's release": (seatsInIdOrder: boolean, hold: HoldResult, userId: string) =>
      releaseHold(hold.holdId, userId, seatsInIdOrder ? {} : { protections: { seatsInIdOrder } }).then((r) => r.released),
  };
  it.each([
    ["a tidier", true],
    ["the fan's release", true],
    ["a tidier", false],
    ["the fan's release", false],
  ] as const)("a fan's claim and %s after the same run-out seats, seats locked in id order: %s", async (other, inIdOrder) => {
    const showtimeId = (await makeConcert()).showtimes[0]!.id;
    const group = (await prisma().seat.findMany({ where: { showtimeId }, orderBy: { id: "asc" }, take: 8, select: { id: true } })).map(
      (s) => s.id,
    );
    const [a, b, c] = await makeFans(3);
    const old = await holdSeats({ showtimeId, seatIds: group }, who(a!));
    const elsewhere = await holdSeats({ showtimeId, seatIds: [group.at(-1)! + 1] }, who(c!));
    await prisma().$executeRaw`UPDATE "Hold" SET "heldUntil" = now() - interval '1 second' WHERE id = ${old.holdId}`;
    await prisma().$executeRaw`UPDATE "Seat" SET "heldUntil" = now() - interval '1 second' WHERE "holdId" = ${old.holdId}`;
    // Where a new row version lands depends on free space, so rewrite (last id first) until the seats are
    // no longer found in id order.
    const found = async () =>
      (await prisma().$queryRaw<{ id: number }[]>`SELECT id FROM "Seat" WHERE "holdId" = ${old.holdId} ORDER BY ctid`).map((r) => r.id);
    const inOrder = (ids: number[]) => ids.every((id, i) => i === 0 || ids[i - 1]! < id);
    for (let tries = 0; tries < 20 && (tries === 0 || inOrder(await found())); tries++) {
      for (const id of [...group].reverse()) {
        await prisma().$executeRaw`UPDATE "Seat" SET "holdId" = ${elsewhere.holdId} WHERE id = ${id}`;
        await prisma().$executeRaw`UPDATE "Seat" SET "holdId" = ${old.holdId} WHERE id = ${id}`;
      }
    }
    const order = await found();
    expect(inOrder(order)).toBe(false);
    // The claim takes the seats from the first one found ahead of a lower one: the other statement then
    // finds a seat of the claim's above its lowest before it reaches that lowest (the seats found before
    // are nobody else's), which is where the blocker lines the two up.
    const first = order.findIndex((id, i) => order.slice(i + 1).some((later) => later < id));
    const wanted = order.slice(first).sort((x, y) => x - y);

    const blocker = await holdLocks((tx) => tx.$queryRaw`SELECT id FROM "Seat" WHERE id = ${wanted[0]} FOR UPDATE`);
    const claim = holdSeats({ showtimeId, seatIds: wanted }, who(b!));
    const claimer = await waiterOn([blocker.pid]);
    const end = ending[other](inIdOrder, old, a!);
    await waiterOn([blocker.pid, claimer]);
    await blocker.release();
    const outcomes = await Promise.allSettled([claim, end]);

    if (!inIdOrder) {
      // PostgreSQL breaks the deadlock by failing one of the two.
      expect(outcomes.map((o) => (o.status === "rejected" ? String(o.reason).includes("deadlock detected") : "ok"))).toContain(true);
      return;
    }
    // The claim got every seat it asked for, and the tidier or release ended the old hold, freeing only
    // the seats the claim did not take.
    const [claimed, ended] = outcomes.map((o) => (o.status === "fulfilled" ? o.value : o.reason)) as [Awaited<typeof claim>, number];
    expect(claimed.seatIds).toEqual(wanted);
    expect(ended).toBe(group.length - wanted.length);
    expect(await prisma().seat.count({ where: { id: { in: wanted }, status: "HELD", holdId: claimed.holdId } })).toBe(wanted.length);
    expect(await prisma().seat.count({ where: { id: { in: group }, status: "AVAILABLE" } })).toBe(group.length - wanted.length);
    expect((await prisma().hold.findUniqueOrThrow({ where: { id: old.holdId } })).status).not.toBe("ACTIVE");
    expect(await auditFailures(showtimeId)).toEqual({});
  });
});
