// Passing a ticket to another fan: a pending offer by email that the recipient accepts (or declines), the
// sender may cancel, and that expires unanswered (a worker job). On acceptance the ticket changes owner
// and gets a new code, so the old QR is void.
import { z } from "zod";
import { prisma, type Db, type DbTx } from "../../db.ts";
import { Prisma } from "../../generated/prisma/client.ts";
import type { TransferStatus } from "../../generated/prisma/enums.ts";
import { AppError } from "../errors.ts";
import { refuseInProduction, type Pause } from "../protections.ts";
import { enqueueTransferExpiry } from "../../queue/queues.ts";
import { ZId } from "../ids.ts";
import { newTicketCode } from "../checkout/checkout.ts";

/** An offer stays open this long, and never past the show's start. */
export const TRANSFER_TTL_MS = 48 * 3_600_000;

export const ZOfferTransferInput = z.strictObject({
  ticketId: ZId,
  toEmail: z.string().trim().toLowerCase().pipe(z.email("Enter the email address of the fan to send it to.")).pipe(z.string().max(254)),
});
export type TOfferTransferInput = z.input<typeof ZOfferTransferInput>;

export type TransferView = {
  id: string;
  status: TransferStatus;
  direction: "incoming" | "outgoing";
  toEmail: string;
  fromName: string;
  expiresAt: Date;
  createdAt: Date;
  respondedAt: Date | null;
  ticket: {
    id: string;
    section: string;
    row: string;
    number: number;
    concertTitle: string;
    startsAt: Date;
    venueName: string;
    timezone: string;
  };
};

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export async function offerTransfer(
  input: TOfferTransferInput,
  fromUserId: string,
  { db = prisma(), now = new Date() }: { db?: Db; now?: Date } = {},
): Promise<{ transferId: string; expiresAt: Date }> {
  const { ticketId, toEmail } = ZOfferTransferInput.parse(input);
  const offer = await db.$transaction(async (tx) => {
    const [ticket] = await tx.$queryRaw<{ ownerId: string; status: string; startsAt: Date; ownerEmail: string }[]>`
      SELECT t."ownerId", t.status::text, st."startsAt", u.email AS "ownerEmail"
      FROM "Ticket" t JOIN "Seat" s ON s.id = t."seatId" JOIN "Showtime" st ON st.id = s."showtimeId" JOIN "User" u ON u.id = t."ownerId"
      WHERE t.id = ${ticketId} FOR UPDATE OF t`;
    if (!ticket || ticket.ownerId !== fromUserId) throw new AppError("NOT_FOUND", "We couldn't find that ticket.");
    if (ticket.status !== "VALID") throw new AppError("CONFLICT", "This ticket was cancelled, so it can't be sent on.");
    if (ticket.startsAt.getTime() <= now.getTime())
      throw new AppError("CONFLICT", "This show has already started, so the ticket can't be sent on.");
    if (ticket.ownerEmail === toEmail) {
      throw new AppError("VALIDATION_FAILED", "That's your own email address.", {
        fieldErrors: { toEmail: ["That's your own email address."] },
      });
    }
    // An offer past its time is over even if the worker has not marked it yet: it must not block a new one.
    await tx.ticketTransfer.updateMany({
      where: { ticketId, status: "PENDING", expiresAt: { lte: now } },
      data: { status: "EXPIRED", respondedAt: now },
    });
    const expiresAt = new Date(Math.min(now.getTime() + TRANSFER_TTL_MS, ticket.startsAt.getTime()));
    try {
      const transfer = await tx.ticketTransfer.create({ data: { ticketId, fromUserId, toEmail, expiresAt }, select: { id: true } });
      return { transferId: transfer.id, expiresAt };
    } catch (err) {
      if ((err as { code?: string }).code === "P2002") {
        throw new AppError("CONFLICT", "This ticket has already been offered to someone. Cancel that offer first.");
      }
      throw err;
    }
  }); // After commit: the job that ends the offer if it is still unanswered (the transfer sweep does the same).
  await enqueueTransferExpiry(offer.transferId, offer.expiresAt);
  return offer;
}

