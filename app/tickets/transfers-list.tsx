"use client";
// Transfers on "My tickets": offers friends made to this fan's email, to accept (the ticket joins Tickets
// with a new QR code) or decline, and the history of offers both ways. Reads again now and then while an
// offer is open, so an answer from the other side shows up without a reload.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import type { TransferView } from "@/server/domain/tickets/transfers";
import { appErrorOf } from "../_components/app-error";
import { formatShowDateTime } from "../_components/format";
import { useNow } from "../_components/use-now";
import { useTRPC } from "../_trpc/client";
import { SectionError } from "./section-error";
import {
  formatDatedMoment,
  formatMoment,
  seatWords,
  splitTransfers,
  TRANSFER_LABEL,
  transferState,
  transferSummary,
} from "./tickets-model";
import styles from "./tickets.module.css";

const OPEN_OFFER_REFRESH_MS = 30_000;

export function TransfersList() {
  const trpc = useTRPC();
  const now = useNow();
  const [announcement, setAnnouncement] = useState("");
  const [failure, setFailure] = useState<string | null>(null);
  const transfers = useQuery(
    trpc.tickets.transfers.queryOptions(undefined, {
      refetchInterval: (query) => (query.state.data?.some((t) => t.status === "PENDING") ? OPEN_OFFER_REFRESH_MS : false),
    }),
  );

  // A failed background read keeps what is on screen; only a first read that fails takes the section's place.
  if (!transfers.data && transfers.status === "error") {
    return (
      <SectionError what="transfers" error={transfers.error} retrying={transfers.isFetching} onRetry={() => void transfers.refetch()} />
    );
  }

  const split = transfers.data ? splitTransfers(transfers.data, now) : null;

  return (
    <>
      <p role="status" className="visually-hidden">
        {announcement}
      </p>
      <div className={styles.transfersPart}>
        <h3 id="offers-title">Offers for you</h3>
        {failure ? (
          <p className="alert alert-error" role="alert">
            {failure}
          </p>
        ) : null}
        {!split ? (
          <TransfersSkeleton what="offers" />
        ) : split.offers.length === 0 ? (
          <div className="empty-state empty-state-small">
            <p>
              <strong>No offers waiting.</strong> When a friend sends you a ticket, it shows up here for you to accept.
            </p>
          </div>
        ) : (
          <ul className={styles.offerList}>
            {split.offers.map((t) => (
              <li key={t.id}>
                <OfferCard
                  transfer={t}
                  onAnswered={(message) => {
                    setFailure(null);
                    setAnnouncement(message);
                  }}
                  onFailed={setFailure}
                />
              </li>
            ))}
          </ul>
        )}
      </div>

      <div className={styles.transfersPart}>
        <h3 id="transfer-history-title">History</h3>
        {!split ? (
          <TransfersSkeleton what="history" />
        ) : split.history.length === 0 ? (
          <div className="empty-state empty-state-small">
            <p>
              <strong>No transfers yet.</strong> Tickets you send to friends, and tickets they send you, are listed here.
            </p>
          </div>
        ) : (
          <ul className={styles.transferHistory} aria-labelledby="transfer-history-title">
            {split.history.map((t) => (
              <HistoryItem key={t.id} transfer={t} now={now} />
            ))}
          </ul>
        )}
      </div>
    </>
  );
}

function OfferCard({
  transfer: t,
  onAnswered,
  onFailed,
}: {
  transfer: TransferView;
  onAnswered: (message: string) => void;
  onFailed: (message: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const fromId = useId();
  const titleId = useId();
  const seat = seatWords(t.ticket);
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries(trpc.tickets.list.pathFilter()),
      queryClient.invalidateQueries(trpc.tickets.transfers.pathFilter()),
    ]);
  // The offer may have been withdrawn or run out meanwhile: say so, and read the lists again.
  const failed = (verb: string) => (error: unknown) => {
    onFailed(`We couldn’t ${verb} the ticket from ${t.fromName}: ${appErrorOf(error).message}`);
    void refresh();
  };

  const accept = useMutation(
    trpc.tickets.acceptTransfer.mutationOptions({
      onSuccess: async () => {
        await refresh();
        onAnswered(`${seat} for ${t.ticket.concertTitle} is yours now. It’s under Tickets, with a new QR code.`);
      },
      onError: failed("accept"),
    }),
  );
  const decline = useMutation(
    trpc.tickets.declineTransfer.mutationOptions({
      onSuccess: async () => {
        await refresh();
        onAnswered(`You declined the ticket from ${t.fromName}.`);
      },
      onError: failed("decline"),
    }),
  );
  const busy = accept.isPending || decline.isPending;

  return (
    <article className={`card ${styles.offerCard}`} aria-labelledby={`${fromId} ${titleId}`}>
      <p className={styles.offerFrom} id={fromId}>
        From {t.fromName}
      </p>
      <h4 id={titleId}>{t.ticket.concertTitle}</h4>
      <p className={styles.offerSeat}>{seat}</p>
      <p className="muted">
        <time dateTime={t.ticket.startsAt.toISOString()}>{formatShowDateTime(t.ticket.startsAt, t.ticket.timezone)}</time> ·{" "}
        {t.ticket.venueName}
      </p>
      <p className={styles.offerExpiry}>
        Answer by <time dateTime={t.expiresAt.toISOString()}>{formatMoment(t.expiresAt)}</time>
      </p>
      <div className={styles.offerActions}>
        <button type="button" className="button button-small" disabled={busy} onClick={() => accept.mutate({ transferId: t.id })}>
          {accept.isPending ? "Accepting…" : "Accept"}
          <span className="visually-hidden"> the ticket from {t.fromName}</span>
        </button>
        <button
          type="button"
          className="button button-secondary button-small"
          disabled={busy}
          onClick={() => decline.mutate({ transferId: t.id })}
        >
          {decline.isPending ? "Declining…" : "Decline"}
          <span className="visually-hidden"> the ticket from {t.fromName}</span>
        </button>
      </div>
    </article>
  );
}

function HistoryItem({ transfer: t, now }: { transfer: TransferView; now: number }) {
  const state = transferState(t, now);
  const when = state === "PENDING" ? null : (t.respondedAt ?? (state === "EXPIRED" ? t.expiresAt : null));
  return (
    <li className={styles.transferItem}>
      <span className={`badge badge-transfer-${state.toLowerCase()}`}>{TRANSFER_LABEL[state]}</span>
      <div className={styles.transferWhat}>
        <p className="transfer-ticket">
          <strong>{t.ticket.concertTitle}</strong> · {seatWords(t.ticket)}
        </p>
        <p className={styles.transferSummary}>{transferSummary(t, state)}</p>
      </div>
      <p className={`${styles.transferWhen} muted`}>
        {state === "PENDING" ? (
          <>
            Open until <time dateTime={t.expiresAt.toISOString()}>{formatMoment(t.expiresAt)}</time>
          </>
        ) : when ? (
          <time dateTime={when.toISOString()}>{formatDatedMoment(when)}</time>
        ) : (
          <>
            Offered <time dateTime={t.createdAt.toISOString()}>{formatDatedMoment(t.createdAt)}</time>
          </>
        )}
      </p>
    </li>
  );
}

function TransfersSkeleton({ what }: { what: string }) {
  return (
    <div aria-busy="true">
      <p className="visually-hidden">Loading your {what}…</p>
      <div aria-hidden="true">
        <div className="skeleton skeleton-line" style={{ width: "70%" }} />
        <div className="skeleton skeleton-line" style={{ width: "45%" }} />
      </div>
    </div>
  );
}
