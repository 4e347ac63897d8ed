// Ticket transfers on PostgreSQL: offer, accept (new owner, new code), decline, cancel, expiry, and the
// refusals; both fans see the transfer in their history.
import { describe, expect, it } from "vitest";
import { prisma } from "../../db.ts";
import { makeConcert, makeFans, makeUser } from "../../../test/support/factories.ts";
import { barrier } from "../../../test/support/races.ts";
import { checkoutHold } from "../checkout/checkout.ts";
import { refundOrder } from "../checkout/refund.ts";
import { holdSeats } from "../holds/holds.ts";
import { topUpWallet } from "../wallet/wallet.ts";
import { listMyTickets } from "./tickets.ts";
import {
  cancelTransfer,
  expireTransfer,
  listTransfers,
  offerTransfer,
  respondToTransfer,
  sweepExpiredTransfers,
  type TransferProtections,
} from "./transfers.ts";
import { auditFailures } from "../../../test/support/audit.ts";

/** A fan with one paid ticket for a show in `inDays` days. */
async function ticketHolder(inDays = 10) {
  const showtimeId = (await makeConcert({ showtimes: [{ inDays }] })).showtimes[0]!.id;
  const fan = await makeUser();
  const seat = await prisma().seat.findFirstOrThrow({ where: { showtimeId }, select: { id: true } });
  const hold = await holdSeats({ showtimeId, seatIds: [seat.id] }, { userId: fan.id, client: "web", ip: "127.0.0.1" });
  await topUpWallet({ currency: "KRW", amountMinor: 500_000, idempotencyKey: `t-${crypto.randomUUID()}` }, fan.id);
  const order = await checkoutHold({ userId: fan.id, showtimeId, holdId: hold.holdId, idempotencyKey: `p-${crypto.randomUUID()}` });
  const ticket = await prisma().ticket.findFirstOrThrow({ where: { orderId: order.orderId } });
  return { fan, ticket, order, showtimeId };
}

const asRecipient = (u: { id: string; email: string }) => ({ userId: u.id, email: u.email });

