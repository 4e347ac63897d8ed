"use client";
// The live preview of a venue's whole layout: regenerated ~100 ms after the last keystroke, drawn on one
// canvas, with the seat count and how long generating and drawing took (performance.now, in the browser).
import { useEffect, useMemo, useRef, useState } from "react";
import { formatCount } from "../../../_components/format";
import { drawPreview, generatePreview, seatsOutside, type PreviewLayout, type VenueFrame } from "./layout-preview";
import type { SectionSpec } from "./venue-draft";
import styles from "./venue-form.module.css";

const DEBOUNCE_MS = 100;

type Props = {
  frame: VenueFrame;
  specs: SectionSpec[];
  /** Sections left out of the drawing because a field is not valid yet. */
  skipped: string[];
};

type Stats = { run: number; seats: number; sections: number; generateMs: number; drawMs: number; outside: number };

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

function canvasSize(wrap: HTMLElement, frame: VenueFrame) {
  const w = Math.max(200, wrap.clientWidth);
  const ratio = frame.width > 0 && frame.height > 0 ? frame.height / frame.width : 0.75;
  return { w, h: Math.round(Math.min(560, Math.max(220, w * ratio))) };
}

/** Sizes the canvas to its box and draws `layout`; returns the time spent drawing. */
function paint(canvas: HTMLCanvasElement | null, wrap: HTMLElement | null, layout: PreviewLayout, f: VenueFrame): number {
  const ctx = canvas?.getContext("2d");
  if (!canvas || !wrap || !ctx) return 0;
  const t0 = performance.now();
  const { w, h } = canvasSize(wrap, f);
  const dpr = Math.min(2, window.devicePixelRatio || 1);
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    canvas.style.height = `${h}px`;
  }
  drawPreview(ctx, layout, f, w, h, dpr);
  return performance.now() - t0;
}

export function LayoutPreviewCanvas({ frame, specs, skipped }: Props) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const layoutRef = useRef<PreviewLayout | null>(null);
  const frameRef = useRef(frame);
  const [stats, setStats] = useState<Stats | null>(null);
  // One object per real change (the form memoizes frame and specs), so the debounce settles.
  const input = useMemo(() => ({ frame, specs }), [frame, specs]);
  const settled = useDebounced(input, DEBOUNCE_MS);

  // Generate and draw whenever the settled fields change; the figure in the caption covers both.
  useEffect(() => {
    const t0 = performance.now();
    const layout = generatePreview(settled.specs);
    const generateMs = performance.now() - t0;
    layoutRef.current = layout;
    frameRef.current = settled.frame;
    const drawMs = paint(canvasRef.current, wrapRef.current, layout, settled.frame);
    // Measured after the fact: one state update per debounced change.
    setStats((prev) => ({
      run: (prev?.run ?? 0) + 1,
      seats: layout.seats,
      sections: layout.sections.length,
      generateMs,
      drawMs,
      outside: seatsOutside(layout, settled.frame),
    }));
  }, [settled]);

  // A resized box is redrawn from the seats already generated.
  useEffect(() => {
    const wrap = wrapRef.current;
    if (!wrap) return;
    let frameId = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frameId);
      frameId = requestAnimationFrame(() => {
        if (layoutRef.current) paint(canvasRef.current, wrap, layoutRef.current, frameRef.current);
      });
    });
    observer.observe(wrap);
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frameId);
    };
  }, []);

  const total = stats ? Math.round(stats.generateMs + stats.drawMs) : null;
  const label = stats
    ? `Preview of the seat layout: ${formatCount(stats.seats)} seats in ${stats.sections} ${stats.sections === 1 ? "section" : "sections"}`
    : "Preview of the seat layout";

  return (
    <figure className={styles.adminPreview} aria-labelledby="layout-preview-caption">
      <div ref={wrapRef} className={styles.adminPreviewCanvas}>
        <canvas ref={canvasRef} role="img" aria-label={label} />
      </div>
      <figcaption id="layout-preview-caption">
        <span
          className={styles.adminPreviewCount}
          data-testid="preview-count"
          data-seats={stats?.seats ?? 0}
          data-run={stats?.run ?? 0}
          data-generate-ms={stats ? stats.generateMs.toFixed(2) : undefined}
          data-draw-ms={stats ? stats.drawMs.toFixed(2) : undefined}
          title={stats ? `Generated in ${stats.generateMs.toFixed(1)} ms, drawn in ${stats.drawMs.toFixed(1)} ms` : undefined}
        >
          {stats ? `${formatCount(stats.seats)} ${stats.seats === 1 ? "seat" : "seats"} · generated and drawn in ${total} ms` : "Drawing…"}
        </span>
        {stats && stats.outside > 0 ? (
          <span className={styles.adminPreviewWarning}>
            {formatCount(stats.outside)} {stats.outside === 1 ? "seat falls" : "seats fall"} outside the drawing area; make it larger or
            move the sections.
          </span>
        ) : null}
        {skipped.length > 0 ? <span className={styles.adminPreviewWarning}>Not drawn until fixed: {skipped.join(", ")}.</span> : null}
      </figcaption>
    </figure>
  );
}
