// What the colours on the map mean, each with its price (ticket + fee) and how many seats are left.
import type { SeatMap } from "@/server/domain/seatmap/seat-map";
import { formatMoney } from "@/server/domain/money";
import { formatCount as fmt } from "../../_components/format";
import { HELD, MINE_FILL, SELECTED_FILL, SOLD } from "./seat-map-controller";
import type { SeatModel } from "./seat-map-model";
import styles from "./showtime.module.css";

type Props = {
  tiers: SeatMap["tiers"];
  model: SeatModel;
  /** Picks and holds are listed only for a fan who can pick, or who holds seats. */
  canPick: boolean;
  picked: number;
  heldByMe: number;
};

export function SeatMapLegend({ tiers, model, canPick, picked, heldByMe }: Props) {
  const { counts } = model;
  return (
    <section className={`card ${styles.seatmapLegend}`} aria-labelledby="legend-title">
      <h2 id="legend-title">Prices</h2>
      <p className={`muted ${styles.legendNote}`}>Ticket price + booking fee, per seat.</p>
      <ul>
        {tiers.map((t, i) => (
          <li key={t.id}>
            <span className={styles.swatch} style={{ background: t.color }} aria-hidden="true" />
            <span className={styles.legendName}>{t.name}</span>
            <span className={styles.legendPrice}>
              {formatMoney(t.priceMinor, t.currency)}
              <span className="muted"> + {formatMoney(t.feeMinor, t.currency)} fee</span>
            </span>
            <span className={styles.legendCount}>{fmt(model.tierCounts[i]?.available ?? 0)} left</span>
          </li>
        ))}
        <li>
          <span className={`${styles.swatch} ${styles.swatchHeld}`} style={{ borderColor: HELD }} aria-hidden="true" />
          <span className={styles.legendName}>On hold</span>
          <span className={`${styles.legendPrice} muted`}>May come back</span>
          <span className={styles.legendCount}>{fmt(counts.held)}</span>
        </li>
        <li>
          <span className={styles.swatch} style={{ background: SOLD }} aria-hidden="true" />
          <span className={styles.legendName}>Sold</span>
          <span className={`${styles.legendPrice} muted`}>Not available</span>
          <span className={styles.legendCount}>{fmt(counts.sold)}</span>
        </li>
        {canPick ? (
          <li>
            <span className={`${styles.swatch} ${styles.swatchSelected}`} style={{ background: SELECTED_FILL }} aria-hidden="true" />
            <span className={styles.legendName}>Your picks</span>
            <span className={`${styles.legendPrice} muted`}>Not held yet</span>
            <span className={styles.legendCount}>{fmt(picked)}</span>
          </li>
        ) : null}
        {canPick || heldByMe > 0 ? (
          <li>
            <span className={`${styles.swatch} ${styles.swatchMine}`} style={{ background: MINE_FILL }} aria-hidden="true" />
            <span className={styles.legendName}>Held for you</span>
            <span className={`${styles.legendPrice} muted`}>Until your hold ends</span>
            <span className={styles.legendCount}>{fmt(heldByMe)}</span>
          </li>
        ) : null}
      </ul>
    </section>
  );
}
