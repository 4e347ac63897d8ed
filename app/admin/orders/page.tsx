// Admin order search: by fan email (or part of it), order id, showtime and status. The admin layout checks
// the role; the search itself lives in the URL and is read by the browser (admin.orders.search).
import type { Metadata } from "next";
import { orderSearchHref, readOrderSearch } from "../_components/order-search-params";
import { OrderSearchView } from "./order-search";
import adminStyles from "../_components/admin.module.css";

export const metadata: Metadata = { title: "Orders" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AdminOrdersPage({ searchParams }: Props) {
  const search = readOrderSearch(await searchParams);
  return (
    <>
      <header className={adminStyles.adminHead}>
        <div>
          <h1>Orders</h1>
          <p className="muted">Find a fan’s order by email or order id, or list a showtime’s orders; open one to refund it.</p>
        </div>
      </header>
      {/* A new search remounts the form and the list, so going back restores both. */}
      <OrderSearchView key={orderSearchHref(search)} search={search} />
    </>
  );
}
