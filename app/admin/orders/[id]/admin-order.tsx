"use client";
// The order detail for admins. The order itself (admin.orders.byId) does not name its buyer, so the fan is
// read from the order search by id, and who refunded it from the audit log.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { formatMoney } from "@/server/domain/money";
import { appErrorOf } from "@/app/_components/app-error";
import { Breadcrumbs } from "@/app/_components/breadcrumbs";
import { useTRPC } from "@/app/_trpc/client";
import { OrderStatusBadge } from "../../../_components/order-status";
import { orderSearchHref } from "../../_components/order-search-params";
import { RefundOnBehalf } from "./refund-on-behalf";
import adminStyles from "../../_components/admin.module.css";
import styles from "./order.module.css";
import { ShowtimeWhenWhere } from "@/app/_components/order-facts";
import { TableHead } from "../../../_components/table-head";
import { RetryButton } from "../../../_components/load-error";

const at = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", year: "numeric", hour: "numeric", minute: "2-digit" });

export function AdminOrder({ orderId }: { orderId: string }) {
  const trpc = useTRPC();
  const order = useQuery(trpc.admin.orders.byId.queryOptions({ orderId }));
  const found = useQuery(trpc.admin.orders.search.queryOptions({ query: orderId, limit: 1 }, { enabled: order.isSuccess }));
  const fan = found.data?.items.find((o) => o.id === orderId)?.user ?? null;
  const audit = useQuery(
    trpc.admin.audit.queryOptions({ entityType: "Order", entityId: orderId, limit: 10 }, { enabled: order.isSuccess }),
  );
  const refundEntry = audit.data?.items.find((e) => e.action === "order.refund") ?? null;

  const trail = [
    { href: "/admin", label: "Admin" },
    { href: "/admin/orders", label: "Orders" },
  ];

  if (order.status === "pending") {
    return (
      <>
        <Breadcrumbs trail={trail} current="Order" />
        <div aria-busy="true">
          <p className="visually-hidden" role="status">
            Loading the order…
          </p>
          <div className={`skeleton skeleton-line ${adminStyles.liveSkeletonTitle}`} aria-hidden="true" />
          <div className={`skeleton ${styles.opsOrderSkeleton}`} aria-hidden="true" />
        </div>
      </>
    );
  }
  if (order.status === "error") {
    const error = appErrorOf(order.error);
    const missing = error.code === "NOT_FOUND" || error.code === "BAD_REQUEST" || error.code === "VALIDATION_FAILED";
    return (
      <>
        <Breadcrumbs trail={trail} current="Order" />
        <div className={`empty-state ${styles.opsMissing}`} role="alert">
          <h1>{missing ? "We couldn’t find that order" : "We couldn’t load the order"}</h1>
          <p>{missing ? `No order has the id ${orderId}.` : error.message}</p>
          <p>
            {missing ? (
              <Link href="/admin/orders" className="button">
                Search orders
              </Link>
            ) : (
              <RetryButton retrying={order.isFetching} onRetry={() => void order.refetch()} />
            )}
          </p>
        </div>
      </>
    );
  }

  const o = order.data;
  const { concert, venue } = o.event;
  const n = o.ticketCount;
  const ticketsWord = `${n} ticket${n === 1 ? "" : "s"}`;

  return (
    <>
      <Breadcrumbs trail={trail} current={`Order ${orderId}`} />
      <header className={styles.opsOrderHead}>
        <div>
          <p className="eyebrow">Order</p>
          <h1>{concert.title}</h1>
          <dl className={styles.opsFacts}>
            <ShowtimeWhenWhere startsAt={o.event.startsAt} doorsAt={o.event.doorsAt} venue={venue} />
            <div>
              <dt>Order id</dt>
              <dd className={adminStyles.opsMono}>{o.id}</dd>
            </div>
            <div>
              <dt>Ordered</dt>
              <dd>
                <time dateTime={o.createdAt.toISOString()}>{at.format(o.createdAt)}</time>
              </dd>
            </div>
          </dl>
        </div>
        <OrderStatusBadge status={o.status} />
      </header>

      <div className={styles.opsOrderLayout}>
        <div className="ops-order-main">
          <section className={`card ${adminStyles.opsCard}`} aria-labelledby="fan-title">
            <h2 id="fan-title">Fan</h2>
            {fan ? (
              <>
                <p className={styles.opsFan}>
                  <span className={adminStyles.opsStrong}>{fan.name}</span>
                  <span className={adminStyles.opsSub}>{fan.email}</span>
                </p>
                <p>
                  <Link href={orderSearchHref({ q: fan.email, showtimeId: "", status: "" })}>All orders by this fan</Link>
                </p>
              </>
            ) : found.isError ? (
              <p className="alert alert-error">We couldn’t load who bought this order: {appErrorOf(found.error).message}</p>
            ) : found.isPending ? (
              <div className="skeleton skeleton-line" aria-hidden="true" />
            ) : (
              <p className="muted">We couldn’t tell who bought this order.</p>
            )}
          </section>

          <section className={`card ${adminStyles.opsCard}`} aria-labelledby="tickets-title">
            <h2 id="tickets-title">Tickets</h2>
            <table className={`${adminStyles.opsTable} ${adminStyles.opsTableCompact}`}>
              <caption className="visually-hidden">The order’s tickets and their seats</caption>
              <TableHead columns={["Seat", "Tier", "Price", "Fee", "Ticket"]} numeric={["Price", "Fee"]} />
              <tbody>
                {o.tickets.map((t) => (
                  <tr key={t.id}>
                    <td data-label="Seat">
                      <span className={adminStyles.opsStrong}>
                        Section {t.seat.section}, row {t.seat.row}, seat {t.seat.number}
                      </span>
                    </td>
                    <td data-label="Tier">{t.seat.tier}</td>
                    <td data-label="Price" className="num">
                      {formatMoney(t.priceMinor, t.currency)}
                    </td>
                    <td data-label="Fee" className="num">
                      {formatMoney(t.feeMinor, t.currency)}
                    </td>
                    <td data-label="Ticket">
                      {t.status === "CANCELLED" ? (
                        <span className="badge badge-cancelled">Cancelled</span>
                      ) : t.receivedByTransfer ? (
                        <span className="badge badge-upcoming">Passed on to another fan</span>
                      ) : (
                        <span className="badge badge-on_sale">Valid</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </div>

        <div className="ops-order-side">
          <section className={`card ${adminStyles.opsCard}`} aria-labelledby="payment-title">
            <h2 id="payment-title">Payment</h2>
            <dl className={styles.opsMoney}>
              <div>
                <dt>{ticketsWord}</dt>
                <dd>{formatMoney(o.subtotalMinor, o.currency)}</dd>
              </div>
              <div>
                <dt>Booking fees</dt>
                <dd>{formatMoney(o.feesMinor, o.currency)}</dd>
              </div>
              <div className={styles.opsMoneyTotal}>
                <dt>Paid</dt>
                <dd>{formatMoney(o.payment?.amountMinor ?? o.totalMinor, o.currency)}</dd>
              </div>
            </dl>
            <p className={`muted ${adminStyles.opsNote}`}>
              From the fan’s Onsale wallet
              {o.payment ? (
                <>
                  {" "}
                  on <time dateTime={o.payment.createdAt.toISOString()}>{at.format(o.payment.createdAt)}</time>
                </>
              ) : null}
              .
            </p>
          </section>

          <section className={`card ${adminStyles.opsCard}`} aria-labelledby="refund-title">
            <h2 id="refund-title">Refund</h2>
            <RefundOnBehalf
              order={o}
              fanEmail={fan?.email ?? null}
              refundedBy={refundEntry ? refundEntry.actor.name || refundEntry.actor.email : null}
            />
            <p className={adminStyles.opsNote}>
              <Link href={`/admin/audit?entityType=Order&entityId=${encodeURIComponent(o.id)}`}>Audit log for this order</Link>
            </p>
          </section>
        </div>
      </div>
    </>
  );
}
