// Draws a SeatModel on a canvas and owns its view: zoom and pan by wheel, drag, pinch, buttons and keys.
// Kept outside React so pointer moves and frames never re-render the page; React hears only zoom changes
// and taps. Seats are painted as one set of paths per section, so a live change re-paths only its sections.
import { hitTest, sectionCorners, type Rect, type SeatModel } from "./seat-map-model";
import {
  centreOf,
  easeOut,
  fitScaleOf,
  fitView,
  keepCentre,
  panBy,
  scaleLimits,
  toVenue,
  viewBetween,
  visibleRect,
  wheelZoomFactor,
  zoomAt,
  zoomPercent,
  type Point,
  type ScaleLimits,
  type Size,
  type View,
} from "./seat-map-view";

export type Palette = { tiers: string[]; held: string; sold: string };

/** Held and sold seats, in the map and its legend. */
export const HELD = "#848c9b";
export const SOLD = "#d3d8e0";
export const paletteOf = (tiers: readonly { color: string }[]): Palette => ({ tiers: tiers.map((t) => t.color), held: HELD, sold: SOLD });

export type ControllerEvents = {
  /** Zoom relative to "fit", in percent, after each frame that changed it. */
  onZoom: (percent: number) => void;
  /** The seat under the pointer (or tapped), with its position in CSS pixels inside the canvas; -1 for none. */
  onHover: (seat: number, x: number, y: number) => void;
  /** A click or tap (not a drag) on a seat. */
  onActivate?: (seat: number) => void;
};

type SeatPaths = { style: string; path: Path2D; stroke: boolean }[];

const BG = "#f8f9fc";
const SECTION_FILL = "#eceef5";
const STAGE_FILL = "#1c1f2e";
const ACTIVE = "#4c2fd8";
/** The fan's picks: a dark seat in a ring. Their held seats: filled in the brand colour with a white dot. */
export const SELECTED_FILL = "#14161f";
export const MINE_FILL = ACTIVE;
const LABEL = "#3d4456";
const KEY_ZOOM = 1.4;
const KEY_PAN = 80;

function context2d(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
  const ctx = canvas.getContext("2d", { alpha: false });
  if (!ctx) throw new Error("Canvas 2D is not available in this browser.");
  return ctx;
}

export class SeatMapController {
  private ctx: CanvasRenderingContext2D;
  private model: SeatModel;
  private palette: Palette;
  private paths: SeatPaths[] = [];
  private dirty = new Set<number>();
  private selected: number[] = [];
  private mine: number[] = [];
  private selectable = false;
  private sectionPath = new Path2D();
  private cssW = 0;
  private cssH = 0;
  private dpr = 1;
  private view: View = { s: 1, tx: 0, ty: 0 };
  private fitScale = 1;
  /** Until someone moves the map, a resize re-fits it instead of keeping the old view. */
  private fitted = true;
  private frame = 0;
  private tween = 0;
  private hovered = -1;
  private activeSection = -1;
  private lastZoom = -1;
  private pointers = new Map<number, { x: number; y: number }>();
  private gesture: { moved: number; pinch: number; downAt: { x: number; y: number } } | null = null;
  private resizeObserver: ResizeObserver;
  private cleanup: (() => void)[] = [];

  constructor(
    private canvas: HTMLCanvasElement,
    model: SeatModel,
    palette: Palette,
    private events: ControllerEvents,
  ) {
    this.ctx = context2d(canvas);
    this.model = model;
    this.palette = palette;
    this.buildPaths();
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.attach();
  }

  /**
   * Carries this map (its model, paths and view) over to another canvas with other listeners: the picture
   * drawn before React runs becomes the live map without building it again.
   */
  moveTo(canvas: HTMLCanvasElement, events: ControllerEvents) {
    this.resizeObserver.disconnect();
    for (const off of this.cleanup) off();
    this.cleanup = [];
    this.canvas = canvas;
    this.ctx = context2d(canvas);
    this.events = events;
    this.lastZoom = -1;
    this.attach();
  }

