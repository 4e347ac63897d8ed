import { describe, expect, it } from "vitest";
import { prisma } from "../../db.ts";
import { holdSeatsDirectly, makeConcert } from "../../../test/support/factories.ts";
import { createCaller } from "../root.ts";
import { createContext } from "../trpc.ts";

const api = createCaller(createContext({}));

describe("showtimes.seatMap", () => {
  it("returns every seat once, grouped by section and row in order, with tier and status", async () => {
    const concert = await makeConcert();
    const showtimeId = concert.showtimes[0]!.id;
    const sold = await prisma().seat.findFirstOrThrow({ where: { showtimeId }, orderBy: { id: "desc" } });
    await prisma().seat.update({ where: { id: sold.id }, data: { status: "SOLD" } });

    const map = await api.showtimes.seatMap({ showtimeId });
    expect(map.sections.map((s) => s.name)).toEqual(["Front", "Back"]);
    expect(map.sections[0]!.rows.map((r) => r.label)).toEqual(["A", "B"]);
    const seats = map.sections.flatMap((s) => s.rows.flatMap((r) => r.seats));
    expect(seats).toHaveLength(20);
    expect(new Set(seats.map((s) => s[0])).size).toBe(20);
    expect(map.sections[0]!.rows[0]!.seats.map((s) => s[1])).toEqual([1, 2, 3, 4, 5]);
    // Front is Gold (tier 0), Back is Silver (tier 1)
    expect(new Set(map.sections[0]!.rows.flatMap((r) => r.seats.map((s) => s[4])))).toEqual(new Set([0]));
    expect(new Set(map.sections[1]!.rows.flatMap((r) => r.seats.map((s) => s[4])))).toEqual(new Set([1]));
    expect(map.tiers.map((t) => t.name)).toEqual(["Gold", "Silver"]);
    expect(seats.find((s) => s[0] === sold.id)?.[5]).toBe(2);
    expect(map.counts).toEqual({ available: 19, held: 0, sold: 1, total: 20 });
  });

  it("shows a seat whose hold has run out as available, even before any job tidies it", async () => {
    const concert = await makeConcert();
    const showtimeId = concert.showtimes[0]!.id;
    const [live, dead] = await prisma().seat.findMany({ where: { showtimeId }, orderBy: { id: "asc" }, take: 2 });
    await holdSeatsDirectly(showtimeId, [live!.id], new Date(Date.now() + 60_000));
    await holdSeatsDirectly(showtimeId, [dead!.id], new Date(Date.now() - 1_000));
    const seats = (await api.showtimes.seatMap({ showtimeId })).sections.flatMap((s) => s.rows.flatMap((r) => r.seats));
    expect(seats.find((s) => s[0] === live!.id)?.[5]).toBe(1);
    expect(seats.find((s) => s[0] === dead!.id)?.[5]).toBe(0);
  });

  it("answers NOT_FOUND for an unknown or draft showtime", async () => {
    await expect(api.showtimes.seatMap({ showtimeId: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const draft = await makeConcert({ showtimes: [{ inDays: 3, status: "DRAFT" }] });
    await expect(api.showtimes.seatMap({ showtimeId: draft.showtimes[0]!.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
