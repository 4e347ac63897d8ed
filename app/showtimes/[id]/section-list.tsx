// The sections as buttons: the keyboard and screen-reader way into the map, each with what is left in it.
import { formatCount as fmt } from "../../_components/format";
import { sectionLabel } from "../../_lib/seat-name";
import type { SeatModel } from "./seat-map-model";
import styles from "./showtime.module.css";

type Props = { model: SeatModel; active: number | null; onPick: (section: number) => void };

export function SectionList({ model, active, onPick }: Props) {
  return (
    <section className={`card ${styles.seatmapSections}`} aria-labelledby="sections-title">
      <h2 id="sections-title">Sections</h2>
      <p className={`muted ${styles.legendNote}`} id="sections-hint">
        Pick a section to zoom the map to it and list its seats.
      </p>
      <ul className={styles.sectionButtons} aria-describedby="sections-hint">
        {model.sections.map((s, i) => (
          <li key={s.id}>
            <button
              type="button"
              aria-pressed={active === i}
              aria-controls="seat-canvas"
              disabled={s.total === 0}
              onClick={() => onPick(i)}
            >
              <span className={styles.sectionName}>{sectionLabel(s.name)}</span>
              <span className={s.available === 0 ? `${styles.sectionCount} ${styles.sectionCountNone}` : styles.sectionCount}>
                {s.available === 0 ? "None available" : `${fmt(s.available)} available`}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
