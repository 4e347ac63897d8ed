// Above the map: how many seats are free, whether the map is live, and a way to read it again.
import { formatCount as fmt } from "../../_components/format";
import type { SeatModel } from "./seat-map-model";
import type { LiveState } from "./use-live-seat-map";
import styles from "./showtime.module.css";

type Props = {
  counts: SeatModel["counts"];
  liveState: LiveState;
  refreshing: boolean;
  refreshFailed: boolean;
  onRefresh: () => void;
};

export function SeatMapSummary({ counts, liveState, refreshing, refreshFailed, onRefresh }: Props) {
  return (
    <>
      <div className={styles.seatmapSummary} data-testid="seatmap-summary">
        <p>
          <strong>{fmt(counts.available)}</strong> of {fmt(counts.total)} seats available
          <span className="muted">
            {" "}
            · {fmt(counts.held)} on hold · {fmt(counts.sold)} sold
          </span>
        </p>
        <div className={styles.seatmapSummaryActions}>
          <span className="live-indicator" data-state={liveState}>
            <span className="live-dot" aria-hidden="true" />
            {liveState === "on" ? "Live" : liveState === "reconnecting" ? "Reconnecting…" : "Connecting…"}
          </span>
          <button type="button" className="button button-secondary button-small" onClick={onRefresh} disabled={refreshing}>
            {refreshing ? "Refreshing…" : "Refresh availability"}
          </button>
        </div>
      </div>
      {refreshFailed ? (
        <p className="alert alert-error" role="alert">
          We couldn’t refresh availability; the map may be out of date.{" "}
          <button type="button" className="link-button" onClick={onRefresh}>
            Try again
          </button>
        </p>
      ) : null}
    </>
  );
}
