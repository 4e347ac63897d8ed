// Tickets and transfers on "My tickets" as plain functions: seats in words, which shows are still ahead,
// tickets grouped by show, the friend's email, and how each transfer reads for the fan looking at it.
import type { TransferStatus } from "@/server/generated/prisma/enums";
import type { ClientAppError } from "../_components/app-error";
import { sectionLabel } from "../_lib/seat-name";

// Offers end at a moment for the fan, not the venue: shown on the fan's own clock (in the browser).
const moment = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" });
const datedMoment = new Intl.DateTimeFormat("en-US", {
  month: "short",
  day: "numeric",
  year: "numeric",
  hour: "numeric",
  minute: "2-digit",
});

/** "Mar 3, 9:12 PM" on the fan's clock (an offer's end, at most two days off). */
export const formatMoment = (date: Date) => moment.format(date);
/** "Mar 3, 2026, 9:12 PM" on the fan's clock (history). */
export const formatDatedMoment = (date: Date) => datedMoment.format(date);

export type SeatRef = { section: string; row: string; number: number };

/** "Section B, row 12, seat 7" (named sections keep their name: "Floor, row 3, seat 14"). */
export function seatWords(seat: SeatRef): string {
  return `${sectionLabel(seat.section)}, row ${seat.row}, seat ${seat.number}`;
}

/**
 * A show stays with the upcoming tickets this long after it starts, so the QR is at hand at the door and
 * through the evening; after that its tickets move to "Past shows".
 */
export const STILL_ON_MS = 6 * 3_600_000;

/** `now` is ms since the epoch; 0 (the clock has not ticked yet) counts every show as ahead. */
export function isUpcoming(startsAt: Date, now: number): boolean {
  return now === 0 || startsAt.getTime() + STILL_ON_MS > now;
}

/** A ticket can be offered to a friend until its show starts (the server's rule, checked there too). */
export function canOffer(startsAt: Date, now: number): boolean {
  return now === 0 || startsAt.getTime() > now;
}

type Listed = { id: string; event: { showtimeId: string; startsAt: Date } };

export type EventGroup<T extends Listed> = { showtimeId: string; event: T["event"]; tickets: T[] };

/** Consecutive-or-not tickets of one show together, shows in the order their first ticket came. */
export function groupByEvent<T extends Listed>(tickets: T[]): EventGroup<T>[] {
  const groups = new Map<string, EventGroup<T>>();
  for (const ticket of tickets) {
    const group = groups.get(ticket.event.showtimeId);
    if (group) group.tickets.push(ticket);
    else groups.set(ticket.event.showtimeId, { showtimeId: ticket.event.showtimeId, event: ticket.event, tickets: [ticket] });
  }
  return [...groups.values()];
}

/** Upcoming and past shows' tickets, each grouped by show; the soonest show first, the latest past show first. */
export function splitByShow<T extends Listed>(tickets: T[], now: number): { upcoming: EventGroup<T>[]; past: EventGroup<T>[] } {
  const seen = new Set<string>();
  const unique = tickets.filter((t) => (seen.has(t.id) ? false : (seen.add(t.id), true)));
  const upcoming = unique.filter((t) => isUpcoming(t.event.startsAt, now));
  const past = unique.filter((t) => !isUpcoming(t.event.startsAt, now));
  return { upcoming: groupByEvent(upcoming), past: groupByEvent(past).reverse() };
}

export const RECIPIENT_REQUIRED = "Enter the email address of the fan to send it to.";
export const RECIPIENT_INVALID = "Enter an email address like name@example.com.";

/** The friend's email as typed: trimmed and lowercased (as the server stores it), or why it cannot be one. */
export function readRecipient(text: string): { ok: true; email: string } | { ok: false; error: string } {
  const email = text.trim().toLowerCase();
  if (email === "") return { ok: false, error: RECIPIENT_REQUIRED };
  if (email.length > 254 || !/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(email)) return { ok: false, error: RECIPIENT_INVALID };
  return { ok: true, email };
}

/**
 * Where the server's refusal of an offer shows: on the email field (a bad or own address) or above the
 * form (the ticket was cancelled, is already offered, the show started, or the network failed).
 */
export function offerRefusal(error: ClientAppError): { field?: string; form?: string } {
  const fields = (error.details?.fieldErrors ?? {}) as Record<string, string[] | undefined>;
  const field = fields.toEmail?.[0];
  if (field) return { field };
  if (error.code === "NETWORK") return { form: "We couldn’t reach Onsale, so the offer may not have been sent. Please try again." };
  return { form: error.message };
}

type TransferLike = { status: TransferStatus; direction: "incoming" | "outgoing"; expiresAt: Date };

/** A pending offer past its time has ended, even before the worker marks it (`now` 0: as the server says). */
export function transferState(t: Pick<TransferLike, "status" | "expiresAt">, now: number): TransferStatus {
  return t.status === "PENDING" && now !== 0 && t.expiresAt.getTime() <= now ? "EXPIRED" : t.status;
}

/** Offers waiting for this fan's answer, and everything else (sent offers, answered ones) as history. */
export function splitTransfers<T extends TransferLike>(transfers: T[], now: number): { offers: T[]; history: T[] } {
  const offers: T[] = [];
  const history: T[] = [];
  for (const t of transfers) {
    if (t.direction === "incoming" && transferState(t, now) === "PENDING") offers.push(t);
    else history.push(t);
  }
  return { offers, history };
}

export const TRANSFER_LABEL: Record<TransferStatus, string> = {
  PENDING: "Pending",
  ACCEPTED: "Accepted",
  DECLINED: "Declined",
  CANCELLED: "Cancelled",
  EXPIRED: "Expired",
};

/** One line on what happened, from the viewer's side: "Sent to ana@example.com · they accepted". */
export function transferSummary(
  t: { direction: "incoming" | "outgoing"; toEmail: string; fromName: string },
  state: TransferStatus,
): string {
  if (t.direction === "outgoing") {
    switch (state) {
      case "PENDING":
        return `Offered to ${t.toEmail}, waiting for an answer`;
      case "ACCEPTED":
        return `Sent to ${t.toEmail}, who accepted it`;
      case "DECLINED":
        return `Offered to ${t.toEmail}, who declined it; the ticket stayed yours`;
      case "CANCELLED":
        return `Offered to ${t.toEmail}, then cancelled; the ticket stayed yours`;
      case "EXPIRED":
        return `Offered to ${t.toEmail}, who didn’t answer in time; the ticket stayed yours`;
    }
  }
  switch (state) {
    case "PENDING":
      return `From ${t.fromName}, waiting for your answer`;
    case "ACCEPTED":
      return `From ${t.fromName}; you accepted it`;
    case "DECLINED":
      return `From ${t.fromName}; you declined it`;
    case "CANCELLED":
      return `From ${t.fromName}; the offer was withdrawn`;
    case "EXPIRED":
      return `From ${t.fromName}; the offer ran out before you answered`;
  }
}
