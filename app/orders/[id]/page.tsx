// One order: the confirmation right after paying (?new=1), the tickets with their QR codes, the payment,
// and the refund while the show's cutoff allows it. Another fan's order reads as missing.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { getSession } from "@/server/auth";
import { serverApi } from "@/server/api/server";
import type { TicketView } from "@/server/domain/tickets/tickets";
import { formatMoney } from "@/server/domain/money";
import { Breadcrumbs } from "../../_components/breadcrumbs";
import { formatShowDateTime } from "../../_components/format";
import { LocalTime } from "../../_components/local-time";
import { isMissing } from "../../_components/trpc-errors";
import { OrderStatusBadge } from "../../_components/order-status";
import { seatName } from "../../_lib/seat-name";
import { RefundPanel } from "./refund-panel";
import { ticketQrSvg } from "../../_components/ticket-qr";
import styles from "./order.module.css";
import { SeatFacts, ShowtimeWhenWhere } from "../../_components/order-facts";

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

const loadOrder = cache(async (orderId: string) => {
  if (!(await getSession())) redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/orders/${orderId}`)}`);
  try {
    return await (await serverApi()).orders.byId({ orderId });
  } catch (error) {
    if (isMissing(error)) notFound();
    throw error;
  }
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const order = await loadOrder((await params).id);
  return { title: `Order — ${order.event.concert.title}` };
}