  private attach() {
    const canvas = this.canvas;
    this.resizeObserver.observe(canvas);
    this.listen(window, "resize", () => this.resize());
    this.listen(canvas, "wheel", (e) => this.onWheel(e as WheelEvent), { passive: false });
    this.listen(canvas, "pointerdown", (e) => this.onPointerDown(e as PointerEvent));
    this.listen(canvas, "pointermove", (e) => this.onPointerMove(e as PointerEvent));
    this.listen(canvas, "pointerup", (e) => this.onPointerUp(e as PointerEvent));
    this.listen(canvas, "pointercancel", (e) => this.onPointerUp(e as PointerEvent));
    this.listen(canvas, "pointerleave", (e) => {
      if ((e as PointerEvent).pointerType === "mouse" && this.pointers.size === 0) this.setHover(-1, 0, 0);
    });
    this.listen(canvas, "dblclick", (e) => {
      const p = this.local(e as MouseEvent);
      this.zoomAt(p.x, p.y, 2, true);
    });
    this.listen(canvas, "keydown", (e) => this.onKey(e as KeyboardEvent));
    this.resize();
  }

  destroy() {
    cancelAnimationFrame(this.frame);
    cancelAnimationFrame(this.tween);
    this.resizeObserver.disconnect();
    for (const off of this.cleanup) off();
  }

  /** New data (a refresh): same view, new colours. */
  setModel(model: SeatModel, palette: Palette) {
    this.model = model;
    this.palette = palette;
    this.hovered = -1;
    this.dirty.clear();
    this.buildPaths();
    if (this.fitted) this.fit();
    this.schedule();
  }

  /** Seats (indices) whose status changed in the model: their sections are re-pathed on the next frame. */
  seatsChanged(seats: readonly number[]) {
    for (const i of seats) {
      const section = this.model.section[i];
      if (section !== undefined) this.dirty.add(section);
    }
    if (seats.length) this.schedule();
  }

  /** The fan's selected seats and held seats (indices), drawn over the rest. */
  setMarks(selected: number[], mine: number[]) {
    this.selected = selected;
    this.mine = mine;
    this.schedule();
  }

  /** Whether seats can be picked (the fan is admitted): a pointer cursor over seats says so. */
  setSelectable(selectable: boolean) {
    this.selectable = selectable;
  }

  zoomIn() {
    this.zoomAt(this.cssW / 2, this.cssH / 2, KEY_ZOOM, true);
  }

  zoomOut() {
    this.zoomAt(this.cssW / 2, this.cssH / 2, 1 / KEY_ZOOM, true);
  }

  reset() {
    this.activeSection = -1;
    this.animateTo(this.fitView(this.model.bounds));
    this.fitted = true;
  }

  focusSection(index: number) {
    const s = this.model.sections[index];
    if (!s || s.total === 0) return;
    this.activeSection = index;
    const pad = this.model.pitch * 2.5;
    this.animateTo(this.fitView({ x0: s.x0 - pad, y0: s.y0 - pad, x1: s.x1 + pad, y1: s.y1 + pad }));
    this.fitted = false;
  }

  // View: the arithmetic is in seat-map-view.ts; here it meets the canvas and the animation frames.

  private get size(): Size {
    return { w: this.cssW, h: this.cssH };
  }

  private get limits(): ScaleLimits {
    return scaleLimits(this.fitScale, this.model.pitch);
  }

  private fitView(r: Rect): View {
    return fitView(r, this.size, this.limits);
  }

  private fit() {
    this.fitScale = fitScaleOf(this.model.bounds, this.size);
    this.view = this.fitView(this.model.bounds);
  }

  private zoomAt(px: number, py: number, factor: number, animate = false) {
    const next = zoomAt(this.tweenTarget ?? this.view, { x: px, y: py }, factor, this.limits, this.model.bounds, this.size);
    this.fitted = false;
    if (animate) this.animateTo(next);
    else this.setView(next);
  }

  private panBy(dx: number, dy: number) {
    this.fitted = false;
    this.settle();
    this.setView(panBy(this.view, dx, dy, this.model.bounds, this.size));
  }

  private setView(v: View) {
    this.view = v;
    this.schedule();
  }

  private tweenTarget: View | null = null;

  private stopTween() {
    cancelAnimationFrame(this.tween);
    this.tween = 0;
    this.tweenTarget = null;
  }

