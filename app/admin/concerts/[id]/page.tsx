// One concert: its details to edit, publish or cancel, and its showtimes.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { Breadcrumbs } from "../../../_components/breadcrumbs";
import { loadAdmin } from "../../_components/admin-api";
import { LifecycleBadge } from "../../_components/badges";
import { ConcertForm } from "../../_components/concert-form";
import { ShowtimeList } from "../../_components/showtime-list";
import { ConcertStatusActions } from "./concert-status";
import adminStyles from "../../_components/admin.module.css";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

// There is no admin.concerts.byId: the list holds every concert with all its fields and showtimes.
// Metadata and the page share one read per request.
const loadConcerts = cache((id: string) => loadAdmin(`/admin/concerts/${id}`, (api) => api.admin.concerts.list()));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  const concerts = await loadConcerts(id);
  return { title: concerts.find((c) => c.id === id)?.title ?? "Concert" };
}

export default async function ConcertPage({ params, searchParams }: Props) {
  const { id } = await params;
  const { created } = await searchParams;
  const concerts = await loadConcerts(id);
  const concert = concerts.find((c) => c.id === id);
  if (!concert) notFound();
  const categories = [...new Set(concerts.map((c) => c.category))].sort();
  const cancelled = concert.status === "CANCELLED";

  return (
    <>
      <Breadcrumbs trail={[{ href: "/admin/concerts", label: "Concerts" }]} current={concert.title} />
      <div className={adminStyles.adminHead}>
        <div>
          <h1>{concert.title}</h1>
          <p className={adminStyles.adminHeadMeta} data-testid="admin-head-meta">
            <LifecycleBadge status={concert.status} />
            {concert.status === "PUBLISHED" ? (
              <Link href={`/concerts/${concert.slug}`}>See the fans’ page</Link>
            ) : (
              <span className="muted">Fans can’t see it yet.</span>
            )}
          </p>
        </div>
        <ConcertStatusActions
          concertId={concert.id}
          title={concert.title}
          status={concert.status}
          showtimeCount={concert.showtimes.length}
        />
      </div>

      {created ? (
        <div className={`alert ${adminStyles.adminAlertSuccess}`} role="status">
          Concert created as a draft. Add a showtime, then publish it.
        </div>
      ) : null}

      <section className={adminStyles.adminSection} aria-labelledby="details-title">
        <h2 id="details-title">Details</h2>
        <ConcertForm
          key={`${concert.id}-${concert.status}`}
          mode="edit"
          concertId={concert.id}
          categories={categories}
          readOnly={cancelled}
          initial={{
            title: concert.title,
            artist: concert.artist,
            slug: concert.slug,
            category: concert.category,
            imageUrl: concert.imageUrl,
            description: concert.description,
          }}
        />
      </section>

      <section className={adminStyles.adminSection} aria-labelledby="showtimes-title">
        <div className="section-head">
          <h2 id="showtimes-title">Showtimes</h2>
          {!cancelled ? (
            <Link href={`/admin/showtimes/new?concertId=${encodeURIComponent(concert.id)}`} className="button button-small">
              Add showtime
            </Link>
          ) : null}
        </div>
        {concert.showtimes.length > 0 ? (
          <div className={`card ${adminStyles.adminPanel}`}>
            <ShowtimeList concertTitle={concert.title} showtimes={concert.showtimes} />
          </div>
        ) : (
          <div className="empty-state">
            <h3>No showtimes yet</h3>
            <p>{cancelled ? "This concert was cancelled." : "Add one: pick a venue, the times and the prices."}</p>
          </div>
        )}
      </section>
    </>
  );
}
