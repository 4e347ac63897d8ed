// A concert: poster, description and every showtime with its venue, prices and availability.
import { Breadcrumbs } from "../../_components/breadcrumbs";
import type { Metadata } from "next";
import Image from "next/image";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { serverApi } from "@/server/api/server";
import type { ShowtimeSummary } from "@/server/domain/catalog/concerts";
import { formatMoneyRange } from "@/server/domain/money";
import { dateTileParts, formatSeatsLeft, formatShowDateTime, formatTime, posterSrc } from "../../_components/format";
import { ClockIcon, SeatIcon, TicketIcon } from "../../_components/icons";
import { SaleBadge } from "../../_components/sale-badge";
import { isMissing } from "../../_components/trpc-errors";
import styles from "./concert.module.css";

type Props = { params: Promise<{ slug: string }> };

// Metadata and the page ask for the same concert; one call per request.
const loadConcert = cache(async (slug: string) => {
  try {
    return await (await serverApi()).catalog.concert({ slug });
  } catch (error) {
    if (isMissing(error)) notFound();
    throw error;
  }
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const concert = await loadConcert((await params).slug);
  return { title: concert.title, description: `${concert.artist} — ${concert.description.slice(0, 150)}` };
}

export default async function ConcertPage({ params }: Props) {
  const concert = await loadConcert((await params).slug);
  const open = concert.showtimes.filter((s) => s.saleStatus === "ON_SALE" || s.saleStatus === "PRESALE").length;
  return (
    <>
      <Breadcrumbs trail={[{ href: "/", label: "Concerts" }]} current={concert.title} />

      <section className={styles.concertHero} aria-labelledby="concert-title">
        <div className="poster">
          <Image
            src={posterSrc(concert.imageUrl)}
            alt={`Poster for ${concert.title}`}
            fill
            preload
            sizes="(max-width: 900px) 100vw, 600px"
          />
        </div>
        <div>
          <p className="eyebrow">{concert.category}</p>
          <h1 id="concert-title">{concert.title}</h1>
          <p className="artist">{concert.artist}</p>
          <p className={styles.description}>{concert.description}</p>
          {open > 0 ? (
            <a href="#showtimes" className="button">
              See {open === 1 ? "the show" : `${open} shows`} on sale
            </a>
          ) : null}
        </div>
      </section>

      <section className="section" id="showtimes" aria-labelledby="showtimes-title">
        <div className="section-head">
          <h2 id="showtimes-title">Showtimes</h2>
          <p>Times are local to each venue.</p>
        </div>
        {concert.showtimes.length > 0 ? (
          <ul className={styles.showtimeList}>
            {concert.showtimes.map((s) => (
              <li key={s.id}>
                <ShowtimeRow showtime={s} />
              </li>
            ))}
          </ul>
        ) : (
          <div className="empty-state">
            <h3>No dates yet</h3>
            <p>Showtimes for this concert haven’t been announced.</p>
          </div>
        )}
      </section>
    </>
  );
}

function ShowtimeRow({ showtime: s }: { showtime: ShowtimeSummary }) {
  const tz = s.venue.timezone;
  const tile = dateTileParts(s.startsAt, tz);
  const selling = s.saleStatus === "ON_SALE" || s.saleStatus === "PRESALE";
  const low = s.seats.total > 0 && s.seats.available > 0 && s.seats.available / s.seats.total < 0.1;
  const when = formatShowDateTime(s.startsAt, tz);
  return (
    <article className={`card ${styles.showtime}`} aria-label={`${s.venue.name}, ${when}`}>
      <div className="date-tile" aria-hidden="true">
        <span className="month">{tile.month}</span>
        <span className="day">{tile.day}</span>
        <span className="weekday">{tile.weekday}</span>
      </div>
      <div>
        <h3>
          {s.venue.name} <span className="muted">· {s.venue.city}</span>
        </h3>
        <ul className="facts">
          <li>
            <ClockIcon style={{ display: "inline", verticalAlign: "-2px", marginRight: 4 }} />
            <time dateTime={s.startsAt.toISOString()}>{when}</time> · doors {formatTime(s.doorsAt, tz)}
          </li>
          <li>
            <TicketIcon style={{ display: "inline", verticalAlign: "-3px", marginRight: 4 }} />
            {s.priceRange ? formatMoneyRange(s.priceRange.min, s.priceRange.max, s.priceRange.currency) : "Prices to be announced"}
          </li>
          <li>
            <SeatIcon style={{ display: "inline", verticalAlign: "-3px", marginRight: 4 }} />
            <span className={low || s.saleStatus === "SOLD_OUT" ? `${styles.availability} ${styles.availabilityLow}` : styles.availability}>
              {s.saleStatus === "SOLD_OUT" ? "Sold out" : formatSeatsLeft(s.seats)}
            </span>
          </li>
        </ul>
      </div>
      <div className={styles.cta}>
        <SaleBadge status={s.saleStatus} />
        {selling ? (
          <Link href={`/showtimes/${s.id}`} className="button">
            Choose seats
            <span className="visually-hidden">
              {" "}
              at {s.venue.name} on {when}
            </span>
          </Link>
        ) : s.saleStatus === "UPCOMING" && s.saleOpensAt ? (
          <p>
            On sale from <time dateTime={s.saleOpensAt.toISOString()}>{formatShowDateTime(s.saleOpensAt, tz)}</time>
          </p>
        ) : null}
      </div>
    </article>
  );
}