  /** Jumps to the end of a running animation, so a key pressed mid-zoom adds to the zoom instead of undoing it. */
  private settle() {
    const target = this.tweenTarget;
    this.stopTween();
    if (target) this.view = target;
  }

  /** Eases to a view over 220 ms (at once when the user prefers reduced motion). */
  private animateTo(target: View) {
    this.stopTween();
    const reduce = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches;
    if (reduce) return this.setView(target);
    const from = this.view;
    const start = performance.now();
    this.tweenTarget = target;
    const step = (now: number) => {
      const t = Math.min(1, (now - start) / 220);
      this.setView(viewBetween(from, target, easeOut(t), this.size));
      if (t < 1) this.tween = requestAnimationFrame(step);
      else {
        this.tween = 0;
        this.tweenTarget = null;
        this.setView(target);
      }
    };
    this.tween = requestAnimationFrame(step);
  }

  private resize() {
    const rect = this.canvas.getBoundingClientRect();
    const dpr = Math.min(3, window.devicePixelRatio || 1);
    const w = Math.round(rect.width);
    const h = Math.round(rect.height);
    if (w === 0 || h === 0) return;
    if (w === this.cssW && h === this.cssH && dpr === this.dpr) return;
    const centre: Point | null = this.cssW > 0 ? centreOf(this.view, this.size) : null;
    const ratio = this.view.s / (this.fitScale || 1);
    this.cssW = w;
    this.cssH = h;
    this.dpr = dpr;
    this.canvas.width = Math.round(w * dpr);
    this.canvas.height = Math.round(h * dpr);
    this.fit();
    if (!this.fitted && centre) this.view = keepCentre(centre, ratio, this.fitScale, this.limits, this.model.bounds, this.size);
    this.draw();
  }

  // Drawing ------------------------------------------------------------------------------------

  /** Per section, one Path2D per paint style, in venue units: a frame is a transform and a few fills each. */
  private buildPaths() {
    const m = this.model;
    this.paths = m.sections.map((_, si) => this.sectionPaths(si));
    this.sectionPath = new Path2D();
    for (const s of m.sections) if (s.total > 0) polygon(this.sectionPath, sectionCorners(s, m.pitch * 0.4));
  }

  private sectionPaths(si: number): SeatPaths {
    const m = this.model;
    const section = m.sections[si];
    if (!section) return [];
    const byStyle = new Map<string, { path: Path2D; stroke: boolean }>();
    const pathFor = (style: string, stroke: boolean) => {
      let p = byStyle.get(style);
      if (!p) byStyle.set(style, (p = { path: new Path2D(), stroke }));
      return p.path;
    };
    const r = m.radius;
    const heldR = r * 0.8;
    for (let i = section.from; i < section.to; i++) {
      const st = m.status[i]!;
      const x = m.xs[i]!;
      const y = m.ys[i]!;
      if (st === 0) {
        const p = pathFor(this.palette.tiers[m.tier[i]!] ?? "#6b7280", false);
        p.moveTo(x + r, y);
        p.arc(x, y, r, 0, Math.PI * 2);
      } else if (st === 1) {
        const p = pathFor(this.palette.held, true);
        p.moveTo(x + heldR, y);
        p.arc(x, y, heldR, 0, Math.PI * 2);
      } else {
        const p = pathFor(this.palette.sold, false);
        p.moveTo(x + r * 0.75, y);
        p.arc(x, y, r * 0.75, 0, Math.PI * 2);
      }
    }
    // Sold first (quietest), then held, then the tiers on top.
    const rank = (style: string) => (style === this.palette.sold ? 0 : style === this.palette.held ? 1 : 2);
    return [...byStyle.entries()].map(([style, p]) => ({ style, ...p })).sort((a, b) => rank(a.style) - rank(b.style));
  }

