// A showtime: what, where and when, and its seat map.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { serverApi } from "@/server/api/server";
import { formatShowDateTime, formatTime } from "../../_components/format";
import { CalendarIcon, PinIcon } from "../../_components/icons";
import { SaleBadge } from "../../_components/sale-badge";
import { isMissing } from "../../_components/trpc-errors";
import { SeatMapView } from "./seat-map";

type Props = { params: Promise<{ id: string }> };

// The header needs only the overview; the 15,000-seat map loads in the browser, compressed, with its own states.
const loadShowtime = cache(async (showtimeId: string) => {
  try {
    return await (await serverApi()).showtimes.byId({ showtimeId });
  } catch (error) {
    if (isMissing(error)) notFound();
    throw error;
  }
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const map = await loadShowtime((await params).id);
  return { title: `${map.showtime.concert.title} at ${map.venue.name} — seats` };
}

export default async function ShowtimePage({ params }: Props) {
  const { id } = await params;
  const map = await loadShowtime(id);
  const { showtime, venue } = map;
  const tz = venue.timezone;
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumbs">
        <ol>
          <li>
            <Link href="/">Concerts</Link>
          </li>
          <li>
            <Link href={`/concerts/${showtime.concert.slug}`}>{showtime.concert.title}</Link>
          </li>
          <li>
            <span aria-current="page">Seats</span>
          </li>
        </ol>
      </nav>

      <header className="card showtime-header">
        <div>
          <p className="eyebrow">{showtime.concert.artist}</p>
          <h1>{showtime.concert.title}</h1>
          <ul className="facts">
            <li>
              <PinIcon style={{ display: "inline", verticalAlign: "-2px", marginRight: 4 }} />
              {venue.name}, {venue.city}
            </li>
            <li>
              <CalendarIcon style={{ display: "inline", verticalAlign: "-2px", marginRight: 4 }} />
              <time dateTime={showtime.startsAt.toISOString()}>{formatShowDateTime(showtime.startsAt, tz)}</time> · doors{" "}
              {formatTime(showtime.doorsAt, tz)}
            </li>
          </ul>
        </div>
        <div className="showtime-status">
          <SaleBadge status={showtime.saleStatus} />
          {showtime.saleStatus === "UPCOMING" && showtime.saleOpensAt ? (
            <p className="muted">
              On sale from <time dateTime={showtime.saleOpensAt.toISOString()}>{formatShowDateTime(showtime.saleOpensAt, tz)}</time>
            </p>
          ) : showtime.saleStatus === "ON_SALE" || showtime.saleStatus === "PRESALE" ? (
            <p className="muted">Up to {showtime.perUserLimit} tickets per person</p>
          ) : null}
        </div>
      </header>

      <SeatMapView showtimeId={showtime.id} />
    </>
  );
}
