import { describe, expect, it } from "vitest";
import {
  centreOf,
  clampPan,
  easeOut,
  fitScaleOf,
  fitView,
  keepCentre,
  panBy,
  scaleLimits,
  toVenue,
  tooltipPosition,
  viewBetween,
  visibleRect,
  wheelZoomFactor,
  zoomAt,
  zoomPercent,
  type View,
} from "./seat-map-view";

// A venue 1,000 × 500 units on a canvas 532 × 282 pixels: with the 16-pixel margin, fit is exactly 0.5.
const bounds = { x0: 0, y0: 0, x1: 1000, y1: 500 };
const size = { w: 532, h: 282 };
const fit = 0.5;
const limits = scaleLimits(fit, 10);
const fitted = (): View => fitView(bounds, size, limits);
/** Where a venue point lands on the canvas. */
const onCanvas = (v: View, x: number, y: number) => ({ x: x * v.s + v.tx, y: y * v.s + v.ty });

describe("fit", () => {
  it("scales the venue to the canvas less a margin, and centres it", () => {
    expect(fitScaleOf(bounds, size)).toBe(0.5);
    expect(fitted()).toEqual({ s: 0.5, tx: 16, ty: 16 });
    expect(centreOf(fitted(), size)).toEqual({ x: 500, y: 250 });
  });

  it("fits a section (a smaller rectangle) closer, but no closer than the zoom limit", () => {
    const section = { x0: 100, y0: 100, x1: 150, y1: 125 };
    const v = fitView(section, size, limits);
    expect(v.s).toBe(limits.max);
    expect(centreOf(v, size)).toEqual({ x: 125, y: 112.5 });
  });

  it("limits zoom to a little past fit outwards, and to tappable seats inwards", () => {
    expect(scaleLimits(0.5, 10)).toEqual({ min: 0.4, max: 6 });
    // A venue with big seats: twice fit is the most.
    expect(scaleLimits(0.5, 1000)).toEqual({ min: 0.4, max: 1 });
  });
});

describe("zoom", () => {
  it("keeps the point under the pointer where it is", () => {
    const v = zoomAt(fitted(), { x: 200, y: 100 }, 2, limits, bounds, size);
    expect(v.s).toBe(1);
    const under = toVenue(fitted(), { x: 200, y: 100 });
    expect(onCanvas(v, under.x, under.y)).toEqual({ x: 200, y: 100 });
  });

  it("stops at the limits", () => {
    expect(zoomAt(fitted(), { x: 266, y: 141 }, 100, limits, bounds, size).s).toBe(6);
    expect(zoomAt(fitted(), { x: 266, y: 141 }, 0.01, limits, bounds, size).s).toBe(0.4);
  });

  it("reads as percent of fit", () => {
    expect(zoomPercent(fitted(), fit)).toBe(100);
    expect(zoomPercent({ s: 0.7, tx: 0, ty: 0 }, fit)).toBe(140);
  });

  it("turns wheel lines, pages and pinches into the same smooth factor", () => {
    expect(wheelZoomFactor(-100, 0, false, 800)).toBeCloseTo(Math.exp(0.15));
    expect(wheelZoomFactor(100, 0, false, 800)).toBeLessThan(1);
    expect(wheelZoomFactor(-1, 1, false, 800)).toBeCloseTo(wheelZoomFactor(-16, 0, false, 800));
    expect(wheelZoomFactor(-1, 2, false, 800)).toBeCloseTo(wheelZoomFactor(-800, 0, false, 800));
    expect(wheelZoomFactor(-10, 0, true, 800)).toBeCloseTo(Math.exp(0.1));
  });
});

describe("pan", () => {
  it("moves the view by the drag", () => {
    expect(panBy(fitted(), 30, -20, bounds, size)).toEqual({ s: 0.5, tx: 46, ty: -4 });
  });

  it("keeps 60 pixels of the venue on screen whichever way it is dragged", () => {
    const v = fitted();
    const left = clampPan({ ...v, tx: -10_000 }, bounds, size);
    expect(onCanvas(left, 1000, 0).x).toBe(60);
    const right = clampPan({ ...v, tx: 10_000 }, bounds, size);
    expect(onCanvas(right, 0, 0).x).toBe(size.w - 60);
    const up = clampPan({ ...v, ty: -10_000 }, bounds, size);
    expect(onCanvas(up, 0, 500).y).toBe(60);
    const down = clampPan({ ...v, ty: 10_000 }, bounds, size);
    expect(onCanvas(down, 0, 0).y).toBe(size.h - 60);
  });
});

describe("what is on screen", () => {
  it("is the canvas in venue units, grown by the pad", () => {
    expect(visibleRect(fitted(), size, 10)).toEqual({ x0: -42, y0: -42, x1: 1042, y1: 542 });
    const zoomed = { s: 2, tx: -400, ty: -200 };
    expect(visibleRect(zoomed, size, 0)).toEqual({ x0: 200, y0: 100, x1: 466, y1: 241 });
  });

  it("after a resize, keeps the same venue point in the middle at the same zoom relative to fit", () => {
    const wide = { w: 1032, h: 532 };
    const v = keepCentre({ x: 300, y: 200 }, 2, fitScaleOf(bounds, wide), scaleLimits(fitScaleOf(bounds, wide), 10), bounds, wide);
    expect(v.s).toBe(2);
    expect(centreOf(v, wide)).toEqual({ x: 300, y: 200 });
  });
});

describe("animation", () => {
  it("starts at the first view, ends at the second, and zooms evenly in log space", () => {
    const a = fitted();
    const b = fitView({ x0: 100, y0: 100, x1: 300, y1: 200 }, size, limits);
    expect(viewBetween(a, b, 0, size)).toEqual(a);
    const end = viewBetween(a, b, 1, size);
    expect(end.s).toBeCloseTo(b.s);
    expect(end.tx).toBeCloseTo(b.tx);
    expect(end.ty).toBeCloseTo(b.ty);
    expect(viewBetween(a, b, 0.5, size).s).toBeCloseTo(Math.sqrt(a.s * b.s));
  });

  it("eases out", () => {
    expect(easeOut(0)).toBe(0);
    expect(easeOut(0.5)).toBe(0.875);
    expect(easeOut(1)).toBe(1);
    expect(easeOut(2)).toBe(1);
  });
});

describe("tooltipPosition", () => {
  const box = { w: 400, h: 300 };
  const tip = { w: 120, h: 30 };

  it("sits below and to the right of the pointer", () => {
    expect(tooltipPosition({ x: 50, y: 40 }, tip, box)).toEqual({ x: 64, y: 56 });
  });

  it("flips to the left and above near the far edges", () => {
    expect(tooltipPosition({ x: 350, y: 280 }, tip, box)).toEqual({ x: 216, y: 238 });
  });

  it("never leaves the near edges", () => {
    expect(tooltipPosition({ x: 100, y: 280 }, { w: 120, h: 400 }, box)).toEqual({ x: 114, y: 8 });
  });
});
