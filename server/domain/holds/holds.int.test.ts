// Holds under real races on PostgreSQL: never two holders for a seat, the per-user limit holds under
// parallel requests, and an expired hold's seats go to the next fan with no job run.
import { describe, expect, it } from "vitest";
import { prisma } from "../../db.ts";
import { makeConcert, makeFans } from "../../../test/support/factories.ts";
import { checkoutHold } from "../checkout/checkout.ts";
import { auditInvariants } from "../audit/invariants.ts";
import { barrier, lockSeatsApart } from "../../../test/support/races.ts";
import { readThenWriteHold, theseSeats } from "../../../test/stand-ins/hold.ts";
import { topUpWallet } from "../wallet/wallet.ts";
import { holdSeats, releaseHold, type HoldResult, type Protections } from "./holds.ts";
import { auditFailures } from "../../../test/support/audit.ts";

const who = (userId: string) => ({ userId, client: "web", ip: "127.0.0.1" });

async function seatIdsOf(showtimeId: string) {
  return (await prisma().seat.findMany({ where: { showtimeId }, orderBy: { id: "asc" }, select: { id: true } })).map((s) => s.id);
}

async function settle<T>(attempts: Promise<T>[]) {
  const results = await Promise.allSettled(attempts);
  const ok = results.filter((r): r is PromiseFulfilledResult<Awaited<T>> => r.status === "fulfilled").map((r) => r.value);
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => r.reason as { code?: string });
  return { ok, failed };
}

/** Every seat has at most one live holder, and the held seats are exactly the successful holds' seats. */
async function expectConsistent(showtimeId: string, ok: HoldResult[]) {
  const held = await prisma().seat.findMany({ where: { showtimeId, status: "HELD" }, select: { id: true, holdId: true } });
  const claimed = ok.flatMap((h) => h.seatIds.map((id) => [id, h.holdId] as const));
  expect(new Set(claimed.map(([id]) => id)).size).toBe(claimed.length);
  expect(held.map((s) => [s.id, s.holdId]).sort()).toEqual([...claimed].sort());
}

