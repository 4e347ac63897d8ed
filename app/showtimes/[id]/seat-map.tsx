"use client";
// The seat map: a canvas for 15,000+ seats, a legend, and a section list that is the keyboard way in.
import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState, type CSSProperties } from "react";
import type { SeatMap } from "@/server/domain/seatmap/seat-map";
import { formatMoney } from "@/server/domain/money";
import { useTRPC } from "../../_trpc/client";
import { SeatMapController, type Palette } from "./seat-map-controller";
import { buildSeatModel, sectionLabel, STATUS_WORD, type SeatModel } from "./seat-map-model";

const HELD = "#848c9b";
const SOLD = "#d3d8e0";
const count = new Intl.NumberFormat("en-US");
const fmt = (n: number) => count.format(n);

export function SeatMapView({ showtimeId }: { showtimeId: string }) {
  const trpc = useTRPC();
  const query = useQuery(
    trpc.showtimes.seatMap.queryOptions(
      { showtimeId },
      { staleTime: 30_000, refetchOnWindowFocus: false },
    ),
  );

  if (query.data === undefined) {
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
    return <SeatMapSkeleton />;
  }

  if (query.data.sections.length === 0) {
    return (
      <div className="empty-state">
        <h2>No seat map yet</h2>
        <p>Seats for this showtime haven’t been released. Check back soon.</p>
      </div>
    );
  }

  return (
    <LoadedSeatMap
      data={query.data}
      refreshing={query.isFetching}
      refreshFailed={query.isError}
      onRefresh={() => void query.refetch()}
    />
  );
}

export function SeatMapSkeleton() {
  return (
    <div role="status" aria-live="polite">
      <span className="visually-hidden">Loading the seat map…</span>
      <div className="seatmap-layout" aria-hidden="true">
        <div className="skeleton seatmap-canvas-wrap" />
        <div>
          {Array.from({ length: 5 }, (_, i) => (
            <div key={i} className="skeleton skeleton-line" style={{ height: "2.2rem" }} />
          ))}
        </div>
      </div>
    </div>
  );
}

