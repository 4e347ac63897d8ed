// A new showtime for a concert (?concertId=…). Without a concert, it asks which one.
import type { Metadata } from "next";
import Link from "next/link";
import { Breadcrumbs } from "../../../_components/breadcrumbs";
import { loadAdmin } from "../../_components/admin-api";
import { LifecycleBadge } from "../../_components/badges";
import { ShowtimeCreateForm } from "./showtime-create-form";
import adminStyles from "../../_components/admin.module.css";
import styles from "./new-showtime.module.css";

export const metadata: Metadata = { title: "New showtime" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function NewShowtimePage({ searchParams }: Props) {
  const { concertId } = await searchParams;
  const id = typeof concertId === "string" ? concertId : "";
  const returnTo = `/admin/showtimes/new${id ? `?concertId=${encodeURIComponent(id)}` : ""}`;
  const [concerts, venues] = await loadAdmin(returnTo, (api) => Promise.all([api.admin.concerts.list(), api.admin.venues.list()]));
  const concert = concerts.find((c) => c.id === id);
  const open = concerts.filter((c) => c.status !== "CANCELLED");

  if (!concert || concert.status === "CANCELLED") {
    return (
      <>
        <Breadcrumbs trail={[{ href: "/admin/concerts", label: "Concerts" }]} current="New showtime" />
        <h1>New showtime</h1>
        {concert ? (
          <div className="alert alert-error" role="alert">
            {concert.title} was cancelled; it can’t get new showtimes.
          </div>
        ) : id ? (
          <div className="alert alert-error" role="alert">
            We couldn’t find that concert. Pick one below.
          </div>
        ) : (
          <p className="muted">Which concert is it for?</p>
        )}
        {open.length > 0 ? (
          <ul className={`card ${adminStyles.adminPanel} ${styles.adminPickList}`}>
            {open.map((c) => (
              <li key={c.id}>
                <Link href={`/admin/showtimes/new?concertId=${encodeURIComponent(c.id)}`}>{c.title}</Link>
                <LifecycleBadge status={c.status} />
              </li>
            ))}
          </ul>
        ) : (
          <div className="empty-state">
            <p>No concerts to add a showtime to.</p>
            <p>
              <Link href="/admin/concerts/new" className="button">
                New concert
              </Link>
            </p>
          </div>
        )}
      </>
    );
  }

  return (
    <>
      <Breadcrumbs
        trail={[
          { href: "/admin/concerts", label: "Concerts" },
          { href: `/admin/concerts/${concert.id}`, label: concert.title },
        ]}
        current="New showtime"
      />
      <div className={adminStyles.adminHead}>
        <div>
          <h1>New showtime</h1>
          <p className="muted">
            For {concert.title} · {concert.artist}
            {concert.status === "DRAFT" ? " (the concert is still a draft: fans see its showtimes once it’s published)" : ""}
          </p>
        </div>
      </div>
      {venues.length === 0 ? (
        <div className="empty-state">
          <h2>No venues yet</h2>
          <p>A showtime sells the seats of a venue. Create one first.</p>
          <p>
            <Link href="/admin/venues/new" className="button">
              New venue
            </Link>
          </p>
        </div>
      ) : (
        <ShowtimeCreateForm
          concertId={concert.id}
          venues={venues.map((v) => ({
            id: v.id,
            name: v.name,
            city: v.city,
            country: v.country,
            timezone: v.timezone,
            seatCount: v.seatCount,
            sections: v.sections,
          }))}
        />
      )}
    </>
  );
}
