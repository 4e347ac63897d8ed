import { describe, expect, it } from "vitest";
import { prisma } from "../../db.ts";
import { makeConcert } from "../../../test/support/factories.ts";
import { createShowtimeInventory } from "./inventory.ts";

describe("createShowtimeInventory", () => {
  it("refuses a mapping that leaves a section without a tier, and creates nothing", async () => {
    const concert = await makeConcert({ showtimes: [] });
    const showtime = await prisma().showtime.create({
      data: {
        concertId: concert.id,
        venueId: concert.venue.id,
        startsAt: new Date(Date.now() + 86_400_000),
        doorsAt: new Date(Date.now() + 80_000_000),
        generalSaleStartsAt: new Date(),
        saleEndsAt: new Date(Date.now() + 86_400_000),
        priceTiers: { create: [{ name: "Only", priceMinor: 1000, feeMinor: 0, currency: "USD", color: "#000", sortOrder: 0 }] },
      },
      select: { id: true, priceTiers: { select: { id: true } } },
    });
    await expect(createShowtimeInventory(showtime.id, { Front: showtime.priceTiers[0]!.id })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      details: { sections: ["Back"] },
    });
    expect(await prisma().seat.count({ where: { showtimeId: showtime.id } })).toBe(0);
  });

  it("creates exactly one seat per layout seat, and a second run cannot duplicate them", async () => {
    const concert = await makeConcert();
    const showtime = concert.showtimes[0]!;
    expect(await prisma().seat.count({ where: { showtimeId: showtime.id } })).toBe(20);
    const [gold, silver] = showtime.priceTiers;
    await expect(createShowtimeInventory(showtime.id, { Front: gold!.id, Back: silver!.id })).rejects.toThrow();
    expect(await prisma().seat.count({ where: { showtimeId: showtime.id } })).toBe(20);
  });
});
