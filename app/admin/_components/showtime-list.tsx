// A concert's showtimes, for the concerts list and a concert's page: when (venue time), where, state, links.
import Link from "next/link";
import { formatShowDateTime } from "../../_components/format";
import { LifecycleBadge, type Lifecycle } from "./badges";
import styles from "./admin.module.css";

export type ShowtimeItem = { id: string; status: Lifecycle; startsAt: Date; venue: { name: string; city: string; timezone: string } };

export function ShowtimeList({ showtimes, concertTitle }: { showtimes: ShowtimeItem[]; concertTitle: string }) {
  return (
    <ul className={styles.adminShowtimes}>
      {showtimes.map((s) => {
        const when = formatShowDateTime(s.startsAt, s.venue.timezone);
        return (
          <li key={s.id}>
            <span className="admin-showtime-when">
              <time dateTime={s.startsAt.toISOString()}>{when}</time>
              <span className={styles.adminSub}>
                {s.venue.name} · {s.venue.city}
              </span>
            </span>
            <LifecycleBadge status={s.status} />
            <span className={styles.adminInlineActions}>
              <Link href={`/admin/showtimes/${s.id}`} className="button button-secondary button-small">
                Edit
                <span className="visually-hidden">
                  {" "}
                  {concertTitle} on {when}
                </span>
              </Link>
              {s.status === "PUBLISHED" ? (
                <Link href={`/admin/showtimes/${s.id}/live`} className="button button-secondary button-small">
                  Live
                  <span className="visually-hidden">
                    {" "}
                    view of {concertTitle} on {when}
                  </span>
                </Link>
              ) : null}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
