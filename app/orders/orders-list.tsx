"use client";
// The fan's orders, a page at a time, with the loading, empty and error states.
import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { formatShowDateTime } from "../_components/format";
import { LocalTime } from "../_components/local-time";
import { useTRPC } from "../_trpc/client";
import { OrderRowCells } from "../_components/order-status";
import styles from "./orders.module.css";
import { LoadMore } from "../_components/load-more";
import { TableHead } from "../_components/table-head";
import { LoadError } from "../_components/load-error";

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
    return <LoadError title="We couldn’t load your orders" query={orders} />;
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
        <TableHead columns={["Concert", "Ordered", "Tickets", "Amount", "Status"]} numeric={["Tickets", "Amount"]} />
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
              <OrderRowCells tickets={o.ticketCount} totalMinor={o.totalMinor} currency={o.currency} status={o.status} />
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
