// Every concert with its state and showtimes, newest first.
import type { Metadata } from "next";
import Link from "next/link";
import { loadAdmin } from "../_components/admin-api";
import { LifecycleBadge } from "../_components/badges";
import { ShowtimeList } from "../_components/showtime-list";
import adminStyles from "../_components/admin.module.css";
import styles from "./concerts.module.css";

export const metadata: Metadata = { title: "Concerts" };

export default async function ConcertsPage() {
  const concerts = await loadAdmin("/admin/concerts", (api) => api.admin.concerts.list());

  return (
    <>
      <div className={adminStyles.adminHead}>
        <div>
          <h1>Concerts</h1>
          <p className="muted">Drafts are hidden from fans until published; a cancelled concert stays cancelled.</p>
        </div>
        <div className={adminStyles.adminHeadActions}>
          <Link href="/admin/concerts/new" className="button button-small">
            New concert
          </Link>
        </div>
      </div>

      {concerts.length === 0 ? (
        <div className="empty-state">
          <h2>No concerts yet</h2>
          <p>Create a concert, then give it showtimes at your venues.</p>
          <p>
            <Link href="/admin/concerts/new" className="button">
              New concert
            </Link>
          </p>
        </div>
      ) : (
        <ul className={adminStyles.adminCardList}>
          {concerts.map((c) => (
            <li key={c.id} className={`card ${adminStyles.adminPanel} admin-concert`}>
              <div className={styles.adminConcertHead}>
                <div>
                  <h2 className={styles.adminConcertTitle}>
                    <Link href={`/admin/concerts/${c.id}`}>{c.title}</Link>
                  </h2>
                  <p className={adminStyles.adminSub}>
                    {c.artist} · {c.category} · <span className={adminStyles.adminMono}>/concerts/{c.slug}</span>
                  </p>
                </div>
                <div className={styles.adminConcertSide}>
                  <LifecycleBadge status={c.status} />
                  {c.status !== "CANCELLED" ? (
                    <Link
                      href={`/admin/showtimes/new?concertId=${encodeURIComponent(c.id)}`}
                      className="button button-secondary button-small"
                    >
                      Add showtime<span className="visually-hidden"> to {c.title}</span>
                    </Link>
                  ) : null}
                </div>
              </div>
              {c.showtimes.length > 0 ? (
                <ShowtimeList concertTitle={c.title} showtimes={c.showtimes} />
              ) : (
                <p className={`muted ${styles.adminNone}`}>No showtimes yet.</p>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