export default async function OrderPage({ params, searchParams }: Props) {
  const { id } = await params;
  const isNew = (await searchParams).new === "1";
  const order = await loadOrder(id);
  const { concert, venue } = order.event;
  const tz = venue.timezone;
  const tickets = order.tickets.map((t) => ({ ticket: t, qr: t.code ? ticketQrSvg(t.code, seatName(t.seat)) : null }));
  const n = order.ticketCount;
  const ticketsWord = `${n} ticket${n === 1 ? "" : "s"}`;
  const refunded = order.status === "REFUNDED";
  // A valid ticket whose code the buyer cannot see is another fan's now; that, or the cutoff, stops a refund.
  const givenAway = order.tickets.some((t) => t.status === "VALID" && t.code === null);

  return (
    <>
      <Breadcrumbs trail={[{ href: "/orders", label: "Orders" }]} current={concert.title} />

      {isNew && !refunded ? (
        <section className={`card ${styles.orderConfirm}`} aria-labelledby="order-title">
          <p className="eyebrow">Payment complete</p>
          <h1 id="order-title">You’re going!</h1>
          <p>
            Your {ticketsWord} for <strong>{concert.title}</strong> {n === 1 ? "is" : "are"} below. Show the QR code at the door; you can
            also find {n === 1 ? "it" : "them"} in <Link href="/tickets">My tickets</Link>.
          </p>
        </section>
      ) : null}

      <header className={styles.orderHeader} data-testid="order-header">
        <div>
          <p className="eyebrow">Order</p>
          {isNew && !refunded ? (
            <h2 className={styles.orderTitle}>{concert.title}</h2>
          ) : (
            <h1 id="order-title" className={styles.orderTitle}>
              {concert.title}
            </h1>
          )}
          {concert.artist !== concert.title ? <p className={styles.orderArtist}>{concert.artist}</p> : null}
          <dl className={styles.orderFacts}>
            <ShowtimeWhenWhere startsAt={order.event.startsAt} doorsAt={order.event.doorsAt} venue={venue} />
          </dl>
        </div>
        <OrderStatusBadge status={order.status} />
      </header>

      <div className={styles.orderLayout}>
        <section aria-labelledby="tickets-title" className="order-tickets-section">
          <h2 id="tickets-title">Tickets</h2>
          <ul className={styles.orderTickets}>
            {tickets.map(({ ticket, qr }) => (
              <li key={ticket.id} className={`card ${styles.orderTicket}`}>
                <TicketQr ticket={ticket} qr={qr} />
                <div className={styles.orderTicketBody}>
                  <h3>{seatName(ticket.seat)}</h3>
                  <dl className={styles.orderTicketFacts}>
                    <SeatFacts seat={ticket.seat} />
                    <div>
                      <dt>Price</dt>
                      <dd>{formatMoney(ticket.priceMinor, ticket.currency)}</dd>
                    </div>
                    <div>
                      <dt>Booking fee</dt>
                      <dd>{formatMoney(ticket.feeMinor, ticket.currency)}</dd>
                    </div>
                    {ticket.seat.tier !== ticket.seat.section ? (
                      <div>
                        <dt>Tier</dt>
                        <dd>{ticket.seat.tier}</dd>
                      </div>
                    ) : null}
                  </dl>
                </div>
              </li>
            ))}
          </ul>
        </section>

        <div className={styles.orderSide}>
          <section aria-labelledby="payment-title" className={`card ${styles.orderCard}`}>
            <h2 id="payment-title">Payment</h2>
            <dl className="money-lines">
              <div>
                <dt>{ticketsWord}</dt>
                <dd>{formatMoney(order.subtotalMinor, order.currency)}</dd>
              </div>
              <div>
                <dt>Booking fees</dt>
                <dd>{formatMoney(order.feesMinor, order.currency)}</dd>
              </div>
              <div className="money-total">
                <dt>{refunded ? "Paid" : "Total paid"}</dt>
                <dd>{formatMoney(order.payment?.amountMinor ?? order.totalMinor, order.currency)}</dd>
              </div>
            </dl>
            <p className={`muted ${styles.orderPaidAt}`}>
              From your Onsale wallet on <LocalTime date={order.payment?.createdAt ?? order.createdAt} />.
            </p>
          </section>

          <section aria-labelledby="refund-title" className={`card ${styles.orderCard}`}>
            <h2 id="refund-title">{refunded ? "Refunded" : "Cancel for a refund"}</h2>
            {refunded ? (
              <>
                <p>
                  {order.refundReason ? "Onsale cancelled this order for you" : "This order was cancelled"}
                  {order.refundedAt ? (
                    <>
                      {" "}
                      on <LocalTime date={order.refundedAt} />
                    </>
                  ) : null}
                  . {formatMoney(order.totalMinor, order.currency)} went back to your wallet, and its tickets no longer work.
                </p>
                {order.refundReason ? (
                  <p className="refund-reason">
                    <strong>Why:</strong> {order.refundReason}
                  </p>
                ) : null}
                <p>
                  <Link href="/wallet">See your wallet</Link>
                </p>
              </>
            ) : order.canRefund && order.refundableUntil ? (
              <RefundPanel
                orderId={order.id}
                amount={formatMoney(order.totalMinor, order.currency)}
                ticketsWord={ticketsWord}
                until={formatShowDateTime(order.refundableUntil, tz)}
                untilIso={order.refundableUntil.toISOString()}
              />
            ) : givenAway ? (
              <p>This order can’t be cancelled, because one of its tickets now belongs to someone else.</p>
            ) : (
              <p>
                Refunds for this show closed
                {order.refundableUntil ? (
                  <>
                    {" "}
                    on <time dateTime={order.refundableUntil.toISOString()}>{formatShowDateTime(order.refundableUntil, tz)}</time>
                  </>
                ) : null}
                .
              </p>
            )}
          </section>
        </div>
      </div>
    </>
  );
}

function TicketQr({ ticket, qr }: { ticket: TicketView; qr: string | null }) {
  if (qr) {
    // The SVG is drawn by the qrcode package from the ticket's code (base64url), with an escaped label.
    return <div className={styles.orderTicketQr} dangerouslySetInnerHTML={{ __html: qr }} />;
  }
  return (
    <div className={`${styles.orderTicketQr} ${styles.orderTicketQrVoid}`}>
      <p>{ticket.status === "CANCELLED" ? "Cancelled: this ticket no longer admits anyone." : "Passed on to another fan."}</p>
    </div>
  );
}
