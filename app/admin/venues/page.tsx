// Venues with their seat counts and sections; a showtime picks one of these.
import type { Metadata } from "next";
import Link from "next/link";
import { formatCount } from "../../_components/format";
import { loadAdmin } from "../_components/admin-api";
import adminStyles from "../_components/admin.module.css";
import styles from "./venues.module.css";
import { TableHead } from "../../_components/table-head";

export const metadata: Metadata = { title: "Venues" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function VenuesPage({ searchParams }: Props) {
  const { created } = await searchParams;
  const venues = await loadAdmin("/admin/venues", (api) => api.admin.venues.list());
  const createdVenue = typeof created === "string" ? venues.find((v) => v.id === created) : undefined;

  return (
    <>
      <div className={adminStyles.adminHead}>
        <div>
          <h1>Venues</h1>
          <p className="muted">Seat layouts are set when a venue is created; every showtime there copies them.</p>
        </div>
        <div className={adminStyles.adminHeadActions}>
          <Link href="/admin/venues/new" className="button button-small">
            New venue
          </Link>
        </div>
      </div>

      {createdVenue ? (
        <div className={`alert ${adminStyles.adminAlertSuccess}`} role="status">
          {createdVenue.name} is ready with {formatCount(createdVenue.seatCount)} seats.
        </div>
      ) : null}

      {venues.length === 0 ? (
        <div className="empty-state">
          <h2>No venues yet</h2>
          <p>Add a venue and lay out its sections; showtimes are sold against its seats.</p>
          <p>
            <Link href="/admin/venues/new" className="button">
              New venue
            </Link>
          </p>
        </div>
      ) : (
        <div className={adminStyles.adminTableWrap}>
          <table className={adminStyles.adminTable}>
            <caption className="visually-hidden">Venues</caption>
            <TableHead columns={["Venue", "City", "Time zone", "Seats", "Sections"]} numeric={["Seats"]} numClass={adminStyles.adminNum} />
            <tbody>
              {venues.map((v) => (
                <tr key={v.id} aria-current={v.id === createdVenue?.id ? "true" : undefined}>
                  <th scope="row" data-label="Venue">
                    <span className={styles.adminStrong}>{v.name}</span>
                    <span className={`${adminStyles.adminSub} ${adminStyles.adminMono}`}>{v.slug}</span>
                  </th>
                  <td data-label="City">
                    {v.city}, {v.country}
                  </td>
                  <td data-label="Time zone">{v.timezone}</td>
                  <td data-label="Seats" className={adminStyles.adminNum}>
                    {formatCount(v.seatCount)}
                  </td>
                  <td data-label="Sections">
                    <SectionList sections={v.sections} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

const SHOWN = 6;

function SectionList({ sections }: { sections: { id: string; name: string; seats: number }[] }) {
  const more = sections.length - SHOWN;
  return (
    <>
      <span className={styles.adminStrong}>{sections.length === 1 ? "1 section" : `${sections.length} sections`}</span>
      <span className={adminStyles.adminSub}>
        {sections
          .slice(0, SHOWN)
          .map((s) => `${s.name} (${formatCount(s.seats)})`)
          .join(", ")}
        {more > 0 ? `, and ${more} more` : ""}
      </span>
    </>
  );
}
