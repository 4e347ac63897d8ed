// One showtime: its state, times, limits and tiers to edit, its sections' tiers, its waiting room, who may
// buy in its presale.
import type { Metadata } from "next";
import Link from "next/link";
import { cache } from "react";
import { Breadcrumbs } from "../../../_components/breadcrumbs";
import { formatCount, formatShowDateTime } from "../../../_components/format";
import { loadAdmin } from "../../_components/admin-api";
import { LifecycleBadge } from "../../_components/badges";
import { loadEditableShowtime } from "./load-editable-showtime";
import { PresaleAccess } from "./presale-access";
import { SectionTiers } from "./section-tiers";
import { ShowtimeEditForm } from "./showtime-edit-form";
import { ShowtimeStatusActions } from "./showtime-status";
import { WaitingRoomSettings } from "./waiting-room-settings";
import adminStyles from "../../_components/admin.module.css";
import styles from "./showtime.module.css";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const loadShowtime = cache((id: string) => loadAdmin(`/admin/showtimes/${id}`, (api) => loadEditableShowtime(api, id)));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const st = await loadShowtime((await params).id);
  return { title: `${st.concert.title} at ${st.venue.name}` };
}

export default async function ShowtimePage({ params, searchParams }: Props) {
  const { id } = await params;
  const { created } = await searchParams;
  const st = await loadShowtime(id);
  const tz = st.venue.timezone;
  const startsAt = st.values.times.startsAt!;
  const when = formatShowDateTime(startsAt, tz);
  const readOnly = st.status === "CANCELLED" || st.concert.status === "CANCELLED";
  const isPublic = st.status === "PUBLISHED" && st.concert.status === "PUBLISHED";

  return (
    <>
      <Breadcrumbs
        trail={[
          { href: "/admin/concerts", label: "Concerts" },
          { href: `/admin/concerts/${st.concert.id}`, label: st.concert.title },
        ]}
        current={when}
      />
      <div className={adminStyles.adminHead}>
        <div>
          <h1>{st.concert.title}</h1>
          <p className={adminStyles.adminHeadMeta} data-testid="admin-head-meta">
            <LifecycleBadge status={st.status} />
            <span>
              <time dateTime={startsAt.toISOString()}>{when}</time> · {st.venue.name}, {st.venue.city}
            </span>
          </p>
          <p className={adminStyles.adminHeadMeta} data-testid="admin-head-meta">
            <span>
              {formatCount(st.seats.sold)} sold · {formatCount(st.seats.held)} held · {formatCount(st.seats.available)} available of{" "}
              {formatCount(st.seats.total)}
            </span>
            <Link href={`/admin/showtimes/${st.id}/live`}>Live view</Link>
            {isPublic ? <Link href={`/showtimes/${st.id}`}>Fans’ seat map</Link> : null}
          </p>
        </div>
        <ShowtimeStatusActions
          showtimeId={st.id}
          status={st.status}
          label={`the ${when} showtime`}
          concertPublished={st.concert.status === "PUBLISHED"}
        />
      </div>

      {created ? (
        <div className={`alert ${adminStyles.adminAlertSuccess}`} role="status">
          Showtime created with {formatCount(Number(created) || 0)} seats{st.status === "DRAFT" ? ", as a draft" : ""}.
          {st.concert.status !== "PUBLISHED" ? " Publish the concert for fans to see it." : ""}
        </div>
      ) : null}
      {st.concert.status === "CANCELLED" ? (
        <div className="alert alert-warning">The concert was cancelled, so this showtime can no longer change.</div>
      ) : null}

      <div className={styles.adminEditLayout}>
        <section aria-labelledby="edit-title">
          <h2 id="edit-title" className="visually-hidden">
            Times, limits and prices
          </h2>
          <ShowtimeEditForm showtimeId={st.id} timeZone={tz} values={st.values} seatsByTier={st.seatsByTier} readOnly={readOnly} />
        </section>

        <section className={`card ${adminStyles.adminPanel} ${adminStyles.adminFieldset}`} aria-labelledby="sections-title">
          <h2 id="sections-title" className={styles.adminLegend}>
            Sections and tiers
          </h2>
          <p className={`hint ${adminStyles.adminFieldsetHint}`}>
            Move a section to another tier; refused once any of its seats is sold or held.
          </p>
          <SectionTiers showtimeId={st.id} sections={st.sections} tiers={st.values.tiers} readOnly={readOnly} />
        </section>

        <WaitingRoomSettings key={st.status} showtimeId={st.id} initial={st.waitingRoom} readOnly={readOnly} />

        <PresaleAccess showtimeId={st.id} timeZone={tz} readOnly={readOnly} />
      </div>
    </>
  );
}
