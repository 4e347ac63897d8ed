"use client";
// The seat map: a canvas for 15,000+ seats kept live over server-sent events, a legend, and a section list
// that is the keyboard way in. An admitted fan also picks seats here (on the canvas, or in the chosen
// section's list of seats), holds them, or asks for the best seats together, and sees their holds run.
// This file is the way in: loading, failing and empty; the live map is loaded-seat-map.tsx.
import type { ShowtimeOverview } from "@/server/domain/seatmap/seat-map";
import { LoadedSeatMap } from "./loaded-seat-map";
import { PAINT_CANVAS_ID } from "./seat-data";
import { useLiveSeatMap } from "./use-live-seat-map";
import styles from "./showtime.module.css";

type Props = { showtimeId: string; signedIn: boolean; overview: ShowtimeOverview };

export function SeatMapView({ showtimeId, signedIn, overview }: Props) {
  const { live, liveState, query, resync } = useLiveSeatMap(showtimeId, overview);

  const data = live.data;
  if (data === null || live.model === null) {
    if (query.isError) {
      return (
        <div className="empty-state" role="alert">
          <h2>We couldn’t load the seat map</h2>
          <p>{query.error.message}</p>
          <p>
            <button type="button" className="button" onClick={() => void query.refetch()}>
              Try again
            </button>
          </p>
        </div>
      );
    }
    return <SeatMapSkeleton showtimeId={showtimeId} />;
  }

  if (data.sections.length === 0) {
    return (
      <div className="empty-state">
        <h2>No seat map yet</h2>
        <p>Seats for this showtime haven’t been released. Check back soon.</p>
      </div>
    );
  }

  return (
    <LoadedSeatMap
      showtimeId={showtimeId}
      signedIn={signedIn}
      live={live}
      liveState={liveState}
      refreshing={query.isFetching}
      refreshFailed={query.isError}
      onRefresh={resync}
    />
  );
}

/** Until the map is live: placeholders, and a canvas seat-paint.ts may draw the map into before React runs. */
export function SeatMapSkeleton({ showtimeId }: { showtimeId: string }) {
  return (
    <div role="status" aria-live="polite">
      <span className="visually-hidden">Loading the seat map…</span>
      <div className={`skeleton skeleton-line ${styles.seatmapSummaryPlaceholder}`} aria-hidden="true" />
      <div className={styles.seatmapLayout} aria-hidden="true">
        <div className={`skeleton ${styles.seatmapCanvasWrap}`}>
          <canvas id={PAINT_CANVAS_ID} className={`${styles.seatmapCanvas} ${styles.seatmapPainted}`} data-showtime-id={showtimeId} />
        </div>
        <div>
          {Array.from({ length: 5 }, (_, i) => (
            <div key={i} className="skeleton skeleton-line" style={{ height: "2.2rem" }} />
          ))}
        </div>
      </div>
    </div>
  );
}
