// Best available on PostgreSQL: the block nearest the stage, within a tier if asked, and under a surge of
// parallel requests every fan gets adjacent seats of their own.
import { describe, expect, it } from "vitest";
import { prisma } from "../../db.ts";
import { makeConcert, makeFans } from "../../../test/support/factories.ts";
import { barrier } from "../../../test/support/races.ts";
import { auditInvariants } from "../audit/invariants.ts";
import { bestAvailableChooser, holdBestAvailable } from "./best-available.ts";
import { readThenWriteHold } from "../../../test/stand-ins/hold.ts";

const who = (userId: string) => ({ userId, client: "web", ip: "127.0.0.1" });

/** Section, row label and seat number of each seat, in the order given. */
async function placesOf(seatIds: number[]) {
  const seats = await prisma().seat.findMany({
    where: { id: { in: seatIds } },
    select: {
      id: true,
      priceTier: { select: { name: true } },
      venueSeat: { select: { number: true, rowId: true, row: { select: { label: true, section: { select: { name: true } } } } } },
    },
  });
  const byId = new Map(seats.map((s) => [s.id, s]));
  return seatIds.map((id) => {
    const s = byId.get(id)!;
    return {
      section: s.venueSeat.row.section.name,
      row: s.venueSeat.row.label,
      rowId: s.venueSeat.rowId,
      number: s.venueSeat.number,
      tier: s.priceTier.name,
    };
  });
}

describe("holdBestAvailable", () => {
  it("holds the centre of the front row, or the best block of the tier asked for", async () => {
    const concert = await makeConcert({ layout: { rows: 3, seatsPerRow: 7 } });
    const showtime = concert.showtimes[0]!;
    const [a, b] = await makeFans(2);
    const front = await holdBestAvailable({ showtimeId: showtime.id, quantity: 3 }, who(a!));
    expect(await placesOf(front.seatIds)).toEqual(
      [3, 4, 5].map((number) => expect.objectContaining({ section: "Front", row: "A", number, tier: "Gold" })),
    );

    const silver = showtime.priceTiers.find((t) => t.name === "Silver")!;
    const back = await holdBestAvailable({ showtimeId: showtime.id, quantity: 2, priceTierId: silver.id }, who(b!));
    const places = await placesOf(back.seatIds);
    expect(places.map((p) => [p.section, p.row, p.tier])).toEqual([
      ["Back", "A", "Silver"],
      ["Back", "A", "Silver"],
    ]);
    expect(places[1]!.number - places[0]!.number).toBe(1);
  });

  it("answers SEATS_UNAVAILABLE and holds nothing when no block of that size is free", async () => {
    const showtimeId = (await makeConcert({ layout: { rows: 1, seatsPerRow: 3 } })).showtimes[0]!.id;
    // Take the middle seat of both rows: only single seats are left.
    const middles = await prisma().seat.findMany({ where: { showtimeId, venueSeat: { number: 2 } }, select: { id: true } });
    await prisma().seat.updateMany({ where: { id: { in: middles.map((s) => s.id) } }, data: { status: "SOLD" } });
    const [fan] = await makeFans(1);
    await expect(holdBestAvailable({ showtimeId, quantity: 2 }, who(fan!))).rejects.toMatchObject({ code: "SEATS_UNAVAILABLE" });
    expect(await prisma().hold.count({ where: { showtimeId } })).toBe(0);
    expect(await prisma().seat.count({ where: { showtimeId, status: "HELD" } })).toBe(0);
  });

  it("gives 160 parallel fans asking for pairs distinct adjacent pairs, and turns away only those it has none for", async () => {
    // 2 sections × 8 rows × 20 seats = 320 seats, but nearest-the-stage-first splits rows: fewer than 160 pairs fit.
    const showtimeId = (await makeConcert({ layout: { rows: 8, seatsPerRow: 20 } })).showtimes[0]!.id;
    const fans = await makeFans(160);
    const results = await Promise.allSettled(fans.map((f) => holdBestAvailable({ showtimeId, quantity: 2 }, who(f))));
    const holds = results.filter((r) => r.status === "fulfilled").map((r) => r.value);
    const failed = results.filter((r) => r.status === "rejected").map((r) => (r.reason as { code?: string }).code);
    expect(holds.length).toBeGreaterThan(130);
    expect(failed).toEqual(Array(160 - holds.length).fill("SEATS_UNAVAILABLE"));

    expect(new Set(holds.flatMap((h) => h.seatIds)).size).toBe(holds.length * 2);
    for (const h of holds) {
      const [x, y] = await placesOf(h.seatIds);
      expect(x!.rowId).toBe(y!.rowId);
      expect(y!.number - x!.number).toBe(1);
    }
    const held = await prisma().seat.findMany({ where: { showtimeId, status: "HELD" }, select: { id: true, holdId: true } });
    expect(held.map((s) => [s.id, s.holdId]).sort()).toEqual(holds.flatMap((h) => h.seatIds.map((id) => [id, h.holdId])).sort());
    // Those turned away were told the truth: no two free seats side by side are left.
    const free = await prisma().seat.findMany({
      where: { showtimeId, status: "AVAILABLE" },
      select: { venueSeat: { select: { rowId: true, number: true } } },
    });
    const places = new Set(free.map((s) => `${s.venueSeat.rowId}:${s.venueSeat.number}`));
    expect(free.filter((s) => places.has(`${s.venueSeat.rowId}:${s.venueSeat.number + 1}`))).toEqual([]);
    expect((await auditInvariants(prisma(), { showtimeId })).checks.filter((c) => !c.ok)).toEqual([]);
  });

  it("control: without taking turns and with read-then-write instead of the one-statement claim, 160 parallel fans share pairs", async () => {
    const showtimeId = (await makeConcert({ layout: { rows: 8, seatsPerRow: 20 } })).showtimes[0]!.id;
    const fans = await makeFans(160);
    // Racers wait at the barrier inside their transaction (holding a pooled connection): groups of 8.
    const pause = barrier(160, 8);
    const racer = (f: string) =>
      readThenWriteHold(showtimeId, bestAvailableChooser(showtimeId, 2, undefined, { takeTurns: false }), who(f), { pause });
    const results = await Promise.allSettled(fans.map(racer));
    const holds = results.filter((r) => r.status === "fulfilled").map((r) => r.value);
    // Racers lined up together read the same best pair free, and all of them got it.
    const pairs = new Set(holds.map((h) => h.seatIds.join(",")));
    expect(pairs.size).toBeLessThan(holds.length);
    const { checks } = await auditInvariants(prisma(), { showtimeId });
    expect(checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(["no seat held twice"]);
    // Every pair held k times is k holds on each of its 2 seats; all but the last writer lost both seats.
    const shared = [...pairs].map((p) => holds.filter((h) => h.seatIds.join(",") === p).length).filter((k) => k > 1);
    expect(checks.find((c) => c.name === "no seat held twice")!.violations).toBe(shared.reduce((n, k) => n + 2 + (k - 1) * 2, 0));
  });
});
