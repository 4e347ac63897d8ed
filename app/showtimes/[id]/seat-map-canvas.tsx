// The map itself: the canvas, its zoom buttons and level, the seat tooltip, and how to use it in words.
import type { CSSProperties, RefObject } from "react";
import type { SeatMapController } from "./seat-map-controller";
import { mapAspect, type SeatModel } from "./seat-map-model";
import styles from "./showtime.module.css";

type Props = {
  canvasRef: RefObject<HTMLCanvasElement | null>;
  tooltipRef: RefObject<HTMLDivElement | null>;
  controller: RefObject<SeatMapController | null>;
  zoom: number;
  model: SeatModel;
  venueName: string;
  canPick: boolean;
  onReset: () => void;
};

export function SeatMapCanvas({ canvasRef, tooltipRef, controller, zoom, model, venueName, canPick, onReset }: Props) {
  return (
    <>
      <div className={styles.seatmapCanvasWrap} style={{ "--map-aspect": String(mapAspect(model)) } as CSSProperties}>
        <canvas
          ref={canvasRef}
          id="seat-canvas"
          className={styles.seatmapCanvas}
          tabIndex={0}
          role="application"
          aria-roledescription="seat map"
          aria-label={`Seat map of ${venueName}`}
          aria-describedby="seatmap-help"
        >
          Use the section list to explore the seats.
        </canvas>
        <div className={styles.seatmapControls} role="group" aria-label="Map view">
          <button type="button" aria-label="Zoom in" aria-controls="seat-canvas" onClick={() => controller.current?.zoomIn()}>
            <span aria-hidden="true">+</span>
          </button>
          <button type="button" aria-label="Zoom out" aria-controls="seat-canvas" onClick={() => controller.current?.zoomOut()}>
            <span aria-hidden="true">−</span>
          </button>
          <button type="button" aria-controls="seat-canvas" onClick={onReset} className={styles.seatmapReset}>
            Reset
          </button>
        </div>
        <output className={styles.seatmapZoom} aria-live="polite">
          <span className="visually-hidden">Zoom </span>
          {zoom}%
        </output>
        <div ref={tooltipRef} className={styles.seatmapTooltip} role="tooltip" hidden />
      </div>
      <p id="seatmap-help" className={styles.seatmapHelp}>
        Scroll or pinch to zoom, drag to move.{" "}
        <span className={styles.keyboardHint}>
          With the map focused, <kbd>+</kbd> and <kbd>−</kbd> zoom, arrow keys move and <kbd>0</kbd> resets.{" "}
        </span>
        {canPick
          ? "Click or tap a seat to pick it; pick a section to choose from a list of its seats."
          : "Hover or tap a seat to see its price."}
      </p>
    </>
  );
}
