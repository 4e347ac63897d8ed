// Ticket transfers on PostgreSQL: offer, accept (new owner, new code), decline, cancel, expiry, and the
// refusals; both fans see the transfer in their history.
import { describe, expect, it } from "vitest";
import { prisma } from "../../db.ts";
import { makeConcert, makeUser } from "../../test/factories.ts";
import { checkoutHold } from "../checkout/checkout.ts";
import { refundOrder } from "../checkout/refund.ts";
import { holdSeats } from "../holds/holds.ts";
import { topUpWallet } from "../wallet/wallet.ts";
import { listMyTickets } from "./tickets.ts";
import { cancelTransfer, expireTransfer, listTransfers, offerTransfer, respondToTransfer, sweepExpiredTransfers } from "./transfers.ts";

/** A fan with one paid ticket for a show in `inDays` days. */
async function ticketHolder(inDays = 10) {
  const showtimeId = (await makeConcert({ showtimes: [{ inDays }] })).showtimes[0]!.id;
  const fan = await makeUser();
  const seat = await prisma.seat.findFirstOrThrow({ where: { showtimeId }, select: { id: true } });
  const hold = await holdSeats({ showtimeId, seatIds: [seat.id] }, { userId: fan.id, client: "web", ip: "127.0.0.1" });
  await topUpWallet(fan.id, { currency: "KRW", amountMinor: 500_000, idempotencyKey: `t-${crypto.randomUUID()}` });
  const order = await checkoutHold({ userId: fan.id, showtimeId, holdId: hold.holdId, idempotencyKey: `p-${crypto.randomUUID()}` });
  const ticket = await prisma.ticket.findFirstOrThrow({ where: { orderId: order.orderId } });
  return { fan, ticket, order, showtimeId };
}

const asRecipient = (u: { id: string; email: string }) => ({ userId: u.id, email: u.email });

