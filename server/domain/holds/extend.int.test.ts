import { describe, expect, it } from "vitest";
import { prisma } from "../../db.ts";
import { makeConcert, makeFans } from "../../../test/support/factories.ts";
import { extendHold, holdSeats } from "./holds.ts";

const who = (userId: string) => ({ userId, client: "web", ip: "127.0.0.1" });

async function setup() {
  const showtimeId = (await makeConcert()).showtimes[0]!.id;
  const seats = (await prisma().seat.findMany({ where: { showtimeId }, orderBy: { id: "asc" }, take: 2, select: { id: true } })).map(
    (s) => s.id,
  );
  const [fan, other] = await makeFans(2);
  const hold = await holdSeats({ showtimeId, seatIds: seats }, who(fan!));
  return { showtimeId, seats, fan: fan!, other: other!, hold };
}

describe("extendHold", () => {
  it("extends once by the showtime's extension time, seats included; a second time is refused", async () => {
    const { showtimeId, seats, fan, hold } = await setup();
    const ref = { holdId: hold.holdId, userId: fan, showtimeId };
    const extended = await extendHold(ref);
    expect(extended.heldUntil.getTime() - hold.heldUntil.getTime()).toBe(120_000);
    const seatRows = await prisma().seat.findMany({ where: { id: { in: seats } }, select: { heldUntil: true } });
    expect(seatRows.map((s) => s.heldUntil?.getTime())).toEqual([extended.heldUntil.getTime(), extended.heldUntil.getTime()]);
    await expect(extendHold(ref)).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("lets exactly one of racing extensions through", async () => {
    const { showtimeId, fan, hold } = await setup();
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => extendHold({ holdId: hold.holdId, userId: fan, showtimeId })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const row = await prisma().hold.findUniqueOrThrow({ where: { id: hold.holdId } });
    expect(row.heldUntil.getTime() - hold.heldUntil.getTime()).toBe(120_000);
  });

  it("refuses another fan, another showtime, and a hold that has run out", async () => {
    const { showtimeId, fan, other, hold } = await setup();
    await expect(extendHold({ holdId: hold.holdId, userId: other, showtimeId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const elsewhere = (await makeConcert()).showtimes[0]!.id;
    await expect(extendHold({ holdId: hold.holdId, userId: fan, showtimeId: elsewhere })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      extendHold({ holdId: hold.holdId, userId: fan, showtimeId }, { now: new Date(hold.heldUntil.getTime() + 1) }),
    ).rejects.toMatchObject({ code: "HOLD_EXPIRED" });
    expect((await prisma().hold.findUniqueOrThrow({ where: { id: hold.holdId } })).extended).toBe(false);
  });
});
