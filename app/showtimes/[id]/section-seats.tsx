"use client";
// The keyboard and screen-reader way to pick seats: the chosen section's seats as buttons, row by row, each
// named in full ("Section B, row 12, seat 7, 95,000 KRW, available"). One tab stop; arrow keys move between
// seats, Enter or Space picks. Only one section (a few hundred seats at most) is ever rendered.
import { useRef, useState, type CSSProperties, type KeyboardEvent } from "react";
import type { SeatMap } from "@/server/domain/seatmap/seat-map";
import { sectionLabel } from "../../_lib/seat-name";
import { seatLabel, type SeatModel } from "./seat-map-model";
import { spokenMoney } from "./seat-selection";
import styles from "./showtime.module.css";

type Props = {
  model: SeatModel;
  tiers: SeatMap["tiers"];
  section: number;
  selected: ReadonlySet<number>;
  mine: ReadonlySet<number>;
  /** Admitted fans pick seats; others can only look. */
  canPick: boolean;
  onToggle: (seatId: number) => void;
};

type SeatState = "available" | "held" | "sold" | "mine";

const WORD: Record<SeatState, string> = { available: "available", held: "on hold", sold: "sold", mine: "held by you" };

export function SectionSeats({ model, tiers, section: si, selected, mine, canPick, onToggle }: Props) {
  const section = model.sections[si];
  const buttons = useRef(new Map<number, HTMLButtonElement>());
  const [focusId, setFocusId] = useState<number | null>(null);
  if (!section) return null;

  // Rows in map order: each a list of seat indices.
  const rows: number[][] = [];
  let lastRow = -1;
  for (let i = section.from; i < section.to; i++) {
    if (model.row[i] !== lastRow) {
      rows.push([]);
      lastRow = model.row[i]!;
    }
    rows.at(-1)!.push(i);
  }
  const ids = (i: number) => model.ids[i]!;
  // The one tab stop: the seat last focused if it is still here, else the first available seat, else the first.
  const firstFree = rows.flat().find((i) => model.status[i] === 0);
  const tabStop =
    focusId !== null && model.index.has(focusId) && section.from <= model.index.get(focusId)! && model.index.get(focusId)! < section.to
      ? focusId
      : ids(firstFree ?? section.from);

  const move = (e: KeyboardEvent<HTMLButtonElement>, r: number, c: number) => {
    let next: [number, number] | null = null;
    const row = rows[r]!;
    switch (e.key) {
      case "ArrowLeft":
        next = [r, Math.max(0, c - 1)];
        break;
      case "ArrowRight":
        next = [r, Math.min(row.length - 1, c + 1)];
        break;
      case "ArrowUp":
      case "ArrowDown": {
        const to = r + (e.key === "ArrowUp" ? -1 : 1);
        const target = rows[to];
        // The same place along the row, as near as the other row's length allows.
        if (target) next = [to, Math.round((c / Math.max(1, row.length - 1)) * (target.length - 1))];
        break;
      }
      case "Home":
        next = [r, 0];
        break;
      case "End":
        next = [r, row.length - 1];
        break;
      default:
        return;
    }
    e.preventDefault();
    const i = next ? rows[next[0]]?.[next[1]] : undefined;
    if (i === undefined) return;
    setFocusId(ids(i));
    buttons.current.get(ids(i))?.focus();
  };

  const name = sectionLabel(section.name);
  return (
    <section className={`card ${styles.sectionSeats}`} aria-labelledby="section-seats-title">
      <div className="section-seats-head">
        <h2 id="section-seats-title">Seats in {name}</h2>
        <p className={`muted ${styles.legendNote}`} id="section-seats-help">
          {canPick
            ? "Arrow keys move between seats; Enter or Space picks a seat or puts it back."
            : "Join the waiting room to choose seats. Arrow keys move between seats."}
        </p>
      </div>
      <div className={styles.seatRows} role="group" aria-label={`Seats in ${name}`} aria-describedby="section-seats-help">
        {rows.map((row, r) => {
          const rowLabel = model.rowLabels[model.row[row[0]!]!] ?? "?";
          return (
            <div className={styles.seatRow} key={rowLabel + r} role="group" aria-label={`Row ${rowLabel}`}>
              <span className={styles.seatRowLabel} aria-hidden="true">
                {rowLabel}
              </span>
              <div className={styles.seatRowSeats}>
                {row.map((i, c) => {
                  const id = ids(i);
                  const status = model.status[i]!;
                  const state: SeatState = mine.has(id) ? "mine" : status === 0 ? "available" : status === 1 ? "held" : "sold";
                  const tier = tiers[model.tier[i]!];
                  const price = tier ? `, ${spokenMoney(tier.priceMinor, tier.currency)}` : "";
                  const pressed = selected.has(id);
                  const unavailable = state !== "available" || !canPick;
                  return (
                    <button
                      key={id}
                      ref={(el) => {
                        if (el) buttons.current.set(id, el);
                        else buttons.current.delete(id);
                      }}
                      type="button"
                      className={styles.seatButton}
                      data-state={state}
                      style={tier ? ({ "--tier": tier.color } as CSSProperties) : undefined}
                      tabIndex={id === tabStop ? 0 : -1}
                      aria-label={`${seatLabel(model, i)}${price}, ${WORD[state]}`}
                      aria-pressed={state === "available" ? pressed : undefined}
                      aria-disabled={unavailable && !pressed ? true : undefined}
                      onFocus={() => setFocusId(id)}
                      onKeyDown={(e) => move(e, r, c)}
                      onClick={() => {
                        if (canPick && (state === "available" || pressed)) onToggle(id);
                      }}
                    >
                      {model.number[i]}
                    </button>
                  );
                })}
              </div>
            </div>
          );
        })}
      </div>
    </section>
  );
}
