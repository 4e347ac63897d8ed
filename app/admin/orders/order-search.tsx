"use client";
// The search form and its results, a page at a time, with the loading, empty and error states.
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { appErrorOf } from "@/app/_components/app-error";
import { formatShowDateTime } from "@/app/_components/format";
import { useTRPC } from "@/app/_trpc/client";
import { OrderRowCells } from "../../_components/order-status";
import { isFiltered, orderSearchHref, searchInput, type OrderSearch, type OrderStatusFilter } from "../_components/order-search-params";
import adminStyles from "../_components/admin.module.css";
import styles from "./orders.module.css";
import { LoadMore } from "../../_components/load-more";
import { TableHead } from "../../_components/table-head";
import { LoadError } from "../../_components/load-error";
import { FilterActions } from "../_components/fields";

const PAGE_SIZE = 20;
const count = new Intl.NumberFormat("en-US");
const ordered = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", year: "numeric", hour: "numeric", minute: "2-digit" });

export function OrderSearchView({ search }: { search: OrderSearch }) {
  return (
    <>
      <SearchForm search={search} />
      <Results search={search} />
    </>
  );
}

function SearchForm({ search }: { search: OrderSearch }) {
  const trpc = useTRPC();
  const router = useRouter();
  const concerts = useQuery(trpc.admin.concerts.list.queryOptions(undefined, { staleTime: 60_000 }));
  const [q, setQ] = useState(search.q);
  const [showtimeId, setShowtimeId] = useState(search.showtimeId);
  const [status, setStatus] = useState<OrderStatusFilter | "">(search.status);
  const known = concerts.data?.some((c) => c.showtimes.some((s) => s.id === showtimeId)) ?? false;

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    router.push(orderSearchHref({ q, showtimeId, status }));
  };

  return (
    <form className={`card ${adminStyles.opsFilters}`} role="search" aria-label="Search orders" onSubmit={submit}>
      <div className={`field ${adminStyles.opsFilterQ}`}>
        <label htmlFor="orders-q">Fan email or order id</label>
        <input
          id="orders-q"
          className="input"
          type="search"
          value={q}
          maxLength={200}
          autoComplete="off"
          spellCheck={false}
          placeholder="e.g. mina@ or an order id"
          onChange={(e) => setQ(e.currentTarget.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="orders-showtime">Showtime</label>
        <select id="orders-showtime" className="select" value={showtimeId} onChange={(e) => setShowtimeId(e.currentTarget.value)}>
          <option value="">All showtimes</option>
          {showtimeId && !known ? <option value={showtimeId}>{concerts.isPending ? "Loading…" : `Showtime ${showtimeId}`}</option> : null}
          {concerts.data?.map((c) =>
            c.showtimes.length > 0 ? (
              <optgroup key={c.id} label={c.title}>
                {c.showtimes.map((s) => (
                  <option key={s.id} value={s.id}>
                    {formatShowDateTime(s.startsAt, s.venue.timezone)} · {s.venue.name}, {s.venue.city}
                    {s.status === "PUBLISHED" ? "" : s.status === "DRAFT" ? " (draft)" : " (cancelled)"}
                  </option>
                ))}
              </optgroup>
            ) : null,
          )}
        </select>
        {concerts.isError ? <p className="field-error">We couldn’t load the showtimes: {appErrorOf(concerts.error).message}</p> : null}
      </div>
      <div className="field">
        <label htmlFor="orders-status">Status</label>
        <select
          id="orders-status"
          className="select"
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value as OrderStatusFilter | "")}
        >
          <option value="">Any status</option>
          <option value="PAID">Paid</option>
          <option value="REFUNDED">Refunded</option>
        </select>
      </div>
      <FilterActions label="Search" clearHref={isFiltered(search) ? "/admin/orders" : undefined} />
    </form>
  );
}

function Results({ search }: { search: OrderSearch }) {
  const trpc = useTRPC();
  const orders = useInfiniteQuery(
    trpc.admin.orders.search.infiniteQueryOptions(searchInput(search, PAGE_SIZE), { getNextPageParam: (page) => page.nextCursor }),
  );

  if (orders.status === "pending") {
    return (
      <div aria-busy="true" className={styles.opsResults}>
        <p className="visually-hidden" role="status">
          Searching orders…
        </p>
        {[0, 1, 2, 3].map((i) => (
          <div key={i} className={`skeleton ${adminStyles.opsRowSkeleton}`} aria-hidden="true" />
        ))}
      </div>
    );
  }
  if (orders.status === "error") {
    return <LoadError title="We couldn’t search the orders" query={orders} className={styles.opsResults} />;
  }
  const items = orders.data.pages.flatMap((p) => p.items);
  if (items.length === 0) {
    return (
      <div className={`empty-state ${styles.opsResults}`}>
        <h2>{isFiltered(search) ? "No orders match" : "No orders yet"}</h2>
        <p>
          {isFiltered(search)
            ? "Check the spelling of the email, paste the whole order id, or widen the showtime and status."
            : "Orders appear here as soon as fans pay."}
        </p>
      </div>
    );
  }
  return (
    <section className={styles.opsResults} aria-labelledby="orders-results-title">
      <div className={styles.opsResultsHead}>
        <h2 id="orders-results-title">Results</h2>
        <p className="muted" role="status">
          {count.format(items.length)} order{items.length === 1 ? "" : "s"}
          {orders.hasNextPage ? " so far" : ""}, newest first
        </p>
      </div>
      <table className={adminStyles.opsTable}>
        <caption className="visually-hidden">Orders matching the search, newest first</caption>
        <TableHead columns={["Order", "Fan", "Event", "Tickets", "Amount", "Status"]} numeric={["Tickets", "Amount"]} />
        <tbody>
          {items.map((o) => (
            <tr key={o.id}>
              <td data-label="Order">
                <Link href={`/admin/orders/${o.id}`} className={adminStyles.opsStrong}>
                  <time dateTime={o.createdAt.toISOString()}>{ordered.format(o.createdAt)}</time>
                </Link>
                <span className={`${adminStyles.opsSub} ${adminStyles.opsMono}`}>{o.id}</span>
              </td>
              <td data-label="Fan">
                <span className={adminStyles.opsStrong}>{o.user.name}</span>
                <span className={adminStyles.opsSub}>{o.user.email}</span>
              </td>
              <td data-label="Event">
                <span className={adminStyles.opsStrong}>{o.showtime.concert.title}</span>
                <span className={adminStyles.opsSub}>
                  {formatShowDateTime(o.showtime.startsAt, o.showtime.venue.timezone)} · {o.showtime.venue.name}
                </span>
              </td>
              <OrderRowCells tickets={o._count.tickets} totalMinor={o.totalMinor} currency={o.currency} status={o.status} />
            </tr>
          ))}
        </tbody>
      </table>
      <LoadMore
        pages={orders}
        className={adminStyles.opsMore}
        label="Show more orders"
        errorMessage="We couldn’t load more orders. Please try again."
      />
    </section>
  );
}
