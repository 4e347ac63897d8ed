"use client";
// The fan's orders, a page at a time, with the loading, empty and error states.
import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { formatMoney } from "@/server/domain/money";
import { appErrorOf } from "../_components/app-error";
import { formatShowDateTime } from "../_components/format";
import { LocalTime } from "../_components/local-time";
import { useTRPC } from "../_trpc/client";
import { OrderStatusBadge } from "../_components/order-status";
import styles from "./orders.module.css";
import { LoadMore } from "../_components/load-more";

const PAGE_SIZE = 10;

export function OrdersList() {
  const trpc = useTRPC();
  const orders = useInfiniteQuery(
    trpc.orders.list.infiniteQueryOptions({ limit: PAGE_SIZE }, { getNextPageParam: (page) => page.nextCursor }),
  );

  if (orders.status === "pending") {
    return (
      <div aria-busy="true">
        <p className="visually-hidden">Loading your orders…</p>
        {[0, 1, 2].map((i) => (
          <div key={i} className="skeleton skeleton-line ledger-skeleton" aria-hidden="true" />
        ))}
      </div>
    );
  }
  if (orders.status === "error") {
    return (
      <div className="empty-state" role="alert">
        <h2>We couldn’t load your orders</h2>
        <p>{appErrorOf(orders.error).message}</p>
        <p>
          <button type="button" className="button" disabled={orders.isFetching} onClick={() => void orders.refetch()}>
            {orders.isFetching ? "Retrying…" : "Try again"}
          </button>
        </p>
      </div>
    );
  }
  const items = orders.data.pages.flatMap((p) => p.items);
  if (items.length === 0) {
    return (
      <div className="empty-state">
        <h2>No orders yet</h2>
        <p>When you buy tickets, your orders and payments show up here.</p>
        <p>
          <Link href="/" className="button">
            Browse concerts
          </Link>
        </p>
      </div>
    );
  }
  return (
    <>
      <table className={`money-table ${styles.ordersTable}`}>
        <caption className="visually-hidden">Your orders, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Concert</th>
            <th scope="col">Ordered</th>
            <th scope="col" className="num">
              Tickets
            </th>
            <th scope="col" className="num">
              Amount
            </th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {items.map((o) => (
            <tr key={o.id}>
              <td data-label="Concert">
                <Link href={`/orders/${o.id}`} className={styles.ordersTitle}>
                  {o.event.concert.title}
                </Link>
                <span className={`${styles.ordersEvent} muted`}>
                  {formatShowDateTime(o.event.startsAt, o.event.venue.timezone)} · {o.event.venue.name}, {o.event.venue.city}
                </span>
              </td>
              <td data-label="Ordered">
                <LocalTime date={o.createdAt} />
              </td>
              <td data-label="Tickets" className="num">
                {o.ticketCount}
              </td>
              <td data-label="Amount" className="num">
                {formatMoney(o.totalMinor, o.currency)}
              </td>
              <td data-label="Status">
                <OrderStatusBadge status={o.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <LoadMore
        pages={orders}
        className="list-more"
        label="Show older orders"
        errorMessage="We couldn’t load more orders. Please try again."
      />
    </>
  );
}