describe("ticket transfers", () => {
  it("moves an accepted ticket to the recipient with a new code, and both see it in their history", async () => {
    const { fan, ticket } = await ticketHolder();
    const friend = await makeUser();
    const offer = await offerTransfer(fan.id, { ticketId: ticket.id, toEmail: `  ${friend.email.toUpperCase()} ` });
    // One open offer per ticket.
    await expect(offerTransfer(fan.id, { ticketId: ticket.id, toEmail: "someone@example.test" })).rejects.toMatchObject({ code: "CONFLICT" });
    // Only the addressee can answer; to anyone else the offer does not exist.
    const stranger = await makeUser();
    await expect(respondToTransfer(offer.transferId, asRecipient(stranger), "accept")).rejects.toMatchObject({ code: "NOT_FOUND" });

    expect(await respondToTransfer(offer.transferId, asRecipient(friend), "accept")).toMatchObject({ status: "ACCEPTED" });
    const moved = await prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(moved.ownerId).toBe(friend.id);
    expect(moved.code).not.toBe(ticket.code);
    expect((await listMyTickets(fan.id)).items).toEqual([]);
    expect((await listMyTickets(friend.id)).items).toMatchObject([{ id: ticket.id, code: moved.code, receivedByTransfer: true }]);
    expect(await listTransfers(asRecipient(fan))).toMatchObject([{ id: offer.transferId, direction: "outgoing", status: "ACCEPTED" }]);
    expect(await listTransfers(asRecipient(friend))).toMatchObject([{ id: offer.transferId, direction: "incoming", status: "ACCEPTED" }]);
    // Accepting twice, or the sender cancelling afterwards, is refused.
    await expect(respondToTransfer(offer.transferId, asRecipient(friend), "accept")).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(cancelTransfer(offer.transferId, fan.id)).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("lets the sender cancel and the recipient decline; the ticket stays with the sender", async () => {
    const { fan, ticket } = await ticketHolder();
    const friend = await makeUser();
    const first = await offerTransfer(fan.id, { ticketId: ticket.id, toEmail: friend.email });
    await expect(cancelTransfer(first.transferId, friend.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await cancelTransfer(first.transferId, fan.id);
    const second = await offerTransfer(fan.id, { ticketId: ticket.id, toEmail: friend.email });
    await respondToTransfer(second.transferId, asRecipient(friend), "decline");
    expect(await prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).toMatchObject({ ownerId: fan.id, code: ticket.code });
  });

  it("expires unanswered offers by job or sweep, once, and the ticket stays put", async () => {
    const { fan, ticket } = await ticketHolder();
    const friend = await makeUser();
    const offer = await offerTransfer(fan.id, { ticketId: ticket.id, toEmail: friend.email });
    expect(await expireTransfer(offer.transferId)).toEqual({ expired: false });
    const later = new Date(offer.expiresAt.getTime() + 1);
    await expect(respondToTransfer(offer.transferId, asRecipient(friend), "accept", { now: later })).rejects.toMatchObject({ code: "CONFLICT" });
    const racing = await Promise.all([expireTransfer(offer.transferId, { now: later }), sweepExpiredTransfers({ now: later })]);
    expect((racing[0].expired ? 1 : 0) + racing[1].expired).toBe(1);
    expect(await prisma.ticketTransfer.findUniqueOrThrow({ where: { id: offer.transferId } })).toMatchObject({ status: "EXPIRED" });
    expect(await prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).toMatchObject({ ownerId: fan.id });
  });

  it("lets a new offer replace one past its time that no worker has marked yet", async () => {
    const { fan, ticket } = await ticketHolder();
    const friend = await makeUser();
    const first = await offerTransfer(fan.id, { ticketId: ticket.id, toEmail: friend.email });
    const later = new Date(first.expiresAt.getTime() + 1);
    const second = await offerTransfer(fan.id, { ticketId: ticket.id, toEmail: friend.email }, { now: later });
    expect(second.transferId).not.toBe(first.transferId);
    expect(await prisma.ticketTransfer.findUniqueOrThrow({ where: { id: first.transferId } })).toMatchObject({ status: "EXPIRED" });
  });

  it("refuses cancelled, someone else's, past-show and self transfers, and a refund ends an open offer", async () => {
    const { fan, ticket, order } = await ticketHolder();
    const friend = await makeUser();
    await expect(offerTransfer(friend.id, { ticketId: ticket.id, toEmail: "x@example.test" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(offerTransfer(fan.id, { ticketId: ticket.id, toEmail: fan.email })).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    await expect(offerTransfer(fan.id, { ticketId: ticket.id, toEmail: "not an email" })).rejects.toThrow(/email/);
    const offer = await offerTransfer(fan.id, { ticketId: ticket.id, toEmail: friend.email });
    await refundOrder(order.orderId, { userId: fan.id });
    expect(await prisma.ticketTransfer.findUniqueOrThrow({ where: { id: offer.transferId } })).toMatchObject({ status: "CANCELLED" });
    await expect(offerTransfer(fan.id, { ticketId: ticket.id, toEmail: friend.email })).rejects.toMatchObject({ code: "CONFLICT", message: /cancelled/ });

    const past = await ticketHolder(1);
    const showDay = new Date(Date.now() + 2 * 86_400_000);
    await expect(offerTransfer(past.fan.id, { ticketId: past.ticket.id, toEmail: friend.email }, { now: showDay })).rejects.toMatchObject({
      code: "CONFLICT",
      message: /already started/,
    });
  });

  it("refuses a refund of an order whose ticket now belongs to someone else", async () => {
    const { fan, ticket, order } = await ticketHolder();
    const friend = await makeUser();
    const offer = await offerTransfer(fan.id, { ticketId: ticket.id, toEmail: friend.email });
    await respondToTransfer(offer.transferId, asRecipient(friend), "accept");
    await expect(refundOrder(order.orderId, { userId: fan.id })).rejects.toMatchObject({ code: "CONFLICT" });
  });
});