describe("ticket transfers", () => {
  it("moves an accepted ticket to the recipient with a new code, and both see it in their history", async () => {
    const { fan, ticket } = await ticketHolder();
    const friend = await makeUser();
    const offer = await offerTransfer({ ticketId: ticket.id, toEmail: `  ${friend.email.toUpperCase()} ` }, fan.id);
    // One open offer per ticket.
    await expect(offerTransfer({ ticketId: ticket.id, toEmail: "someone@example.test" }, fan.id)).rejects.toMatchObject({
      code: "CONFLICT",
    });
    // Only the addressee can answer; to anyone else the offer does not exist.
    const stranger = await makeUser();
    await expect(respondToTransfer(offer.transferId, asRecipient(stranger), "accept")).rejects.toMatchObject({ code: "NOT_FOUND" });

    expect(await respondToTransfer(offer.transferId, asRecipient(friend), "accept")).toMatchObject({ status: "ACCEPTED" });
    const moved = await prisma().ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(moved.ownerId).toBe(friend.id);
    expect(moved.code).not.toBe(ticket.code);
    expect((await listMyTickets({}, fan.id)).items).toEqual([]);
    expect((await listMyTickets({}, friend.id)).items).toMatchObject([{ id: ticket.id, code: moved.code, receivedByTransfer: true }]);
    expect(await listTransfers(asRecipient(fan))).toMatchObject([{ id: offer.transferId, direction: "outgoing", status: "ACCEPTED" }]);
    expect(await listTransfers(asRecipient(friend))).toMatchObject([{ id: offer.transferId, direction: "incoming", status: "ACCEPTED" }]);
    // Accepting twice, or the sender cancelling afterwards, is refused.
    await expect(respondToTransfer(offer.transferId, asRecipient(friend), "accept")).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(cancelTransfer(offer.transferId, fan.id)).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("lets the sender cancel and the recipient decline; the ticket stays with the sender", async () => {
    const { fan, ticket } = await ticketHolder();
    const friend = await makeUser();
    const first = await offerTransfer({ ticketId: ticket.id, toEmail: friend.email }, fan.id);
    await expect(cancelTransfer(first.transferId, friend.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await cancelTransfer(first.transferId, fan.id);
    const second = await offerTransfer({ ticketId: ticket.id, toEmail: friend.email }, fan.id);
    await respondToTransfer(second.transferId, asRecipient(friend), "decline");
    expect(await prisma().ticket.findUniqueOrThrow({ where: { id: ticket.id } })).toMatchObject({ ownerId: fan.id, code: ticket.code });
  });

  it("expires unanswered offers by job or sweep, once, and the ticket stays put", async () => {
    const { fan, ticket } = await ticketHolder();
    const friend = await makeUser();
    const offer = await offerTransfer({ ticketId: ticket.id, toEmail: friend.email }, fan.id);
    expect(await expireTransfer(offer.transferId)).toEqual({ expired: false });
    const later = new Date(offer.expiresAt.getTime() + 1);
    await expect(respondToTransfer(offer.transferId, asRecipient(friend), "accept", { now: later })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    const racing = await Promise.all([expireTransfer(offer.transferId, { now: later }), sweepExpiredTransfers({ now: later })]);
    expect((racing[0].expired ? 1 : 0) + racing[1].expired).toBe(1);
    expect(await prisma().ticketTransfer.findUniqueOrThrow({ where: { id: offer.transferId } })).toMatchObject({ status: "EXPIRED" });
    expect(await prisma().ticket.findUniqueOrThrow({ where: { id: ticket.id } })).toMatchObject({ ownerId: fan.id });
  });

  it("lets a new offer replace one past its time that no worker has marked yet", async () => {
    const { fan, ticket } = await ticketHolder();
    const friend = await makeUser();
    const first = await offerTransfer({ ticketId: ticket.id, toEmail: friend.email }, fan.id);
    const later = new Date(first.expiresAt.getTime() + 1);
    const second = await offerTransfer({ ticketId: ticket.id, toEmail: friend.email }, fan.id, { now: later });
    expect(second.transferId).not.toBe(first.transferId);
    expect(await prisma().ticketTransfer.findUniqueOrThrow({ where: { id: first.transferId } })).toMatchObject({ status: "EXPIRED" });
  });

  it("refuses cancelled, someone else's, past-show and self transfers, and a refund ends an open offer", async () => {
    const { fan, ticket, order } = await ticketHolder();
    const friend = await makeUser();
    await expect(offerTransfer({ ticketId: ticket.id, toEmail: "x@example.test" }, friend.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(offerTransfer({ ticketId: ticket.id, toEmail: fan.email }, fan.id)).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    await expect(offerTransfer({ ticketId: ticket.id, toEmail: "not an email" }, fan.id)).rejects.toThrow(/email/);
    const offer = await offerTransfer({ ticketId: ticket.id, toEmail: friend.email }, fan.id);
    await refundOrder(order.orderId, { userId: fan.id });
    expect(await prisma().ticketTransfer.findUniqueOrThrow({ where: { id: offer.transferId } })).toMatchObject({ status: "CANCELLED" });
    await expect(offerTransfer({ ticketId: ticket.id, toEmail: friend.email }, fan.id)).rejects.toMatchObject({
      code: "CONFLICT",
      message: /cancelled/,
    });

    const past = await ticketHolder(1);
    const showDay = new Date(Date.now() + 2 * 86_400_000);
    await expect(offerTransfer({ ticketId: past.ticket.id, toEmail: friend.email }, past.fan.id, { now: showDay })).rejects.toMatchObject({
      code: "CONFLICT",
      message: /already started/,
    });
  });

  it("refuses a refund of an order whose ticket now belongs to someone else", async () => {
    const { fan, ticket, order } = await ticketHolder();
    const friend = await makeUser();
    const offer = await offerTransfer({ ticketId: ticket.id, toEmail: friend.email }, fan.id);
    await respondToTransfer(offer.transferId, asRecipient(friend), "accept");
    await expect(refundOrder(order.orderId, { userId: fan.id })).rejects.toMatchObject({ code: "CONFLICT" });
  });
});

/** `n` fans with one paid ticket each for one showtime, each ticket offered to a friend of theirs. */
async function openOffers(n: number) {
  const showtimeId = (await makeConcert({ layout: { rows: 10, seatsPerRow: 10 } })).showtimes[0]!.id;
  const seats = await prisma().seat.findMany({ where: { showtimeId }, orderBy: { id: "asc" }, take: n, select: { id: true } });
  const [buyers, friends] = await Promise.all([makeFans(n), makeFans(n)]);
  const offers = await Promise.all(
    buyers.map(async (buyer, i) => {
      const hold = await holdSeats({ showtimeId, seatIds: [seats[i]!.id] }, { userId: buyer, client: "web", ip: "127.0.0.1" });
      await topUpWallet({ currency: "KRW", amountMinor: 500_000, idempotencyKey: `t-${hold.holdId}` }, buyer);
      const order = await checkoutHold({ userId: buyer, showtimeId, holdId: hold.holdId, idempotencyKey: `p-${hold.holdId}` });
      const ticket = await prisma().ticket.findFirstOrThrow({ where: { orderId: order.orderId }, select: { id: true } });
      const friend = { userId: friends[i]!, email: `${friends[i]}@example.test` };
      const { transferId } = await offerTransfer({ ticketId: ticket.id, toEmail: friend.email }, buyer);
      return { buyer, friend, orderId: order.orderId, ticketId: ticket.id, transferId };
    }),
  );
  return { showtimeId, offers };
}

describe("ticket transfers under races", () => {
  it("100 offers each accepted, cancelled and refunded at once: either the friend has the ticket or the buyer has the money", async () => {
    const { showtimeId, offers } = await openOffers(100);
    // 300 calls at once, in a shuffled order.
    const calls = offers.flatMap((o, i) => [
      { i, kind: "accept", run: () => respondToTransfer(o.transferId, o.friend, "accept") },
      { i, kind: "cancel", run: () => cancelTransfer(o.transferId, o.buyer) },
      { i, kind: "refund", run: () => refundOrder(o.orderId, { userId: o.buyer }) },
    ]);
    calls.sort(() => Math.random() - 0.5);
    const settled = await Promise.allSettled(calls.map((c) => c.run()));
    const outcome = new Map(calls.map((c, k) => [`${c.i}:${c.kind}`, settled[k]!]));
    // Every refusal is a clean CONFLICT (no deadlock, no 500).
    expect(
      settled
        .flatMap((r) => (r.status === "rejected" ? [(r.reason as { code?: string }).code ?? String(r.reason)] : []))
        .filter((c) => c !== "CONFLICT"),
    ).toEqual([]);

    const tickets = new Map(
      (await prisma().ticket.findMany({ where: { id: { in: offers.map((o) => o.ticketId) } } })).map((t) => [t.id, t]),
    );
    const transfers = new Map(
      (await prisma().ticketTransfer.findMany({ where: { id: { in: offers.map((o) => o.transferId) } } })).map((t) => [t.id, t]),
    );
    const orders = new Map((await prisma().order.findMany({ where: { id: { in: offers.map((o) => o.orderId) } } })).map((o) => [o.id, o]));
    let accepted = 0;
    for (const [i, o] of offers.entries()) {
      const [accept, cancel, refund] = (["accept", "cancel", "refund"] as const).map((k) => outcome.get(`${i}:${k}`)!.status);
      const ticket = tickets.get(o.ticketId)!;
      if (accept === "fulfilled") {
        accepted += 1;
        expect([cancel, refund]).toEqual(["rejected", "rejected"]);
        expect([ticket.status, ticket.ownerId, transfers.get(o.transferId)!.status, orders.get(o.orderId)!.status]).toEqual([
          "VALID",
          o.friend.userId,
          "ACCEPTED",
          "PAID",
        ]);
      } else {
        // The buyer kept the ticket until the refund, which always goes through; the cancel may have been beaten by it.
        expect(refund).toBe("fulfilled");
        expect([ticket.status, ticket.ownerId, transfers.get(o.transferId)!.status, orders.get(o.orderId)!.status]).toEqual([
          "CANCELLED",
          o.buyer,
          "CANCELLED",
          "REFUNDED",
        ]);
      }
    }
    expect(await prisma().ledgerEntry.count({ where: { orderId: { in: offers.map((o) => o.orderId) }, type: "REFUND" } })).toBe(
      100 - accepted,
    );
    expect(await auditFailures(showtimeId)).toEqual({});
  });

  it("control: without the offer's row locks, a cancel and an accept of the same offer both go through", async () => {
    const { showtimeId, offers } = await openOffers(4);
    // All 8 read the open offer; the accepts write first, then the cancels overwrite them.
    const lineUp = barrier(8);
    let acceptsDone!: () => void;
    const accepted = new Promise<void>((resolve) => (acceptsDone = resolve));
    const accept: TransferProtections = { transferLock: false, pause: lineUp };
    const cancel: TransferProtections = {
      transferLock: false,
      pause: async () => {
        await lineUp();
        await accepted;
      },
    };
    const cancels = offers.map((o) => cancelTransfer(o.transferId, o.buyer, { protections: cancel }));
    await Promise.all(offers.map((o) => respondToTransfer(o.transferId, o.friend, "accept", { protections: accept })));
    acceptsDone();
    await Promise.all(cancels);
    // Each friend holds a ticket whose offer reads as cancelled.
    expect(
      await prisma().ticket.count({
        where: { id: { in: offers.map((o) => o.ticketId) }, ownerId: { in: offers.map((o) => o.friend.userId) } },
      }),
    ).toBe(4);
    expect(await prisma().ticketTransfer.count({ where: { id: { in: offers.map((o) => o.transferId) }, status: "CANCELLED" } })).toBe(4);
    expect(await auditFailures(showtimeId)).toEqual({ "ticket owner is buyer or transferee": 4 });
  });
});