function LoadedSeatMap({
  data,
  refreshing,
  refreshFailed,
  onRefresh,
}: {
  data: SeatMap;
  refreshing: boolean;
  refreshFailed: boolean;
  onRefresh: () => void;
}) {
  const model = useMemo(() => buildSeatModel(data), [data]);
  const palette = useMemo<Palette>(() => ({ tiers: data.tiers.map((t) => t.color), held: HELD, sold: SOLD }), [data.tiers]);

  const canvasRef = useRef<HTMLCanvasElement>(null);
  const tooltipRef = useRef<HTMLDivElement>(null);
  const controllerRef = useRef<SeatMapController | null>(null);
  const latest = useRef({ model, data, palette });
  const [zoom, setZoom] = useState(100);
  const [activeSection, setActiveSection] = useState<number | null>(null);
  const [announcement, setAnnouncement] = useState("");

  useEffect(() => {
    latest.current = { model, data, palette };
    const controller = controllerRef.current;
    if (controller) controller.setModel(model, palette);
  }, [model, data, palette]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const controller = new SeatMapController(canvas, latest.current.model, latest.current.palette, {
      onZoom: setZoom,
      onHover: (seat, x, y) => showTooltip(tooltipRef.current, latest.current, seat, x, y),
    });
    controllerRef.current = controller;
    return () => {
      controller.destroy();
      controllerRef.current = null;
    };
    // The controller lives as long as the canvas; new data reaches it through setModel above.
  }, []);

  const focusSection = (i: number) => {
    const s = model.sections[i];
    if (!s) return;
    controllerRef.current?.focusSection(i);
    // On narrow screens the list sits below the map: bring the map into view (focus stays on the button).
    canvasRef.current?.scrollIntoView({ block: "nearest", behavior: "smooth" });
    setActiveSection(i);
    setAnnouncement(`Showing ${sectionLabel(s.name)}: ${fmt(s.available)} of ${fmt(s.total)} seats available.`);
  };

  const reset = () => {
    controllerRef.current?.reset();
    setActiveSection(null);
    setAnnouncement("Showing the whole venue.");
  };

  const { counts } = model;
  return (
    <div className="seatmap">
      <div className="seatmap-summary">
        <p>
          <strong>{fmt(counts.available)}</strong> of {fmt(counts.total)} seats available
          <span className="muted">
            {" "}
            · {fmt(counts.held)} on hold · {fmt(counts.sold)} sold
          </span>
        </p>
        <button type="button" className="button button-secondary button-small" onClick={onRefresh} disabled={refreshing}>
          {refreshing ? "Refreshing…" : "Refresh availability"}
        </button>
      </div>
      {refreshFailed ? (
        <p className="alert alert-error" role="alert">
          We couldn’t refresh availability; the map may be out of date.{" "}
          <button type="button" className="link-button" onClick={onRefresh}>
            Try again
          </button>
        </p>
      ) : null}

      <div className="seatmap-layout">
        <div>
          <div
            className="seatmap-canvas-wrap"
            style={{ "--map-aspect": String(mapAspect(model)) } as CSSProperties}
          >
            <canvas
              ref={canvasRef}
              id="seat-canvas"
              className="seatmap-canvas"
              tabIndex={0}
              role="application"
              aria-roledescription="seat map"
              aria-label={`Seat map of ${data.venue.name}`}
              aria-describedby="seatmap-help"
            >
              Use the section list to explore the seats.
            </canvas>
            <div className="seatmap-controls" role="group" aria-label="Map view">
              <button type="button" aria-label="Zoom in" aria-controls="seat-canvas" onClick={() => controllerRef.current?.zoomIn()}>
                <span aria-hidden="true">+</span>
              </button>
              <button type="button" aria-label="Zoom out" aria-controls="seat-canvas" onClick={() => controllerRef.current?.zoomOut()}>
                <span aria-hidden="true">−</span>
              </button>
              <button type="button" aria-controls="seat-canvas" onClick={reset} className="seatmap-reset">
                Reset
              </button>
            </div>
            <output className="seatmap-zoom" aria-live="polite">
              <span className="visually-hidden">Zoom </span>
              {zoom}%
            </output>
            <div ref={tooltipRef} className="seatmap-tooltip" role="tooltip" hidden />
          </div>
          <p id="seatmap-help" className="seatmap-help">
            Scroll or pinch to zoom, drag to move. With the map focused, <kbd>+</kbd> and <kbd>−</kbd> zoom, arrow keys
            move and <kbd>0</kbd> resets. Hover or tap a seat to see its price.
          </p>
        </div>

        <div className="seatmap-side">
          <section className="card seatmap-legend" aria-labelledby="legend-title">
            <h2 id="legend-title">Prices</h2>
            <p className="muted legend-note">Ticket price + booking fee, per seat.</p>
            <ul>
              {data.tiers.map((t, i) => (
                <li key={t.id}>
                  <span className="swatch" style={{ background: t.color }} aria-hidden="true" />
                  <span className="legend-name">{t.name}</span>
                  <span className="legend-price">
                    {formatMoney(t.priceMinor, t.currency)}
                    <span className="muted"> + {formatMoney(t.feeMinor, t.currency)} fee</span>
                  </span>
                  <span className="legend-count">{fmt(model.tierCounts[i]?.available ?? 0)} left</span>
                </li>
              ))}
              <li>
                <span className="swatch swatch-held" style={{ borderColor: HELD }} aria-hidden="true" />
                <span className="legend-name">On hold</span>
                <span className="legend-price muted">May come back</span>
                <span className="legend-count">{fmt(counts.held)}</span>
              </li>
              <li>
                <span className="swatch" style={{ background: SOLD }} aria-hidden="true" />
                <span className="legend-name">Sold</span>
                <span className="legend-price muted">Not available</span>
                <span className="legend-count">{fmt(counts.sold)}</span>
              </li>
            </ul>
          </section>

          <section className="card seatmap-sections" aria-labelledby="sections-title">
            <h2 id="sections-title">Sections</h2>
            <p className="muted legend-note" id="sections-hint">
              Pick a section to zoom the map to it.
            </p>
            <ul className="section-buttons" aria-describedby="sections-hint">
              {model.sections.map((s, i) => (
                <li key={s.id}>
                  <button
                    type="button"
                    aria-pressed={activeSection === i}
                    aria-controls="seat-canvas"
                    disabled={s.total === 0}
                    onClick={() => focusSection(i)}
                  >
                    <span className="section-name">{sectionLabel(s.name)}</span>
                    <span className={s.available === 0 ? "section-count section-count-none" : "section-count"}>
                      {s.available === 0 ? "None available" : `${fmt(s.available)} available`}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
            <p className="visually-hidden" role="status">
              {announcement}
            </p>
          </section>
        </div>
      </div>
    </div>
  );
}

/** Width over height of what "fit" shows, so phones can size the map to the venue instead of a fixed box. */
function mapAspect(model: SeatModel): number {
  const { bounds: b } = model;
  const ratio = (b.x1 - b.x0) / Math.max(1, b.y1 - b.y0);
  return Math.min(2, Math.max(0.6, ratio));
}

function showTooltip(
  el: HTMLDivElement | null,
  { model, data }: { model: SeatModel; data: SeatMap },
  seat: number,
  x: number,
  y: number,
) {
  if (!el) return;
  if (seat < 0) {
    el.hidden = true;
    return;
  }
  const section = model.sections[model.section[seat]!];
  const tier = data.tiers[model.tier[seat]!];
  const status = STATUS_WORD[model.status[seat]!] ?? "unavailable";
  const parts = [
    `${sectionLabel(section?.name ?? "?")}, row ${model.rowLabels[model.row[seat]!] ?? "?"}, seat ${model.number[seat]}`,
    tier ? formatMoney(tier.priceMinor, tier.currency) : null,
    status,
  ];
  el.textContent = parts.filter(Boolean).join(" · ");
  el.dataset.status = status;
  el.hidden = false;
  const wrap = el.parentElement;
  const maxX = (wrap?.clientWidth ?? 0) - el.offsetWidth - 8;
  const maxY = (wrap?.clientHeight ?? 0) - el.offsetHeight - 8;
  let left = x + 14;
  let top = y + 16;
  if (left > maxX) left = x - el.offsetWidth - 14;
  if (top > maxY) top = y - el.offsetHeight - 12;
  el.style.transform = `translate(${Math.max(8, Math.round(left))}px, ${Math.max(8, Math.round(top))}px)`;
}
