// A concert in a grid: poster, title, artist, cities, dates, price range and sale status.
import Image from "next/image";
import Link from "next/link";
import type { ConcertCard as TConcertCard } from "@/server/domain/catalog/concerts";
import { formatMoneyRange } from "@/server/domain/money";
import { formatDayRange, posterSrc } from "./format";
import { CalendarIcon, PinIcon } from "./icons";
import { SaleBadge } from "./sale-badge";

export function ConcertCard({
  concert,
  headingLevel = 3,
  eager = false,
}: {
  concert: TConcertCard;
  headingLevel?: 2 | 3;
  /** Above the fold: load now rather than when scrolled to. */
  eager?: boolean;
}) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const range = concert.priceRange;
  return (
    <article className="card concert-card">
      <div className="poster">
        <Image
          src={posterSrc(concert.imageUrl)}
          alt=""
          fill
          loading={eager ? "eager" : "lazy"}
          sizes="(max-width: 640px) 100vw, (max-width: 1200px) 50vw, 380px"
        />
        <SaleBadge status={concert.saleStatus} />
      </div>
      <div className="body">
        <Heading>
          <Link href={`/concerts/${concert.slug}`}>{concert.title}</Link>
        </Heading>
        <p className="artist">{concert.artist}</p>
        <dl>
          <div>
            <dt>
              <PinIcon />
              <span className="visually-hidden">Cities</span>
            </dt>
            <dd>{concert.cities.join(" · ") || "Venues to be announced"}</dd>
          </div>
          <div>
            <dt>
              <CalendarIcon />
              <span className="visually-hidden">Dates</span>
            </dt>
            <dd>
              {formatDayRange(
                concert.firstShow && { date: concert.firstShow, timeZone: concert.firstShowTimezone ?? "UTC" },
                concert.lastShow && { date: concert.lastShow, timeZone: concert.lastShowTimezone ?? "UTC" },
              )}
              {concert.showtimeCount > 1 ? ` · ${concert.showtimeCount} shows` : ""}
            </dd>
          </div>
        </dl>
        <p className="price">
          {range ? (
            <>
              <span className="visually-hidden">Price: </span>
              {formatMoneyRange(range.min, range.max, range.currency)}
            </>
          ) : (
            <span className="muted">Prices to be announced</span>
          )}
        </p>
      </div>
    </article>
  );
}

export function ConcertGrid({
  concerts,
  headingLevel,
  eagerCount = 0,
}: {
  concerts: TConcertCard[];
  headingLevel?: 2 | 3;
  eagerCount?: number;
}) {
  return (
    <ul className="card-grid">
      {concerts.map((c, i) => (
        <li key={c.id}>
          <ConcertCard concert={c} headingLevel={headingLevel} eager={i < eagerCount} />
        </li>
      ))}
    </ul>
  );
}

export function ConcertGridSkeleton({ count = 6, label = "Loading concerts" }: { count?: number; label?: string }) {
  return (
    <div role="status" aria-live="polite">
      <span className="visually-hidden">{label}…</span>
      <ul className="card-grid" aria-hidden="true">
        {Array.from({ length: count }, (_, i) => (
          <li key={i}>
            <div className="skeleton skeleton-card" />
          </li>
        ))}
      </ul>
    </div>
  );
}
