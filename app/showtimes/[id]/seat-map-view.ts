// The seat map's view as plain arithmetic: where the venue sits on the canvas (scale and offset), how far
// it may zoom, what "fit" means, how a pan is kept in bounds, where a tooltip fits. The controller only
// feeds it sizes and pointer positions, so the rules can be tested without a canvas or a browser.
import type { Rect } from "./seat-map-model";

/** Venue units to CSS pixels: x' = x·s + tx, y' = y·s + ty. */
export type View = { s: number; tx: number; ty: number };
export type Size = { w: number; h: number };
export type Point = { x: number; y: number };
export type ScaleLimits = { min: number; max: number };

/** Room left around the venue when it is fitted to the canvas, in CSS pixels. */
const FIT_MARGIN = 16;
/** How much of the venue stays on screen however far it is dragged, in CSS pixels. */
const KEEP_VISIBLE = 60;
/** At most zoom, a seat is about this many CSS pixels across. */
const MAX_SEAT_PX = 60;

/** The scale at which a rectangle of the venue fills the canvas, less the margin. */
export function fitScaleOf(r: Rect, size: Size): number {
  return Math.min((size.w - FIT_MARGIN * 2) / Math.max(1, r.x1 - r.x0), (size.h - FIT_MARGIN * 2) / Math.max(1, r.y1 - r.y0));
}

/** Zooming out stops a little past "fit"; zooming in, when seats are big enough to tap. */
export function scaleLimits(fitScale: number, pitch: number): ScaleLimits {
  return { min: fitScale * 0.8, max: Math.max(fitScale * 2, MAX_SEAT_PX / pitch) };
}

export function clampScale(s: number, limits: ScaleLimits): number {
  return Math.min(limits.max, Math.max(limits.min, s));
}

/** The view that centres a rectangle of the venue and shows all of it, within the scale limits. */
export function fitView(r: Rect, size: Size, limits: ScaleLimits): View {
  const s = fitScaleOf(r, size);
  // Before the first fit the limits are not known yet (0): the rectangle's own fit stands.
  const scale = Math.max(limits.min || s, Math.min(limits.max, s));
  return { s: scale, tx: size.w / 2 - ((r.x0 + r.x1) / 2) * scale, ty: size.h / 2 - ((r.y0 + r.y1) / 2) * scale };
}

/** Moves the view back just enough that some of the venue stays on screen, so the map cannot be lost off an edge. */
export function clampPan(v: View, bounds: Rect, size: Size): View {
  const left = bounds.x0 * v.s + v.tx;
  const right = bounds.x1 * v.s + v.tx;
  const top = bounds.y0 * v.s + v.ty;
  const bottom = bounds.y1 * v.s + v.ty;
  let { tx, ty } = v;
  if (right < KEEP_VISIBLE) tx += KEEP_VISIBLE - right;
  if (left > size.w - KEEP_VISIBLE) tx -= left - (size.w - KEEP_VISIBLE);
  if (bottom < KEEP_VISIBLE) ty += KEEP_VISIBLE - bottom;
  if (top > size.h - KEEP_VISIBLE) ty -= top - (size.h - KEEP_VISIBLE);
  return { s: v.s, tx, ty };
}

/** Zooms by a factor about a point on the canvas, which stays under the pointer (unless the scale hits a limit). */
export function zoomAt(from: View, p: Point, factor: number, limits: ScaleLimits, bounds: Rect, size: Size): View {
  const s = clampScale(from.s * factor, limits);
  const k = s / from.s;
  return clampPan({ s, tx: p.x - (p.x - from.tx) * k, ty: p.y - (p.y - from.ty) * k }, bounds, size);
}

export function panBy(v: View, dx: number, dy: number, bounds: Rect, size: Size): View {
  return clampPan({ s: v.s, tx: v.tx + dx, ty: v.ty + dy }, bounds, size);
}

/** A point on the canvas (CSS pixels) in venue units. */
export function toVenue(v: View, p: Point): Point {
  return { x: (p.x - v.tx) / v.s, y: (p.y - v.ty) / v.s };
}

/** The venue point at the middle of the canvas. */
export function centreOf(v: View, size: Size): Point {
  return toVenue(v, { x: size.w / 2, y: size.h / 2 });
}

/** The part of the venue on screen, grown by a pad (venue units): sections outside it need no drawing. */
export function visibleRect(v: View, size: Size, pad: number): Rect {
  const a = toVenue(v, { x: 0, y: 0 });
  const b = toVenue(v, { x: size.w, y: size.h });
  return { x0: a.x - pad, y0: a.y - pad, x1: b.x + pad, y1: b.y + pad };
}

/** Zoom relative to "fit", in whole percent, as the page shows it. */
export function zoomPercent(v: View, fitScale: number): number {
  return Math.round((v.s / fitScale) * 100);
}

/**
 * After the canvas changes size: the same venue point in the middle, at the same zoom relative to the new
 * fit, so a rotated phone or a wider window keeps what the fan was looking at.
 */
export function keepCentre(centre: Point, zoomRatio: number, fitScale: number, limits: ScaleLimits, bounds: Rect, size: Size): View {
  const s = clampScale(fitScale * zoomRatio, limits);
  return clampPan({ s, tx: size.w / 2 - centre.x * s, ty: size.h / 2 - centre.y * s }, bounds, size);
}

/**
 * A frame of the animation between two views, t in 0..1 already eased: the centre moves in venue units and
 * the scale in log space, so zooming feels even whichever way it goes.
 */
export function viewBetween(from: View, to: View, t: number, size: Size): View {
  const a = centreOf(from, size);
  const b = centreOf(to, size);
  const s = Math.exp(Math.log(from.s) + (Math.log(to.s) - Math.log(from.s)) * t);
  const x = a.x + (b.x - a.x) * t;
  const y = a.y + (b.y - a.y) * t;
  return { s, tx: size.w / 2 - x * s, ty: size.h / 2 - y * s };
}

/** Ease-out cubic: quick at first, settling gently. */
export const easeOut = (t: number) => 1 - (1 - Math.min(1, Math.max(0, t))) ** 3;

/**
 * A wheel event as a zoom factor. Lines and pages become pixels first; trackpad pinches arrive as ctrl+wheel
 * with small deltas, so they are scaled up to feel the same as a mouse wheel.
 */
export function wheelZoomFactor(deltaY: number, deltaMode: number, ctrlKey: boolean, pageHeight: number): number {
  const unit = deltaMode === 1 ? 16 : deltaMode === 2 ? pageHeight : 1;
  return Math.exp(-deltaY * unit * (ctrlKey ? 0.01 : 0.0015));
}

/**
 * Where a tooltip of a given size goes beside the pointer: below and to the right, flipped to the other side
 * of the pointer where it would leave the box, and never closer than 8 pixels to its top or left edge.
 */
export function tooltipPosition(pointer: Point, tip: Size, box: Size): Point {
  const maxX = box.w - tip.w - 8;
  const maxY = box.h - tip.h - 8;
  let left = pointer.x + 14;
  let top = pointer.y + 16;
  if (left > maxX) left = pointer.x - tip.w - 14;
  if (top > maxY) top = pointer.y - tip.h - 12;
  return { x: Math.max(8, Math.round(left)), y: Math.max(8, Math.round(top)) };
}
