// The dashboard's home: every upcoming showtime with where its sale stands and how many seats are sold,
// with the way to edit it and to watch it live.
import type { Metadata } from "next";
import Link from "next/link";
import type { ShowtimeSummary } from "@/server/domain/catalog/concerts";
import { formatCount, formatShowDateTime } from "../_components/format";
import { SaleBadge } from "../_components/sale-badge";
import { loadAdmin, type AdminApi } from "./_components/admin-api";
import { LifecycleBadge } from "./_components/badges";

export const metadata: Metadata = { title: "Dashboard" };

type Seats = { sold: number; held: number; total: number };

type Row = {
  id: string;
  startsAt: Date;
  concert: { id: string; title: string; artist: string; status: "DRAFT" | "PUBLISHED" | "CANCELLED" };
  showtimeStatus: "DRAFT" | "PUBLISHED" | "CANCELLED";
  venue: { name: string; city: string; timezone: string };
  sale: ShowtimeSummary["saleStatus"] | null;
  seats: Seats | null;
};

async function loadDashboard(api: AdminApi, now: Date) {
  const [concerts, venues] = await Promise.all([api.admin.concerts.list(), api.admin.venues.list()]);
  const upcoming = concerts.flatMap((c) =>
    c.showtimes.filter((s) => s.startsAt.getTime() > now.getTime()).map((s) => ({ concert: c, showtime: s })),
  );

  // Fans' view of a published concert gives sale status and seat counts for all its public showtimes at
  // once; drafts (and showtimes of unpublished concerts) only have their seat counts, from the live view.
  const publicConcerts = concerts.filter((c) => c.status === "PUBLISHED" && c.showtimes.some((s) => s.status !== "DRAFT"));
  const summaries = new Map<string, ShowtimeSummary>();
  await Promise.all(
    publicConcerts.map(async (c) => {
      const concert = await api.catalog.concert({ slug: c.slug }).catch(() => null);
      for (const s of concert?.showtimes ?? []) summaries.set(s.id, s);
    }),
  );
  const privateSeats = new Map<string, Seats>();
  await Promise.all(
    upcoming
      .filter(({ showtime }) => !summaries.has(showtime.id))
      .map(async ({ showtime }) => {
        const live = await api.admin.showtimes.live({ showtimeId: showtime.id }).catch(() => null);
        if (live) privateSeats.set(showtime.id, live.seats);
      }),
  );

  const rows: Row[] = upcoming
    .map(({ concert, showtime }) => {
      const summary = summaries.get(showtime.id);
      return {
        id: showtime.id,
        startsAt: showtime.startsAt,
        concert: { id: concert.id, title: concert.title, artist: concert.artist, status: concert.status },
        showtimeStatus: showtime.status,
        venue: showtime.venue,
        sale: summary?.saleStatus ?? null,
        seats: summary?.seats ?? privateSeats.get(showtime.id) ?? null,
      };
    })
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  return { rows, concertCount: concerts.length, venueCount: venues.length };
}

export default async function AdminHome() {
  const now = new Date();
  const { rows, concertCount, venueCount } = await loadAdmin("/admin", (api) => loadDashboard(api, now));
  const selling = rows.filter((r) => r.sale === "ON_SALE" || r.sale === "PRESALE");
  const drafts = rows.filter((r) => r.showtimeStatus === "DRAFT" || r.concert.status === "DRAFT");
  const sold = rows.reduce((n, r) => n + (r.seats?.sold ?? 0), 0);
  const total = rows.reduce((n, r) => n + (r.seats?.total ?? 0), 0);

  return (
    <>
      <div className="admin-head">
        <div>
          <h1>Dashboard</h1>
          <p className="muted">
            {formatCount(concertCount)} concerts · {formatCount(venueCount)} venues
          </p>
        </div>
        <div className="admin-head-actions">
          <Link href="/admin/concerts/new" className="button button-small">
            New concert
          </Link>
          <Link href="/admin/venues/new" className="button button-secondary button-small">
            New venue
          </Link>
        </div>
      </div>

      <dl className="admin-stats">
        <div className="card">
          <dt>Upcoming showtimes</dt>
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
          <dt>Seats sold (upcoming)</dt>
          <dd>
            {formatCount(sold)} <span className="muted">of {formatCount(total)}</span>
          </dd>
        </div>
      </dl>

      <section className="admin-section" aria-labelledby="upcoming-title">
        <div className="section-head">
          <h2 id="upcoming-title">Upcoming showtimes</h2>
          <p>Times are local to each venue.</p>
        </div>
        {rows.length === 0 ? (
          <div className="empty-state">
            <h3>No upcoming showtimes</h3>
            <p>Create a concert, then add a showtime to it at one of your venues.</p>
            <p>
              <Link href="/admin/concerts/new" className="button">
                New concert
              </Link>
            </p>
          </div>
        ) : (
          <div className="admin-table-wrap">
            <table className="admin-table">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Concert and venue</th>
                  <th scope="col">Status</th>
                  <th scope="col">Sold</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
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

function DashboardRow({ row: r }: { row: Row }) {
  const when = formatShowDateTime(r.startsAt, r.venue.timezone);
  const share = r.seats && r.seats.total > 0 ? r.seats.sold / r.seats.total : 0;
  return (
    <tr>
      <td data-label="When">
        <time dateTime={r.startsAt.toISOString()}>{when}</time>
      </td>
      <td data-label="Concert">
        <Link href={`/admin/concerts/${r.concert.id}`} className="admin-strong-link">
          {r.concert.title}
        </Link>
        <span className="admin-sub">
          {r.venue.name} · {r.venue.city}
        </span>
      </td>
      <td data-label="Status">
        <StatusCell row={r} />
      </td>
      <td data-label="Sold">
        {r.seats ? (
          <div className="admin-sold">
            <span>
              {formatCount(r.seats.sold)} / {formatCount(r.seats.total)}
              {r.seats.held > 0 ? <span className="muted"> · {formatCount(r.seats.held)} held</span> : null}
            </span>
            <span className="admin-meter" aria-hidden="true">
              <span style={{ width: `${Math.min(100, Math.round(share * 100))}%` }} />
            </span>
          </div>
        ) : (
          <span className="muted">Unknown</span>
        )}
      </td>
      <td className="admin-row-actions">
        <Link href={`/admin/showtimes/${r.id}`} className="button button-secondary button-small">
          Edit<span className="visually-hidden"> {r.concert.title} on {when}</span>
        </Link>
        <Link href={`/admin/showtimes/${r.id}/live`} className="button button-small">
          Live<span className="visually-hidden"> view of {r.concert.title} on {when}</span>
        </Link>
      </td>
    </tr>
  );
}

function StatusCell({ row: r }: { row: Row }) {
  if (r.showtimeStatus === "CANCELLED" || r.concert.status === "CANCELLED") return <LifecycleBadge status="CANCELLED" />;
  if (r.showtimeStatus === "DRAFT") return <LifecycleBadge status="DRAFT" />;
  if (r.concert.status === "DRAFT") return <LifecycleBadge status="DRAFT" label="Concert is a draft" />;
  return r.sale ? <SaleBadge status={r.sale} /> : <LifecycleBadge status="PUBLISHED" />;
}