  private schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private draw() {
    const { ctx, model: m, view: v, dpr } = this;
    if (this.cssW === 0) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = BG;
    ctx.fillRect(0, 0, this.cssW, this.cssH);

    // Venue units from here on.
    ctx.setTransform(dpr * v.s, 0, 0, dpr * v.s, dpr * v.tx, dpr * v.ty);
    // Section boxes: filled, then stroked in the same colour with round joins for soft corners.
    ctx.fillStyle = SECTION_FILL;
    ctx.strokeStyle = SECTION_FILL;
    ctx.lineJoin = "round";
    ctx.lineWidth = m.pitch * 0.9;
    ctx.fill(this.sectionPath);
    ctx.stroke(this.sectionPath);

    const st = m.stage;
    ctx.fillStyle = STAGE_FILL;
    ctx.beginPath();
    ctx.roundRect(st.x, st.y, st.w, st.h, Math.min(st.w, st.h) * 0.18);
    ctx.fill();

    for (const si of this.dirty) this.paths[si] = this.sectionPaths(si);
    this.dirty.clear();
    // Sections off screen are skipped: zoomed in on one, a frame paints a handful.
    const { x0: left, y0: top, x1: right, y1: bottom } = visibleRect(v, this.size, m.pitch);
    ctx.lineWidth = m.radius * 0.45;
    m.sections.forEach((s, si) => {
      if (s.total === 0 || s.x1 < left || s.x0 > right || s.y1 < top || s.y0 > bottom) return;
      for (const p of this.paths[si] ?? []) {
        if (p.stroke) {
          ctx.strokeStyle = p.style;
          ctx.stroke(p.path);
        } else {
          ctx.fillStyle = p.style;
          ctx.fill(p.path);
        }
      }
    });
    this.drawMarks();

    const active = m.sections[this.activeSection];
    if (active) {
      ctx.strokeStyle = ACTIVE;
      ctx.lineWidth = 2.5 / v.s;
      ctx.beginPath();
      polygon(ctx, sectionCorners(active, m.pitch * 1.1));
      ctx.stroke();
    }

    if (this.hovered >= 0) {
      const x = m.xs[this.hovered]!;
      const y = m.ys[this.hovered]!;
      ctx.strokeStyle = "#14161f";
      ctx.lineWidth = 2 / v.s;
      ctx.beginPath();
      ctx.arc(x, y, m.radius * 1.35 + 1 / v.s, 0, Math.PI * 2);
      ctx.stroke();
    }

    // Text in CSS pixels, so it stays crisp and readable at every zoom.
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    const stageFont = Math.max(10, Math.min(26, st.h * v.s * 0.34));
    if (st.w * v.s > 40) {
      ctx.font = `700 ${stageFont}px system-ui, sans-serif`;
      ctx.fillStyle = "#ffffff";
      ctx.fillText("STAGE", (st.x + st.w / 2) * v.s + v.tx, (st.y + st.h / 2) * v.s + v.ty);
    }
    this.drawSectionLabels();

    const zoom = zoomPercent(v, this.fitScale);
    if (zoom !== this.lastZoom) {
      this.lastZoom = zoom;
      this.events.onZoom(zoom);
    }
  }

  /** The fan's held seats (brand colour, white dot) and picks (dark, in a ring), above everyone else's. */
  private drawMarks() {
    const { ctx, model: m } = this;
    const r = m.radius;
    if (this.mine.length) {
      ctx.fillStyle = MINE_FILL;
      ctx.beginPath();
      for (const i of this.mine) circle(ctx, m.xs[i]!, m.ys[i]!, r * 1.05);
      ctx.fill();
      ctx.fillStyle = "#ffffff";
      ctx.beginPath();
      for (const i of this.mine) circle(ctx, m.xs[i]!, m.ys[i]!, r * 0.35);
      ctx.fill();
    }
    if (this.selected.length) {
      ctx.strokeStyle = ACTIVE;
      ctx.lineWidth = r * 0.32;
      ctx.beginPath();
      for (const i of this.selected) circle(ctx, m.xs[i]!, m.ys[i]!, r * 1.22);
      ctx.stroke();
      ctx.fillStyle = SELECTED_FILL;
      ctx.beginPath();
      for (const i of this.selected) circle(ctx, m.xs[i]!, m.ys[i]!, r * 0.95);
      ctx.fill();
    }
  }

