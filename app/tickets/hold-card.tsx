"use client";
// One hold on "My tickets": what, when, where, which seats at what price, and how it stands; a live hold
// counts down, links back to its seat map, and can be released with one click.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect } from "react";
import type { MyHold } from "@/server/domain/holds/my-holds";
import { formatMoney } from "@/server/domain/money";
import { appErrorOf } from "../_components/app-error";
import { formatShowDateTime } from "../_components/format";
import { useNow } from "../_components/use-now";
import { sectionLabel } from "../_lib/seat-name";
import { useTRPC } from "../_trpc/client";
import { formatTimeLeft, holdStanding, STANDING_LABEL, type HoldStanding } from "./holds-model";
import styles from "./tickets.module.css";

// The fan's own clock: "held until" and "held at" are moments for them, not for the venue.
const clock = new Intl.DateTimeFormat("en-US", { hour: "numeric", minute: "2-digit" });
const heldAt = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", year: "numeric", hour: "numeric", minute: "2-digit" });

const seatName = (s: MyHold["seats"][number]) => `${sectionLabel(s.section)}, row ${s.row}, seat ${s.number}`;

export function HoldCard({ hold, onReleased }: { hold: MyHold; onReleased: (hold: MyHold) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const standing = holdStanding(hold, useNow());
  const refresh = () => queryClient.invalidateQueries(trpc.holds.mine.pathFilter());

  // Ran out while the page was open: read the list again, so filters and other cards agree with the server.
  const ranOut = hold.live && standing.state === "expired";
  useEffect(() => {
    if (ranOut) void queryClient.invalidateQueries(trpc.holds.mine.pathFilter());
  }, [ranOut, queryClient, trpc]);

  const release = useMutation(
    trpc.holds.release.mutationOptions({
      // Pending until the list is read again, so the button does not come back in between.
      onSuccess: async () => {
        onReleased(hold);
        await refresh();
      },
      onError: () => void refresh(),
    }),
  );

  const { concert, venue } = hold.showtime;
  const titleId = `hold-${hold.id}`;
  const live = standing.state === "live";
  const currency = hold.currency;

  return (
    <article className={`card ${styles.ticketCard}`} aria-labelledby={titleId}>
      <div className="ticket-main">
        <div className={styles.ticketHead}>
          <h3 id={titleId}>
            <Link href={`/concerts/${concert.slug}`}>{concert.title}</Link>
          </h3>
          <span className={`badge badge-hold-${standing.state}`}>{STANDING_LABEL[standing.state]}</span>
        </div>
        {concert.artist !== concert.title ? <p className={styles.ticketArtist}>{concert.artist}</p> : null}
        <dl className={styles.ticketFacts}>
          <div>
            <dt>Show</dt>
            <dd>
              <time dateTime={hold.showtime.startsAt.toISOString()}>{formatShowDateTime(hold.showtime.startsAt, venue.timezone)}</time>
            </dd>
          </div>
          <div>
            <dt>Venue</dt>
            <dd>
              {venue.name}, {venue.city}
            </dd>
          </div>
          <div>
            <dt>Held</dt>
            <dd>
              <time dateTime={hold.createdAt.toISOString()}>{heldAt.format(hold.createdAt)}</time>
            </dd>
          </div>
        </dl>
        <ul className={styles.ticketSeats} aria-label="Seats">
          {hold.seats.map((s) => (
            <li key={s.id}>
              <span className={styles.ticketSeatName}>{seatName(s)}</span>
              <span className={styles.ticketSeatPrice}>
                <span className="muted">{s.tier}</span> {formatMoney(s.priceMinor, s.currency)}
              </span>
            </li>
          ))}
        </ul>
      </div>

      <div className={styles.ticketSide}>
        <StandingLine standing={standing} heldUntil={hold.heldUntil} />
        <dl className={styles.ticketTotals}>
          <div>
            <dt>{hold.seats.length === 1 ? "1 seat" : `${hold.seats.length} seats`}</dt>
            <dd>{formatMoney(hold.subtotalMinor, currency)}</dd>
          </div>
          <div>
            <dt>Booking fees</dt>
            <dd>{formatMoney(hold.feesMinor, currency)}</dd>
          </div>
          <div className={styles.ticketTotal}>
            <dt>Total</dt>
            <dd>{formatMoney(hold.totalMinor, currency)}</dd>
          </div>
        </dl>
        {live ? (
          <div className={styles.ticketActions}>
            <Link href={`/showtimes/${hold.showtime.id}`} className="button button-small">
              Continue with these seats
            </Link>
            <button
              type="button"
              className="button button-secondary button-small"
              disabled={release.isPending}
              onClick={() => release.mutate({ holdId: hold.id })}
            >
              {release.isPending ? "Releasing…" : "Release"}
              <span className="visually-hidden"> seats for {concert.title}</span>
            </button>
          </div>
        ) : null}
        {release.isError ? (
          <p className={`alert alert-error ${styles.ticketError}`} role="alert">
            {appErrorOf(release.error).message}
          </p>
        ) : null}
      </div>
    </article>
  );
}

function StandingLine({ standing, heldUntil }: { standing: HoldStanding; heldUntil: Date }) {
  switch (standing.state) {
    case "live":
      return (
        <p className={styles.ticketStanding}>
          Held until <time dateTime={heldUntil.toISOString()}>{clock.format(heldUntil)}</time>
          {standing.msLeft === null ? null : <> ({formatTimeLeft(standing.msLeft)} left)</>}
        </p>
      );
    case "released":
      return <p className={styles.ticketStanding}>You let these seats go.</p>;
    case "expired":
      return <p className={styles.ticketStanding}>The hold ran out and the seats went back on sale.</p>;
    case "paid":
      return <p className={styles.ticketStanding}>Paid at checkout.</p>;
  }
}
