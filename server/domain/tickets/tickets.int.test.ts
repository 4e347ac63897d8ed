// The fan's ticket list on PostgreSQL: in seat order within a show, whatever order the seats were bought
// in, and page by page without a ticket lost or repeated.
import { describe, expect, it } from "vitest";
import { prisma } from "../../db.ts";
import { makeConcert, makeUser } from "../../../test/support/factories.ts";
import { checkoutHold } from "../checkout/checkout.ts";
import { holdSeats } from "../holds/holds.ts";
import { topUpWallet } from "../wallet/wallet.ts";
import { listMyTickets } from "./tickets.ts";

describe("a fan's tickets", () => {
  it("are listed in seat order within a show, across pages, not in the order they were bought", async () => {
    const showtimeId = (await makeConcert({ layout: { rows: 2, seatsPerRow: 3 }, showtimes: [{ inDays: 10 }] })).showtimes[0]!.id;
    const fan = await makeUser();
    await topUpWallet({ currency: "KRW", amountMinor: 2_000_000, idempotencyKey: `t-${crypto.randomUUID()}` }, fan.id);
    const seats = await prisma().seat.findMany({
      where: { showtimeId },
      select: {
        id: true,
        venueSeat: {
          select: { number: true, row: { select: { label: true, sortOrder: true, section: { select: { name: true, sortOrder: true } } } } },
        },
      },
    });
    const label = (s: (typeof seats)[number]) => `${s.venueSeat.row.section.name} ${s.venueSeat.row.label}${s.venueSeat.number}`;
    const inSeatOrder = [...seats].sort(
      (a, b) =>
        a.venueSeat.row.section.sortOrder - b.venueSeat.row.section.sortOrder ||
        a.venueSeat.row.sortOrder - b.venueSeat.row.sortOrder ||
        a.venueSeat.number - b.venueSeat.number,
    );
    // Bought one at a time, last seat first: each order's tickets are newer than the one before.
    const picked = [inSeatOrder[3]!, inSeatOrder[0]!, inSeatOrder[2]!, inSeatOrder[1]!];
    for (const seat of picked) {
      const hold = await holdSeats({ showtimeId, seatIds: [seat.id] }, { userId: fan.id, client: "web", ip: "127.0.0.1" });
      await checkoutHold({ userId: fan.id, showtimeId, holdId: hold.holdId, idempotencyKey: `p-${crypto.randomUUID()}` });
    }
    const expected = inSeatOrder.slice(0, 4).map(label);
    const shown = (await listMyTickets({}, fan.id)).items.map((t) => `${t.seat.section} ${t.seat.row}${t.seat.number}`);
    expect(shown).toEqual(expected);

    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listMyTickets({ limit: 1, ...(cursor ? { cursor } : {}) }, fan.id);
      paged.push(...page.items.map((t) => `${t.seat.section} ${t.seat.row}${t.seat.number}`));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(paged).toEqual(expected);
  });
});