describe("holdSeats", () => {
  // A read-then-write racer waits at the barrier inside its transaction, holding a pooled connection:
  // racers line up in groups smaller than the pool's 10.
  const GROUP = 8;

  it("control: with read-then-write instead of the one-statement claim, 40 fans racing for a pair hold it many times over", async () => {
    const showtimeId = (await makeConcert()).showtimes[0]!.id;
    const [seat, other] = await seatIdsOf(showtimeId);
    const fans = await makeFans(40);
    const pause = barrier(40, GROUP);
    const { ok, failed } = await settle(fans.map((f) => readThenWriteHold(showtimeId, theseSeats([seat!, other!]), who(f), { pause })));
    // The first group, and the racers that got a connection while it waited, all read the pair free
    // before any of them wrote; the rest found it held.
    expect(ok.length).toBeGreaterThanOrEqual(GROUP);
    expect(failed.map((f) => f.code)).toEqual(Array(40 - ok.length).fill("SEATS_UNAVAILABLE"));
    // Each seat is in every winner's live hold, and all winners but the last writer lost both seats.
    expect(await auditFailures(showtimeId)).toEqual({ "no seat held twice": 2 + (ok.length - 1) * 2 });
  });

  it("with the same 40 racers lined up, the one-statement claim gives the pair to exactly one", async () => {
    const showtimeId = (await makeConcert()).showtimes[0]!.id;
    const [seat, other] = await seatIdsOf(showtimeId);
    const fans = await makeFans(40);
    // The protected claim pauses before its one statement, outside any transaction: all 40 line up at once.
    const protections: Protections = { pause: barrier(40) };
    const { ok, failed } = await settle(fans.map((f) => holdSeats({ showtimeId, seatIds: [seat!, other!] }, who(f), { protections })));
    expect(ok).toHaveLength(1);
    expect(failed.map((f) => f.code)).toEqual(Array(39).fill("SEATS_UNAVAILABLE"));
    expect(await auditFailures(showtimeId)).toEqual({});
  });

  it("gives a contested seat to exactly one of many parallel fans, and names it to the others", async () => {
    const showtimeId = (await makeConcert()).showtimes[0]!.id;
    const [seat, other] = await seatIdsOf(showtimeId);
    const fans = await makeFans(40);
    const { ok, failed } = await settle(fans.map((f) => holdSeats({ showtimeId, seatIds: [seat!, other!] }, who(f))));
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(39);
    for (const f of failed) expect(f).toMatchObject({ code: "SEATS_UNAVAILABLE" });
    expect((failed[0] as { details?: { seatIds: number[] } }).details?.seatIds.sort()).toEqual([seat, other].sort());
    await expectConsistent(showtimeId, ok);
    // All or nothing: the losers left no seat and no live hold behind.
    expect(await prisma().hold.count({ where: { showtimeId } })).toBe(1);
    expect(await auditFailures(showtimeId)).toEqual({});
  });

  it("control: 600 parallel read-then-write holds of 1-4 seats on 200 seats double-hold seats", async () => {
    const showtimeId = (await makeConcert({ layout: { rows: 10, seatsPerRow: 10 } })).showtimes[0]!.id;
    const seats = await seatIdsOf(showtimeId);
    // One request per fan: the read-then-write path skips the per-user limit, which is not what this shows.
    const fans = await makeFans(600);
    let rnd = 42;
    const random = () => (rnd = (rnd * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pause = barrier(600, GROUP);
    const { ok, failed } = await settle(
      Array.from({ length: 600 }, (_, i) => {
        const n = 1 + Math.floor(random() * 4);
        const start = Math.floor(random() * (seats.length - n));
        return readThenWriteHold(showtimeId, theseSeats(seats.slice(start, start + n)), who(fans[i]!), { pause });
      }),
    );
    for (const f of failed) expect(f.code).toBe("SEATS_UNAVAILABLE");
    // Racers lined up together whose blocks overlap all claimed the shared seats.
    const claims = ok.flatMap((h) => h.seatIds);
    const twice = new Set(claims.filter((id, i) => claims.indexOf(id) !== i));
    expect(twice.size).toBeGreaterThan(0);
    const { checks } = await auditInvariants(prisma(), { showtimeId });
    expect(checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(["no seat held twice"]);
    const held = checks.find((c) => !c.ok)!;
    // One row per seat in several live holds, and at least one per hold that lost a seat to another.
    expect(held.violations).toBeGreaterThanOrEqual(twice.size * 2);
  }, 120_000);

  it("2,000 parallel holds of 1-4 seats on 200 seats never double-hold a seat", async () => {
    const showtimeId = (await makeConcert({ layout: { rows: 10, seatsPerRow: 10 } })).showtimes[0]!.id;
    const seats = await seatIdsOf(showtimeId);
    expect(seats).toHaveLength(200);
    const fans = await makeFans(500);
    let rnd = 42;
    const random = () => (rnd = (rnd * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const plans = Array.from({ length: 2000 }, (_, i) => {
      const n = 1 + Math.floor(random() * 4);
      const start = Math.floor(random() * (seats.length - n));
      return { seatIds: seats.slice(start, start + n), fan: fans[i % fans.length]! };
    });
    // All 2,000 race; at most 200 are in flight at once, as in one web process under load. The database
    // sees the same contention either way: the pool's 10 connections are the real parallelism.
    let next = 0;
    const results: Promise<HoldResult>[] = [];
    await Promise.all(
      Array.from({ length: 200 }, async () => {
        while (next < plans.length) {
          const plan = plans[next++]!;
          const attempt = holdSeats({ showtimeId, seatIds: plan.seatIds }, who(plan.fan));
          results.push(attempt);
          await attempt.catch(() => {});
        }
      }),
    );
    const { ok, failed } = await settle(results);
    expect(ok.length + failed.length).toBe(2000);
    expect(ok.length).toBeGreaterThan(0);
    for (const f of failed) expect(["SEATS_UNAVAILABLE", "LIMIT_EXCEEDED"]).toContain(f.code);
    await expectConsistent(showtimeId, ok);
    expect(await auditFailures(showtimeId)).toEqual({});
  }, 120_000);

  it("lets the next fan take seats whose hold ran out, with no job run, and re-holds race safely", async () => {
    const showtimeId = (await makeConcert()).showtimes[0]!.id;
    await prisma().showtime.update({ where: { id: showtimeId }, data: { holdSeconds: 1 } });
    const seats = await seatIdsOf(showtimeId);
    const [first, ...rest] = await makeFans(60);
    const old = await holdSeats({ showtimeId, seatIds: seats.slice(0, 4) }, who(first!));
    await expect(holdSeats({ showtimeId, seatIds: seats.slice(0, 1) }, who(rest[0]!))).rejects.toMatchObject({ code: "SEATS_UNAVAILABLE" });
    await new Promise((r) => setTimeout(r, 1_100));
    // The old hold is still ACTIVE in its row: only the predicate knows it is dead.
    expect((await prisma().hold.findUniqueOrThrow({ where: { id: old.holdId } })).status).toBe("ACTIVE");
    const { ok } = await settle(rest.map((f, i) => holdSeats({ showtimeId, seatIds: [seats[i % 4]!] }, who(f))));
    expect(ok).toHaveLength(4);
    await expectConsistent(showtimeId, ok);
  });

  it("keeps the per-user limit under parallel requests of one fan", async () => {
    const showtimeId = (await makeConcert({ layout: { rows: 5, seatsPerRow: 10 } })).showtimes[0]!.id;
    const seats = await seatIdsOf(showtimeId);
    const [fan] = await makeFans(1);
    const { ok, failed } = await settle(seats.slice(0, 30).map((s) => holdSeats({ showtimeId, seatIds: [s] }, who(fan!))));
    expect(ok).toHaveLength(8);
    for (const f of failed) expect(f).toMatchObject({ code: "LIMIT_EXCEEDED" });
    expect(await auditFailures(showtimeId)).toEqual({});
  });

  it("counts bought seats towards the limit as well as held ones", async () => {
    const showtimeId = (await makeConcert({ layout: { rows: 2, seatsPerRow: 10 } })).showtimes[0]!.id;
    const seats = await seatIdsOf(showtimeId);
    const [fan] = await makeFans(1);
    const bought = await holdSeats({ showtimeId, seatIds: seats.slice(0, 5) }, who(fan!));
    await topUpWallet({ currency: "KRW", amountMinor: 1_000_000, idempotencyKey: "limit-topup-1" }, fan!);
    await checkoutHold({ userId: fan!, showtimeId, holdId: bought.holdId, idempotencyKey: "limit-pay-1" });
    await holdSeats({ showtimeId, seatIds: seats.slice(5, 7) }, who(fan!));
    await expect(holdSeats({ showtimeId, seatIds: seats.slice(7, 9) }, who(fan!))).rejects.toMatchObject({
      code: "LIMIT_EXCEEDED",
      details: { limit: 8, held: 7, requested: 2 },
    });
    expect((await holdSeats({ showtimeId, seatIds: [seats[7]!] }, who(fan!))).seatIds).toEqual([seats[7]]);
  });

  it("control: without the per-user lock, 30 parallel requests of one fan go past the limit", async () => {
    const showtimeId = (await makeConcert({ layout: { rows: 5, seatsPerRow: 10 } })).showtimes[0]!.id;
    await prisma().showtime.update({ where: { id: showtimeId }, data: { perUserLimit: 3 } });
    const seats = await seatIdsOf(showtimeId);
    const [fan] = await makeFans(1);
    // The seats are locked apart, so each claim counts the fan's seats and then queues for its seat: the
    // pool's 10 claims all count before any of them writes.
    const lock = await lockSeatsApart(seats.slice(0, 30));
    const racing = settle(
      seats.slice(0, 30).map((s) => holdSeats({ showtimeId, seatIds: [s] }, who(fan!), { protections: { userLock: false } })),
    );
    await lock.queued(10);
    await lock.release();
    const { ok, failed } = await racing;
    expect(ok.length).toBeGreaterThan(3);
    for (const f of failed) expect(f).toMatchObject({ code: "LIMIT_EXCEEDED" });
    const { checks } = await auditInvariants(prisma(), { showtimeId });
    expect(checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(["per-user limit kept"]);
    expect(checks.find((c) => c.name === "per-user limit kept")!.examples).toEqual([
      expect.objectContaining({ userId: fan, held: ok.length, bought: 0, limit: 3 }),
    ]);
  });

  it("with the same 30 requests lined up behind the seats' locks, the per-user lock keeps the limit", async () => {
    const showtimeId = (await makeConcert({ layout: { rows: 5, seatsPerRow: 10 } })).showtimes[0]!.id;
    await prisma().showtime.update({ where: { id: showtimeId }, data: { perUserLimit: 3 } });
    const seats = await seatIdsOf(showtimeId);
    const [fan] = await makeFans(1);
    // One claim counts and queues for its seat; the pool's other nine queue for the fan's lock behind it.
    const lock = await lockSeatsApart(seats.slice(0, 30));
    const racing = settle(seats.slice(0, 30).map((s) => holdSeats({ showtimeId, seatIds: [s] }, who(fan!))));
    await lock.queued(10);
    await lock.release();
    const { ok, failed } = await racing;
    expect(ok).toHaveLength(3);
    for (const f of failed) expect(f).toMatchObject({ code: "LIMIT_EXCEEDED" });
    expect(await auditFailures(showtimeId)).toEqual({});
  });

  it("records who took the hold, and only the owner can release it", async () => {
    const showtimeId = (await makeConcert()).showtimes[0]!.id;
    const seats = await seatIdsOf(showtimeId);
    const [a, b] = await makeFans(2);
    const hold = await holdSeats({ showtimeId, seatIds: seats.slice(0, 2) }, { userId: a!, client: "api:ab12", ip: "10.1.2.3" });
    expect(await prisma().hold.findUniqueOrThrow({ where: { id: hold.holdId } })).toMatchObject({
      userId: a,
      client: "api:ab12",
      ip: "10.1.2.3",
      seatCount: 2,
      heldUntil: hold.heldUntil,
    });
    await expect(releaseHold(hold.holdId, b!)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await releaseHold(hold.holdId, a!)).toMatchObject({ released: 2 });
    await expect(releaseHold(hold.holdId, a!)).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await prisma().seat.count({ where: { showtimeId, status: "HELD" } })).toBe(0);
  });

  it("refuses bad input and showtimes not on sale, changing nothing", async () => {
    const [fan] = await makeFans(1);
    const upcoming = (await makeConcert({ showtimes: [{ inDays: 10, saleOpensInDays: 2 }] })).showtimes[0]!.id;
    const seats = await seatIdsOf(upcoming);
    await expect(holdSeats({ showtimeId: upcoming, seatIds: [seats[0]!] }, who(fan!))).rejects.toMatchObject({ code: "NOT_ON_SALE" });
    await expect(holdSeats({ showtimeId: upcoming, seatIds: [] }, who(fan!))).rejects.toThrow(/Choose at least one seat/);
    await expect(holdSeats({ showtimeId: upcoming, seatIds: [1, 1] }, who(fan!))).rejects.toThrow(/A seat appears twice/);
    expect(await prisma().hold.count({ where: { showtimeId: upcoming } })).toBe(0);
  });
});
