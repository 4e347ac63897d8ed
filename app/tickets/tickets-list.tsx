"use client";
// The fan's tickets: valid ones grouped by show (soonest first) with "Load more", past shows and cancelled
// tickets folded away below, and the loading, empty and error states. While an offer to pass a ticket on
// is open, the list reads again now and then, so an accepted offer takes the ticket off this page.
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState } from "react";
import type { TicketView } from "@/server/domain/tickets/tickets";
import { dateTileParts, formatShowDateTime, formatTime } from "../_components/format";
import { useNow } from "../_components/use-now";
import { useTRPC } from "../_trpc/client";
import { SectionError } from "./section-error";
import { TicketCard } from "./ticket-card";
import { seatWords, splitByShow, splitTransfers, type EventGroup } from "./tickets-model";
import styles from "./tickets.module.css";
import { LoadMore } from "../_components/load-more";
import { RetryButton } from "../_components/load-error";

const PAGE_SIZE = 10;
const OPEN_OFFER_REFRESH_MS = 30_000;

type Page = { items: TicketView[] };
const hasOpenOffer = (pages: Page[] | undefined) => pages?.some((p) => p.items.some((t) => t.pendingTransfer)) ?? false;

export function TicketsList() {
  const trpc = useTRPC();
  const now = useNow();
  const [announcement, setAnnouncement] = useState("");
  const valid = useInfiniteQuery(
    trpc.tickets.list.infiniteQueryOptions(
      { status: "VALID", limit: PAGE_SIZE },
      {
        getNextPageParam: (page) => page.nextCursor,
        refetchInterval: (query) => (hasOpenOffer(query.state.data?.pages) ? OPEN_OFFER_REFRESH_MS : false),
      },
    ),
  );
  // Shared with the Transfers section (one request): a waiting offer is worth a pointer up here.
  const transfers = useQuery(trpc.tickets.transfers.queryOptions());
  const waiting = transfers.data ? splitTransfers(transfers.data, now).offers.length : 0;

  // A failed background read (the refresh while an offer is open) keeps the tickets already on screen.
  let body;
  if (!valid.data) {
    body =
      valid.status === "error" ? (
        <SectionError what="tickets" error={valid.error} retrying={valid.isFetching} onRetry={() => void valid.refetch()} />
      ) : (
        <TicketsSkeleton />
      );
  } else {
    const { upcoming, past } = splitByShow(
      valid.data.pages.flatMap((p) => p.items),
      now,
    );
    body = (
      <>
        {upcoming.length === 0 && !valid.hasNextPage ? (
          <div className="empty-state">
            <h3>No upcoming tickets</h3>
            <p>Tickets you buy, and tickets friends send you, show up here with their QR codes.</p>
            <p className={styles.ticketsEmptyActions}>
              <Link href="/" className="button">
                Browse concerts
              </Link>
            </p>
          </div>
        ) : (
          <ul className={styles.ticketEvents}>
            {upcoming.map((group) => (
              <EventTickets key={group.showtimeId} group={group} now={now} announce={setAnnouncement} />
            ))}
          </ul>
        )}
        <LoadMore
          pages={valid}
          className={styles.ticketsMore}
          label="Load more"
          errorMessage="We couldn’t load more tickets. Please try again."
        />
        {past.length > 0 ? (
          <details className={styles.ticketsFold}>
            <summary>
              Past shows <span className="muted">({past.reduce((n, g) => n + g.tickets.length, 0)})</span>
            </summary>
            <ul className={styles.ticketEvents}>
              {past.map((group) => (
                <EventTickets key={group.showtimeId} group={group} now={now} announce={setAnnouncement} />
              ))}
            </ul>
          </details>
        ) : null}
        <CancelledTickets />
      </>
    );
  }

  return (
    <>
      <p role="status" className="visually-hidden">
        {announcement}
      </p>
      {waiting > 0 ? (
        <p className={`alert alert-info ${styles.ticketsOfferNotice}`}>
          {waiting === 1 ? "A friend sent you a ticket." : `Friends sent you ${waiting} tickets.`}{" "}
          <a href="#offers-title">Accept or decline {waiting === 1 ? "it" : "them"}</a>
        </p>
      ) : null}
      {body}
    </>
  );
}