/**
 * Test-only switches (../protections.ts). `transferLock` off: the answer or the cancel reads the offer and
 * its ticket without locking them, runs `pause`, then writes whatever happened meanwhile (the race the
 * row locks prevent: the sender's cancel and the recipient's accept both go through).
 */
export type TransferProtections = { transferLock: boolean; pause?: Pause };

/**
 * Locks a transfer and its ticket, so a cancel, an answer, a new offer and a refund of the ticket take
 * turns. The ticket first, then the offer, in that order as an offer and a refund lock them (a refund:
 * order, tickets, then their offers), so two of them cannot each hold what the other waits for.
 */
async function lockTransfer(tx: Tx, transferId: string, protections: TransferProtections | undefined) {
  const locked = protections?.transferLock !== false;
  if (locked) {
    await tx.$queryRaw`SELECT id FROM "Ticket" WHERE id = (SELECT "ticketId" FROM "TicketTransfer" WHERE id = ${transferId}) FOR UPDATE`;
  }
  const [row] = await tx.$queryRaw<
    { ticketId: string; fromUserId: string; toEmail: string; status: string; expiresAt: Date; ownerId: string; ticketStatus: string }[]
  >`
    SELECT tr."ticketId", tr."fromUserId", tr."toEmail", tr.status::text, tr."expiresAt", t."ownerId", t.status::text AS "ticketStatus"
    FROM "TicketTransfer" tr JOIN "Ticket" t ON t.id = tr."ticketId"
    WHERE tr.id = ${transferId} ${locked ? Prisma.sql`FOR UPDATE OF tr, t` : Prisma.empty}`;
  if (!locked) await protections?.pause?.();
  return row;
}

function assertOpen(status: string, expiresAt: Date, now: Date) {
  if (status === "PENDING" && expiresAt.getTime() <= now.getTime()) throw new AppError("CONFLICT", "This offer has expired.");
  if (status !== "PENDING") throw new AppError("CONFLICT", `This offer is no longer open (${status.toLowerCase()}).`, { status });
}

export async function cancelTransfer(
  transferId: string,
  fromUserId: string,
  { db = prisma(), now = new Date(), protections }: { db?: Db; now?: Date; protections?: TransferProtections } = {},
) {
  refuseInProduction("cancelTransfer", protections);
  const id = ZId.parse(transferId);
  return db.$transaction(async (tx) => {
    const t = await lockTransfer(tx, id, protections);
    if (!t || t.fromUserId !== fromUserId) throw new AppError("NOT_FOUND", "We couldn't find that offer.");
    assertOpen(t.status, t.expiresAt, now);
    await tx.ticketTransfer.update({ where: { id }, data: { status: "CANCELLED", respondedAt: now } });
    return { transferId: id, status: "CANCELLED" as const };
  });
}

