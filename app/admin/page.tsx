// The dashboard's home: revenue per currency, and the showtimes the admin asks for (upcoming by default) with
// where each sale stands, how many seats are sold and what it took, with the way to edit it and to watch it
// live. The filter lives in the URL: a plain GET form, so a filtered view can be shared and reloaded.
import type { Metadata } from "next";
import Link from "next/link";
import type { DashboardRow as Row, Revenue } from "@/server/domain/admin/dashboard";
import { formatMoney } from "@/server/domain/money";
import { formatCount, formatShowDateTime } from "../_components/format";
import { SaleBadge } from "../_components/sale-badge";
import { loadAdmin } from "./_components/admin-api";
import { LifecycleBadge } from "./_components/badges";
import { dashboardHref, dashboardInput, isFiltered, readDashboardFilter, STATUS_OPTIONS, type DashboardFilter } from "./dashboard-filter";
import adminStyles from "./_components/admin.module.css";
import styles from "./dashboard.module.css";
import { TableHead } from "../_components/table-head";
import { FilterActions } from "./_components/fields";

export const metadata: Metadata = { title: "Dashboard" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AdminHome({ searchParams }: Props) {
  const filter = readDashboardFilter(await searchParams);
  const { rows, revenue, concertCount, venueCount } = await loadAdmin(dashboardHref(filter), (api) =>
    api.admin.dashboard(dashboardInput(filter)),
  );
  const selling = rows.filter((r) => r.status === "ON_SALE" || r.status === "PRESALE");
  const drafts = rows.filter((r) => r.status === "DRAFT");
  const sold = rows.reduce((n, r) => n + r.seats.sold, 0);
  const total = rows.reduce((n, r) => n + r.seats.total, 0);
  const listed = filter.when === "past" ? "Past showtimes" : filter.when === "all" ? "All showtimes" : "Upcoming showtimes";

  return (
    <>
      <div className={adminStyles.adminHead}>
        <div>
          <h1>Dashboard</h1>
          <p className="muted">
            {formatCount(concertCount)} concerts · {formatCount(venueCount)} venues
          </p>
        </div>
        <div className={adminStyles.adminHeadActions}>
          <Link href="/admin/concerts/new" className="button button-small">
            New concert
          </Link>
          <Link href="/admin/venues/new" className="button button-secondary button-small">
            New venue
          </Link>
        </div>
      </div>

      <section className={adminStyles.adminSection} aria-labelledby="revenue-title">
        <div className="section-head">
          <h2 id="revenue-title">Revenue</h2>
          <p>Paid orders, fees included, refunds taken out; each currency on its own.</p>
        </div>
        {revenue.length === 0 ? (
          <p className="muted">No sales yet.</p>
        ) : (
          <dl className={styles.adminStats}>
            {revenue.map((r) => (
              <div key={r.currency} className="card">
                <dt>Revenue in {r.currency}</dt>
                <dd>
                  {formatMoney(r.minor, r.currency)}{" "}
                  <span className="muted">
                    from {formatCount(r.orders)} order{r.orders === 1 ? "" : "s"}
                  </span>
                </dd>
              </div>
            ))}
          </dl>
        )}
      </section>

      <section className={adminStyles.adminSection} aria-labelledby="showtimes-title">
        <div className="section-head">
          <h2 id="showtimes-title">{listed}</h2>
          <p>Times are local to each venue.</p>
        </div>
        <FilterForm filter={filter} />
        <dl className={styles.adminStats}>
          <div className="card">
            <dt>Showtimes listed</dt>
            <dd>{formatCount(rows.length)}</dd>
          </div>
          <div className="card">
            <dt>Selling now</dt>
            <dd>{formatCount(selling.length)}</dd>
          </div>
          <div className="card">
            <dt>Not yet public</dt>
            <dd>{formatCount(drafts.length)}</dd>
          </div>
          <div className="card">
            <dt>Seats sold</dt>
            <dd>
              {formatCount(sold)} <span className="muted">of {formatCount(total)}</span>
            </dd>
          </div>
        </dl>
        {rows.length === 0 ? (
          isFiltered(filter) ? (
            <div className="empty-state">
              <h3>No showtimes match</h3>
              <p>Try other words, another status, or upcoming and past together.</p>
              <p>
                <Link href="/admin" className="button button-secondary">
                  Clear the filter
                </Link>
              </p>
            </div>
          ) : (
            <div className="empty-state">
              <h3>No upcoming showtimes</h3>
              <p>Create a concert, then add a showtime to it at one of your venues.</p>
              <p>
                <Link href="/admin/concerts/new" className="button">
                  New concert
                </Link>
              </p>
            </div>
          )
        ) : (
          <div className={adminStyles.adminTableWrap}>
            <table className={adminStyles.adminTable}>
              <TableHead columns={["When", "Concert and venue", "Status", "Sold", "Revenue"]} actions />
              <tbody>
                {rows.map((r) => (
                  <DashboardRow key={r.id} row={r} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function FilterForm({ filter }: { filter: DashboardFilter }) {
  return (
    <form
      className={`card ${adminStyles.opsFilters} ${styles.adminShowtimeFilter}`}
      role="search"
      aria-label="Filter showtimes"
      method="get"
      action="/admin"
    >
      <div className={`field ${adminStyles.opsFilterQ}`}>
        <label htmlFor="dashboard-q">Concert or venue</label>
        <input
          id="dashboard-q"
          name="q"
          className="input"
          type="search"
          defaultValue={filter.q}
          maxLength={200}
          autoComplete="off"
          placeholder="Title, artist, venue or city"
        />
      </div>
      <div className="field">
        <label htmlFor="dashboard-status">Status</label>
        <select id="dashboard-status" name="status" className="select" defaultValue={filter.status}>
          <option value="">Any status</option>
          {STATUS_OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="dashboard-when">When</label>
        <select id="dashboard-when" name="when" className="select" defaultValue={filter.when}>
          <option value="upcoming">Upcoming</option>
          <option value="past">Past</option>
          <option value="all">Upcoming and past</option>
        </select>
      </div>
      <FilterActions label="Filter" clearHref={isFiltered(filter) ? "/admin" : undefined} />
    </form>
  );
}

function DashboardRow({ row: r }: { row: Row }) {
  const when = formatShowDateTime(r.startsAt, r.venue.timezone);
  const share = r.seats.total > 0 ? r.seats.sold / r.seats.total : 0;
  return (
    <tr>
      <td data-label="When">
        <time dateTime={r.startsAt.toISOString()}>{when}</time>
      </td>
      <td data-label="Concert">
        <Link href={`/admin/concerts/${r.concert.id}`} className={styles.adminStrongLink}>
          {r.concert.title}
        </Link>
        <span className={adminStyles.adminSub}>
          {r.venue.name} · {r.venue.city}
        </span>
      </td>
      <td data-label="Status">
        <StatusCell row={r} />
      </td>
      <td data-label="Sold">
        <div className={styles.adminSold}>
          <span>
            {formatCount(r.seats.sold)} / {formatCount(r.seats.total)}
            {r.seats.held > 0 ? <span className="muted"> · {formatCount(r.seats.held)} held</span> : null}
          </span>
          <span className={styles.adminMeter} aria-hidden="true">
            <span style={{ width: `${Math.min(100, Math.round(share * 100))}%` }} />
          </span>
        </div>
      </td>
      <td data-label="Revenue">
        <RevenueCell revenue={r.revenue} />
      </td>
      <td className={styles.adminRowActions}>
        <Link href={`/admin/showtimes/${r.id}`} className="button button-secondary button-small">
          Edit
          <span className="visually-hidden">
            {" "}
            {r.concert.title} on {when}
          </span>
        </Link>
        <Link href={`/admin/showtimes/${r.id}/live`} className="button button-small">
          Live
          <span className="visually-hidden">
            {" "}
            view of {r.concert.title} on {when}
          </span>
        </Link>
      </td>
    </tr>
  );
}

function RevenueCell({ revenue }: { revenue: Revenue[] }) {
  if (revenue.length === 0) return <span className="muted">None yet</span>;
  return <>{revenue.map((r) => formatMoney(r.minor, r.currency)).join(" · ")}</>;
}

function StatusCell({ row: r }: { row: Row }) {
  if (r.status === "CANCELLED") return <LifecycleBadge status="CANCELLED" />;
  if (r.showtimeStatus === "DRAFT") return <LifecycleBadge status="DRAFT" />;
  if (r.status === "DRAFT") return <LifecycleBadge status="DRAFT" label="Concert is a draft" />;
  return <SaleBadge status={r.status} />;
}