function EventTickets({ group, now, announce }: { group: EventGroup<TicketView>; now: number; announce: (message: string) => void }) {
  const headingId = useId();
  const { concert, venue, startsAt, doorsAt } = group.event;
  const tz = venue.timezone;
  const tile = dateTileParts(startsAt, tz);
  const n = group.tickets.length;
  return (
    <li className="ticket-event">
      <div className={styles.ticketEventHead}>
        <div className="date-tile" aria-hidden="true">
          <span className="month">{tile.month}</span>
          <span className="day">{tile.day}</span>
          <span className="weekday">{tile.weekday}</span>
        </div>
        <div className={styles.ticketEventFacts}>
          <h3 id={headingId}>
            <Link href={`/concerts/${concert.slug}`}>{concert.title}</Link>
          </h3>
          {concert.artist !== concert.title ? <p className={styles.ticketArtist}>{concert.artist}</p> : null}
          <p>
            <time dateTime={startsAt.toISOString()}>{formatShowDateTime(startsAt, tz)}</time>
            <span className="muted"> · doors {formatTime(doorsAt, tz)}</span>
          </p>
          <p>
            {venue.name}, {venue.city}
          </p>
        </div>
        <p className={styles.ticketEventCount}>{n === 1 ? "1 ticket" : `${n} tickets`}</p>
      </div>
      <ul className={styles.passes}>
        {group.tickets.map((ticket) => (
          <li key={ticket.id}>
            <TicketCard ticket={ticket} now={now} announce={announce} />
          </li>
        ))}
      </ul>
    </li>
  );
}

/** Refunded orders' tickets: kept for the record, folded away, with no QR code. */
function CancelledTickets() {
  const trpc = useTRPC();
  const cancelled = useInfiniteQuery(
    trpc.tickets.list.infiniteQueryOptions({ status: "CANCELLED", limit: PAGE_SIZE }, { getNextPageParam: (page) => page.nextCursor }),
  );
  if (!cancelled.data) {
    // Still loading: nothing to fold away yet.
    if (cancelled.status !== "error") return null;
    return (
      <p className={styles.ticketsFoldError} role="alert">
        We couldn’t load your cancelled tickets.{" "}
        <RetryButton retrying={cancelled.isFetching} onRetry={() => void cancelled.refetch()} className="link-button" />
      </p>
    );
  }
  const tickets = cancelled.data.pages.flatMap((p) => p.items);
  if (tickets.length === 0) return null;
  return (
    <details className={styles.ticketsFold}>
      <summary>
        Cancelled{" "}
        <span className="muted">
          ({tickets.length}
          {cancelled.hasNextPage ? "+" : ""})
        </span>
      </summary>
      <ul className={styles.cancelledList}>
        {tickets.map((t) => (
          <li key={t.id}>
            <span className="cancelled-what">
              <strong>{t.event.concert.title}</strong>
              <span className="muted"> · {formatShowDateTime(t.event.startsAt, t.event.venue.timezone)}</span>
            </span>
            <span>{seatWords(t.seat)}</span>
            <span className={styles.cancelledEnd}>
              <span className="badge badge-cancelled">Cancelled</span>
              {t.receivedByTransfer ? null : (
                <Link href={`/orders/${t.orderId}`}>
                  View order<span className="visually-hidden"> for {seatWords(t.seat)}</span>
                </Link>
              )}
            </span>
          </li>
        ))}
      </ul>
      {cancelled.hasNextPage ? (
        <div className={styles.ticketsMore}>
          <button
            type="button"
            className="button button-secondary button-small"
            disabled={cancelled.isFetchingNextPage}
            onClick={() => void cancelled.fetchNextPage()}
          >
            {cancelled.isFetchingNextPage ? "Loading…" : "Load more cancelled tickets"}
          </button>
        </div>
      ) : null}
    </details>
  );
}

function TicketsSkeleton() {
  return (
    <div className={styles.ticketEvents} aria-busy="true">
      <p className="visually-hidden">Loading your tickets…</p>
      <div className="ticket-event" aria-hidden="true">
        <div className={styles.ticketEventHead}>
          <div className="skeleton" style={{ width: "5.25rem", height: "5.25rem", borderRadius: 12 }} />
          <div className={styles.ticketEventFacts}>
            <div className="skeleton skeleton-line" style={{ width: "14rem", height: "1.4rem" }} />
            <div className="skeleton skeleton-line" style={{ width: "18rem" }} />
            <div className="skeleton skeleton-line" style={{ width: "10rem" }} />
          </div>
        </div>
        <div className={`card ${styles.pass}`}>
          <div className={styles.passQr}>
            <div className="skeleton ticket-qr" />
          </div>
          <div className={styles.passBody}>
            <div className="skeleton skeleton-line" style={{ width: "60%", height: "1.3rem" }} />
            <div className="skeleton skeleton-line" style={{ width: "80%" }} />
            <div className="skeleton skeleton-line" style={{ width: "40%" }} />
          </div>
        </div>
      </div>
    </div>
  );
}