  /**
   * Section names. Zoomed out, a pill sits on each section (seats are dots there anyway); zoomed in far enough
   * to pick seats, the name moves just outside the section, on the side away from the stage.
   */
  private drawSectionLabels() {
    const { ctx, model: m, view: v } = this;
    const overview = m.radius * 2 * v.s < 7;
    const stageX = m.stage.x + m.stage.w / 2;
    const stageY = m.stage.y + m.stage.h / 2;
    ctx.font = "650 12px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    // Labels that would overlap one already drawn are skipped (the active section's goes first).
    const placed: { x0: number; y0: number; x1: number; y1: number }[] = [];
    const order = m.sections.map((_, i) => i);
    if (this.activeSection >= 0) order.sort((a, b) => (a === this.activeSection ? -1 : b === this.activeSection ? 1 : 0));
    order.forEach((i) => {
      const s = m.sections[i]!;
      if (s.total === 0 || Math.max(s.hu, s.hv) * 2 * v.s < 24) return;
      let x: number;
      let y: number;
      if (overview) {
        [x, y] = [s.cx, s.cy];
      } else {
        const d = unit(s.cx - stageX, s.cy - stageY);
        const reach = Math.abs(d.x * s.ux + d.y * s.uy) * s.hu + Math.abs(-d.x * s.uy + d.y * s.ux) * s.hv;
        x = s.cx + d.x * (reach + m.pitch * 0.6) + (d.x * 14) / v.s;
        y = s.cy + d.y * (reach + m.pitch * 0.6) + (d.y * 12) / v.s;
      }
      const sx = x * v.s + v.tx;
      const sy = y * v.s + v.ty;
      if (sx < -60 || sx > this.cssW + 60 || sy < -20 || sy > this.cssH + 20) return;
      const isActive = i === this.activeSection;
      const w = ctx.measureText(s.name).width + 10;
      const box = { x0: sx - w / 2, y0: sy - 9, x1: sx + w / 2, y1: sy + 9 };
      if (placed.some((b) => b.x0 < box.x1 && box.x0 < b.x1 && b.y0 < box.y1 && box.y0 < b.y1)) return;
      placed.push(box);
      if (overview) {
        ctx.fillStyle = isActive ? ACTIVE : "rgb(255 255 255 / 0.88)";
        ctx.beginPath();
        ctx.roundRect(sx - w / 2, sy - 9, w, 18, 9);
        ctx.fill();
        ctx.fillStyle = isActive ? "#ffffff" : LABEL;
        ctx.fillText(s.name, sx, sy + 0.5);
      } else {
        ctx.lineWidth = 4;
        ctx.strokeStyle = BG;
        ctx.fillStyle = isActive ? ACTIVE : LABEL;
        ctx.strokeText(s.name, sx, sy);
        ctx.fillText(s.name, sx, sy);
      }
    });
  }

  // Input --------------------------------------------------------------------------------------

  private listen(target: EventTarget, type: string, fn: (e: Event) => void, options?: AddEventListenerOptions) {
    target.addEventListener(type, fn, options);
    this.cleanup.push(() => target.removeEventListener(type, fn, options));
  }

  private local(e: MouseEvent) {
    const rect = this.canvas.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  }

  private setHover(seat: number, x: number, y: number) {
    if (seat !== this.hovered) {
      this.hovered = seat;
      this.schedule();
      if (this.pointers.size === 0) this.canvas.style.cursor = seat >= 0 && this.selectable ? "pointer" : "";
    }
    this.events.onHover(seat, x, y);
  }

  private hoverAt(x: number, y: number): number {
    const p = toVenue(this.view, { x, y });
    const seat = hitTest(this.model, p.x, p.y);
    this.setHover(seat, x, y);
    return seat;
  }

  private onWheel(e: WheelEvent) {
    e.preventDefault();
    const factor = wheelZoomFactor(e.deltaY, e.deltaMode, e.ctrlKey, this.cssH);
    const p = this.local(e);
    this.stopTween();
    this.zoomAt(p.x, p.y, factor);
    this.hoverAt(p.x, p.y);
  }

  private onPointerDown(e: PointerEvent) {
    if (e.pointerType === "mouse" && e.button !== 0) return;
    this.canvas.setPointerCapture(e.pointerId);
    const p = this.local(e);
    this.pointers.set(e.pointerId, p);
    this.stopTween();
    if (this.pointers.size === 1) this.gesture = { moved: 0, pinch: 0, downAt: p };
    else if (this.gesture) {
      this.gesture.pinch = this.pinchDistance();
      // Two fingers are a pinch, never a tap on a seat.
      this.gesture.moved += 10;
    }
    this.canvas.style.cursor = "grabbing";
  }

