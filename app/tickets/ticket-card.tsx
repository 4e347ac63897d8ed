"use client";
// One ticket on "My tickets": its QR code (drawn from the ticket's code), the seat and what it cost, the
// way to its order, and passing it to a friend: the form, or the open offer with "Cancel offer". The QR
// stays while an offer is open, because the ticket is still the fan's until the friend accepts.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useRef, useState } from "react";
import type { TicketView } from "@/server/domain/tickets/tickets";
import { formatMoney } from "@/server/domain/money";
import { appErrorOf } from "../_components/app-error";
import { TicketQr } from "../_components/ticket-qr";
import { useTRPC } from "../_trpc/client";
import { SendTicketForm } from "./send-ticket-form";
import { canOffer, formatMoment, seatWords, transferState } from "./tickets-model";
import styles from "./tickets.module.css";
import { SeatFacts } from "../_components/order-facts";

type Props = {
  ticket: TicketView;
  /** ms since the epoch (0 before the clock ticks). */
  now: number;
  announce: (message: string) => void;
};

export function TicketCard({ ticket, now, announce }: Props) {
  const titleId = useId();
  const seat = seatWords(ticket.seat);
  const { currency } = ticket;

  return (
    <article className={`card ${styles.pass}`} aria-labelledby={titleId}>
      <div className={styles.passQr}>
        {ticket.code ? (
          <TicketQr code={ticket.code} seat={seat} />
        ) : (
          <div className={`ticket-qr ${styles.ticketQrVoid}`}>
            <p>No QR code</p>
          </div>
        )}
      </div>
      <div className={styles.passBody}>
        <div className={styles.passHead}>
          <h4 id={titleId}>{seat}</h4>
          {ticket.receivedByTransfer ? <span className="badge badge-gift">Received from a friend</span> : null}
        </div>
        <dl className={styles.passFacts}>
          <SeatFacts seat={ticket.seat} />
          <div>
            <dt>Price</dt>
            <dd>
              {formatMoney(ticket.priceMinor, currency)} <span className="muted">{ticket.seat.tier}</span>
            </dd>
          </div>
        </dl>
        <p className={styles.passMeta}>
          <span className="muted">Booking fee {formatMoney(ticket.feeMinor, currency)}</span>
          {/* The order is the buyer's: a fan who was sent the ticket cannot open it. */}
          {ticket.receivedByTransfer ? null : (
            <Link href={`/orders/${ticket.orderId}`}>
              View order<span className="visually-hidden"> for {seat}</span>
            </Link>
          )}
        </p>
        <PassOn ticket={ticket} seat={seat} now={now} announce={announce} />
      </div>
    </article>
  );
}

function PassOn({ ticket, seat, now, announce }: Props & { seat: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  // Where focus goes once the part it was on is replaced: the open offer after sending, the button after cancelling.
  const focusNext = useRef<"offer" | "send" | null>(null);
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries(trpc.tickets.list.pathFilter()),
      queryClient.invalidateQueries(trpc.tickets.transfers.pathFilter()),
    ]);

  const cancel = useMutation(trpc.tickets.cancelTransfer.mutationOptions({ onSuccess: refresh, onError: () => void refresh() }));

  async function cancelOffer(transferId: string) {
    // Set before the lists are read again, which is when the button comes back.
    focusNext.current = "send";
    try {
      await cancel.mutateAsync({ transferId });
      announce(`Offer cancelled. ${seat} is still yours.`);
    } catch {
      focusNext.current = null;
    }
  }

  const offer = ticket.pendingTransfer;
  const focusIfAsked = (which: "offer" | "send") => (el: HTMLElement | null) => {
    if (el && focusNext.current === which) {
      focusNext.current = null;
      el.focus();
    }
  };

  if (offer && transferState({ status: "PENDING", expiresAt: offer.expiresAt }, now) === "PENDING") {
    return (
      <div className={styles.passOffer}>
        <p className={styles.passOfferLine} tabIndex={-1} ref={focusIfAsked("offer")}>
          Offered to <strong>{offer.toEmail}</strong> until{" "}
          <time dateTime={offer.expiresAt.toISOString()}>{formatMoment(offer.expiresAt)}</time>
        </p>
        <p className={styles.passOfferNote}>It stays yours, QR code and all, until they accept.</p>
        <button
          type="button"
          className="button button-secondary button-small"
          disabled={cancel.isPending}
          onClick={() => void cancelOffer(offer.id)}
        >
          {cancel.isPending ? "Cancelling…" : "Cancel offer"}
          <span className="visually-hidden"> for {seat}</span>
        </button>
        {cancel.isError ? (
          <p className={`alert alert-error ${styles.passSendError}`} role="alert">
            {appErrorOf(cancel.error).message}
          </p>
        ) : null}
      </div>
    );
  }

  if (!canOffer(ticket.event.startsAt, now)) {
    return <p className={styles.passOfferNote}>The show has started, so this ticket can’t be sent on.</p>;
  }

  return (
    <div className={styles.passOffer}>
      {offer ? (
        <p className={styles.passOfferNote}>
          Your offer to {offer.toEmail} ran out at <time dateTime={offer.expiresAt.toISOString()}>{formatMoment(offer.expiresAt)}</time>, so
          the ticket stayed yours.
        </p>
      ) : null}
      {open ? (
        <SendTicketForm
          ticketId={ticket.id}
          seat={seat}
          onSending={() => {
            focusNext.current = "offer";
          }}
          onSent={({ toEmail, expiresAt }) => {
            setOpen(false);
            announce(`Offered ${seat} to ${toEmail} until ${formatMoment(expiresAt)}.`);
          }}
          onClose={() => {
            focusNext.current = "send";
            setOpen(false);
          }}
        />
      ) : (
        <button
          type="button"
          className="button button-secondary button-small pass-send-open"
          ref={focusIfAsked("send")}
          onClick={() => setOpen(true)}
        >
          Send to a friend<span className="visually-hidden">: {seat}</span>
        </button>
      )}
    </div>
  );
}
