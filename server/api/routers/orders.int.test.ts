// Checkout, orders and tickets through the routers: behind the gate, access revoked after paying, the
// sale announced on the live map, and another fan's order, tickets and transfers out of reach.
import { describe, expect, it } from "vitest";
import { prisma } from "../../db.ts";
import { onSeatChanges, type SeatChange } from "../../domain/seatmap/events.ts";
import { admitFan, makeConcert, makeUser } from "../../../test/support/factories.ts";
import { createCaller } from "../root.ts";
import { createContext } from "../trpc.ts";

describe("orders router", () => {
  it("pays a hold behind the gate, ends the fan's turn, announces the sale, and keeps the order the fan's own", async () => {
    const showtimeId = (await makeConcert()).showtimes[0]!.id;
    const fan = await makeUser();
    const other = await makeUser();
    const api = createCaller(createContext({ user: fan }));
    const stranger = createCaller(createContext({ user: other }));
    const accessToken = await admitFan(showtimeId, fan.id);
    const seats = (await prisma().seat.findMany({ where: { showtimeId }, orderBy: { id: "asc" }, take: 2, select: { id: true } })).map(
      (s) => s.id,
    );
    const hold = await api.holds.create({ showtimeId, accessToken, seatIds: seats });
    await api.wallet.topUp({ currency: "KRW", amountMinor: 1_000_000, idempotencyKey: "router-topup-1" });

    const idempotencyKey = "router-pay-0001";
    await expect(api.orders.checkout({ showtimeId, holdId: hold.holdId, idempotencyKey })).rejects.toMatchObject({
      cause: { code: "NOT_ADMITTED" },
    });
    await expect(stranger.orders.checkout({ showtimeId, accessToken, holdId: hold.holdId, idempotencyKey })).rejects.toMatchObject({
      cause: { code: "NOT_ADMITTED" },
    });

    const changes: SeatChange[] = [];
    const stop = await onSeatChanges(showtimeId, (change) => changes.push(...change.seats));
    const paid = await api.orders.checkout({ showtimeId, accessToken, holdId: hold.holdId, idempotencyKey });
    expect(paid).toMatchObject({ charged: true, seatIds: seats });
    await expect.poll(() => changes).toEqual(seats.map((id) => [id, 2]));
    await stop();
    // Paying ended this fan's turn: the same token no longer opens the gate.
    await expect(api.holds.create({ showtimeId, accessToken, seatIds: [seats[0]! + 100] })).rejects.toMatchObject({
      cause: { code: "NOT_ADMITTED" },
    });

    const order = await api.orders.byId({ orderId: paid.orderId });
    expect(order).toMatchObject({ status: "PAID", totalMinor: paid.totalMinor, canRefund: true, ticketCount: 2 });
    expect(order.tickets.every((t) => typeof t.code === "string")).toBe(true);
    expect((await api.orders.list({})).items.map((o) => o.id)).toEqual([paid.orderId]);
    expect((await api.wallet.balances())[0]!.balanceMinor).toBe(1_000_000 - paid.totalMinor);
    expect((await api.wallet.ledger({})).items.map((e) => e.type)).toEqual(["PAYMENT", "CHARGE"]);

    // Another fan can neither read, refund nor pass on this fan's things.
    await expect(stranger.orders.byId({ orderId: paid.orderId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(stranger.orders.refund({ orderId: paid.orderId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const ticket = order.tickets[0]!;
    await expect(stranger.tickets.offerTransfer({ ticketId: ticket.id, toEmail: other.email })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await stranger.tickets.list({})).items).toEqual([]);
    expect((await stranger.orders.list({})).items).toEqual([]);
    expect((await stranger.wallet.ledger({})).items).toEqual([]);

    // The transfer, through the routers: offered to the other fan, who accepts it.
    const offer = await api.tickets.offerTransfer({ ticketId: ticket.id, toEmail: other.email });
    expect((await stranger.tickets.transfers()).map((t) => [t.id, t.direction])).toEqual([[offer.transferId, "incoming"]]);
    await stranger.tickets.acceptTransfer({ transferId: offer.transferId });
    expect((await stranger.tickets.list({})).items.map((t) => t.id)).toEqual([ticket.id]);

    // The order now has a ticket that belongs to someone else: it can no longer be refunded.
    expect((await api.orders.byId({ orderId: paid.orderId })).canRefund).toBe(false);
    await expect(api.orders.refund({ orderId: paid.orderId })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("refuses top-ups with bad amounts and requires sign-in for everything money", async () => {
    const fan = await makeUser();
    const api = createCaller(createContext({ user: fan }));
    await expect(api.wallet.topUp({ currency: "KRW", amountMinor: -5, idempotencyKey: "neg-amount-1" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(api.wallet.topUp({ currency: "EUR" as "KRW", amountMinor: 5, idempotencyKey: "bad-currency" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    const anon = createCaller(createContext({}));
    await expect(anon.wallet.balances()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(anon.orders.list({})).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(anon.tickets.list({})).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect(await prisma().ledgerEntry.count({ where: { userId: fan.id } })).toBe(0);
  });
});