/** The recipient (signed in with the offer's email) answers. Accepting moves the ticket and voids the old code. */
export async function respondToTransfer(
  transferId: string,
  recipient: { userId: string; email: string },
  answer: "accept" | "decline",
  { db = prisma(), now = new Date(), protections }: { db?: Db; now?: Date; protections?: TransferProtections } = {},
) {
  refuseInProduction("respondToTransfer", protections);
  const id = ZId.parse(transferId);
  return db.$transaction(async (tx) => {
    const t = await lockTransfer(tx, id, protections);
    if (!t || t.toEmail !== recipient.email.toLowerCase()) throw new AppError("NOT_FOUND", "We couldn't find that offer.");
    assertOpen(t.status, t.expiresAt, now);
    if (answer === "decline") {
      await tx.ticketTransfer.update({ where: { id }, data: { status: "DECLINED", respondedAt: now, toUserId: recipient.userId } });
      return { transferId: id, status: "DECLINED" as const, ticketId: t.ticketId };
    }
    // The offer is void if the ticket changed hands or was cancelled meanwhile.
    if (t.ticketStatus !== "VALID" || t.ownerId !== t.fromUserId) {
      await tx.ticketTransfer.update({ where: { id }, data: { status: "CANCELLED", respondedAt: now } });
      throw new AppError("CONFLICT", "This ticket can no longer be transferred.");
    }
    await tx.ticket.update({ where: { id: t.ticketId }, data: { ownerId: recipient.userId, code: newTicketCode() } });
    await tx.ticketTransfer.update({ where: { id }, data: { status: "ACCEPTED", respondedAt: now, toUserId: recipient.userId } });
    return { transferId: id, status: "ACCEPTED" as const, ticketId: t.ticketId };
  });
}

/** Ends an offer left unanswered past its time; idempotent (the worker's job and sweep both call it). */
export async function expireTransfer(transferId: string, { db = prisma(), now = new Date() }: { db?: DbTx; now?: Date } = {}) {
  const ended = await db.ticketTransfer.updateMany({
    where: { id: transferId, status: "PENDING", expiresAt: { lte: now } },
    data: { status: "EXPIRED", respondedAt: now },
  });
  return { expired: ended.count === 1 };
}

export async function sweepExpiredTransfers({ db = prisma(), now = new Date() }: { db?: DbTx; now?: Date } = {}) {
  const ended = await db.ticketTransfer.updateMany({
    where: { status: "PENDING", expiresAt: { lte: now } },
    data: { status: "EXPIRED", respondedAt: now },
  });
  return { expired: ended.count };
}

/** Offers the fan made and offers made to the fan's email, newest first. */
export async function listTransfers(
  viewer: { userId: string; email: string },
  { db = prisma(), now = new Date(), limit = 50 }: { db?: DbTx; now?: Date; limit?: number } = {},
): Promise<TransferView[]> {
  const rows = await db.ticketTransfer.findMany({
    where: { OR: [{ fromUserId: viewer.userId }, { toEmail: viewer.email.toLowerCase() }] },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: {
      id: true,
      status: true,
      fromUserId: true,
      toEmail: true,
      expiresAt: true,
      createdAt: true,
      respondedAt: true,
      ticket: {
        select: {
          id: true,
          seat: {
            select: {
              venueSeat: { select: { number: true, row: { select: { label: true, section: { select: { name: true } } } } } },
              showtime: {
                select: { startsAt: true, concert: { select: { title: true } }, venue: { select: { name: true, timezone: true } } },
              },
            },
          },
        },
      },
    },
  });
  const senders = new Map(
    (await db.user.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.fromUserId))] } }, select: { id: true, name: true } })).map(
      (u) => [u.id, u.name],
    ),
  );
  return rows.map((r) => {
    const { seat } = r.ticket;
    // An offer past its time reads as expired even before the worker has marked it.
    const status: TransferStatus = r.status === "PENDING" && r.expiresAt.getTime() <= now.getTime() ? "EXPIRED" : r.status;
    return {
      id: r.id,
      status,
      direction: r.fromUserId === viewer.userId ? "outgoing" : "incoming",
      toEmail: r.toEmail,
      fromName: senders.get(r.fromUserId) ?? "A fan",
      expiresAt: r.expiresAt,
      createdAt: r.createdAt,
      respondedAt: r.respondedAt,
      ticket: {
        id: r.ticket.id,
        section: seat.venueSeat.row.section.name,
        row: seat.venueSeat.row.label,
        number: seat.venueSeat.number,
        concertTitle: seat.showtime.concert.title,
        startsAt: seat.showtime.startsAt,
        venueName: seat.showtime.venue.name,
        timezone: seat.showtime.venue.timezone,
      },
    };
  });
}