  private pinchDistance() {
    const [a, b] = [...this.pointers.values()];
    return a && b ? Math.hypot(a.x - b.x, a.y - b.y) : 0;
  }

  private onPointerMove(e: PointerEvent) {
    const p = this.local(e);
    const prev = this.pointers.get(e.pointerId);
    if (!prev || !this.gesture) {
      if (e.pointerType !== "touch") this.hoverAt(p.x, p.y);
      return;
    }
    if (this.pointers.size >= 2) {
      const [a0, b0] = [...this.pointers.values()];
      this.pointers.set(e.pointerId, p);
      const [a1, b1] = [...this.pointers.values()];
      if (!a0 || !b0 || !a1 || !b1) return;
      const dist = Math.hypot(a1.x - b1.x, a1.y - b1.y);
      const mid = { x: (a1.x + b1.x) / 2, y: (a1.y + b1.y) / 2 };
      const midPrev = { x: (a0.x + b0.x) / 2, y: (a0.y + b0.y) / 2 };
      if (this.gesture.pinch > 0) this.zoomAt(mid.x, mid.y, dist / this.gesture.pinch);
      this.gesture.pinch = dist;
      this.panBy(mid.x - midPrev.x, mid.y - midPrev.y);
      this.gesture.moved += 10;
      this.setHover(-1, 0, 0);
      return;
    }
    this.pointers.set(e.pointerId, p);
    this.gesture.moved += Math.abs(p.x - prev.x) + Math.abs(p.y - prev.y);
    if (this.gesture.moved > 4) {
      this.panBy(p.x - prev.x, p.y - prev.y);
      this.setHover(-1, 0, 0);
    }
  }

  private onPointerUp(e: PointerEvent) {
    if (!this.pointers.has(e.pointerId)) return;
    this.pointers.delete(e.pointerId);
    if (this.canvas.hasPointerCapture(e.pointerId)) this.canvas.releasePointerCapture(e.pointerId);
    if (this.pointers.size === 1 && this.gesture) this.gesture.pinch = 0;
    if (this.pointers.size > 0) return;
    const g = this.gesture;
    this.gesture = null;
    this.canvas.style.cursor = "";
    // A tap (no drag) shows the seat under the finger (touch screens have no hover) and picks it.
    if (g && g.moved <= 4 && e.type === "pointerup") {
      const seat = this.hoverAt(g.downAt.x, g.downAt.y);
      if (seat >= 0) this.events.onActivate?.(seat);
    }
  }

  private onKey(e: KeyboardEvent) {
    if (e.altKey || e.metaKey || e.ctrlKey) return;
    const pan = e.shiftKey ? KEY_PAN * 3 : KEY_PAN;
    switch (e.key) {
      case "+":
      case "=":
        this.zoomIn();
        break;
      case "-":
      case "_":
        this.zoomOut();
        break;
      case "0":
      case "Home":
        this.reset();
        break;
      case "ArrowLeft":
        this.panBy(pan, 0);
        break;
      case "ArrowRight":
        this.panBy(-pan, 0);
        break;
      case "ArrowUp":
        this.panBy(0, pan);
        break;
      case "ArrowDown":
        this.panBy(0, -pan);
        break;
      default:
        return;
    }
    e.preventDefault();
    this.setHover(-1, 0, 0);
  }
}

function circle(ctx: CanvasRenderingContext2D, x: number, y: number, r: number) {
  ctx.moveTo(x + r, y);
  ctx.arc(x, y, r, 0, Math.PI * 2);
}

function polygon(p: Path2D | CanvasRenderingContext2D, points: [number, number][]) {
  points.forEach(([x, y], i) => (i === 0 ? p.moveTo(x, y) : p.lineTo(x, y)));
  p.closePath();
}

function unit(x: number, y: number) {
  const len = Math.hypot(x, y);
  return len > 0 ? { x: x / len, y: y / len } : { x: 0, y: -1 };
}
