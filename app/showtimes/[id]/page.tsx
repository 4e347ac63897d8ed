// A showtime: what, where and when, the way in through the waiting room, and its seat map.
import { ShowtimeFacts } from "../../_components/showtime-facts";
import { Breadcrumbs } from "../../_components/breadcrumbs";
import type { Metadata } from "next";
import { preload } from "react-dom";
import { getSession } from "@/server/auth";
import { formatShowDateTime } from "../../_components/format";
import { SaleBadge } from "../../_components/sale-badge";
import { loadShowtime } from "../../_lib/load-showtime";
import { headers } from "next/headers";
import { seatLayoutUrl, seatStatusUrl } from "./seat-data";
import { seatPaintScript } from "./seat-paint-script";
import { SeatMapView } from "./seat-map";
import { ShowtimeAccess } from "./showtime-access";
import styles from "./showtime.module.css";

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const map = await loadShowtime((await params).id);
  return { title: `${map.showtime.concert.title} at ${map.venue.name} — seats` };
}

// The header needs only the overview; the 15,000-seat map loads in the browser, compressed, with its own states.
export default async function ShowtimePage({ params, searchParams }: Props) {
  const { id } = await params;
  const { admitted } = await searchParams;
  // The browser fetches the seat layout and statuses while it loads the page's scripts; the map's own first
  // reads find them. Statuses older than the live stream's start are read again (live-seats.ts).
  preload(seatLayoutUrl(id), { as: "fetch", crossOrigin: "anonymous" });
  preload(seatStatusUrl(id), { as: "fetch", crossOrigin: "anonymous" });
  const [map, session, requestHeaders] = await Promise.all([loadShowtime(id), getSession(), headers()]);
  const paintScript = seatPaintScript();
  const { showtime, venue } = map;
  const tz = venue.timezone;
  // Until general sale opens, a showtime with a presale lets only eligible fans in.
  const presaleAhead = showtime.presale?.inForce === true && (showtime.saleStatus === "PRESALE" || showtime.saleStatus === "UPCOMING");
  return (
    <>
      <Breadcrumbs
        trail={[
          { href: "/", label: "Concerts" },
          { href: `/concerts/${showtime.concert.slug}`, label: showtime.concert.title },
        ]}
        current="Seats"
      />

      <header className={`card ${styles.showtimeHeader}`}>
        <div>
          <p className="eyebrow">{showtime.concert.artist}</p>
          <h1>{showtime.concert.title}</h1>
          <ShowtimeFacts venue={venue} startsAt={showtime.startsAt} doorsAt={showtime.doorsAt} />
        </div>
        <div className={styles.showtimeStatus}>
          <SaleBadge status={showtime.saleStatus} />
          {showtime.saleStatus === "UPCOMING" && showtime.saleOpensAt ? (
            <p className="muted">
              On sale from <time dateTime={showtime.saleOpensAt.toISOString()}>{formatShowDateTime(showtime.saleOpensAt, tz)}</time>
            </p>
          ) : showtime.saleStatus === "ON_SALE" || showtime.saleStatus === "PRESALE" ? (
            <p className="muted">Up to {showtime.perUserLimit} tickets per person</p>
          ) : null}
        </div>
        {presaleAhead && showtime.presale ? (
          <p className={styles.presaleNote}>
            <strong>Presale for {showtime.presale.for ?? "invited fans"}</strong>:{" "}
            <time dateTime={showtime.presale.startsAt.toISOString()}>{formatShowDateTime(showtime.presale.startsAt, tz)}</time> to{" "}
            <time dateTime={showtime.presale.endsAt.toISOString()}>{formatShowDateTime(showtime.presale.endsAt, tz)}</time>, with a presale
            code or an invitation. General sale opens{" "}
            <time dateTime={showtime.presale.generalSaleStartsAt.toISOString()}>
              {formatShowDateTime(showtime.presale.generalSaleStartsAt, tz)}
            </time>{" "}
            for everyone.
          </p>
        ) : null}
      </header>

      <ShowtimeAccess
        showtimeId={showtime.id}
        saleStatus={showtime.saleStatus}
        admittedHint={admitted === "1"}
        presaleOnly={presaleAhead}
        signedIn={session !== null}
      />

      <SeatMapView showtimeId={showtime.id} signedIn={session !== null} overview={map} />
      {/* Runs as the parser reaches it, right after the skeleton: draws the map there before React runs (seat-paint.ts). */}
      {paintScript ? <script nonce={requestHeaders.get("x-nonce") ?? undefined} dangerouslySetInnerHTML={{ __html: paintScript }} /> : null}
    </>
  );
}
