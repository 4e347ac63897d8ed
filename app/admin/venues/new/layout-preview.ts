// The venue form's live preview: seats generated in the browser with the server's own layoutSection, kept
// as flat coordinate arrays, and drawn on one canvas in one pass (one path per section, no DOM per seat).
import { layoutSection } from "@/server/domain/venues/layout";
import type { SectionSpec } from "./venue-draft";

export type PreviewSection = {
  name: string;
  /** x0, y0, x1, y1, … in venue units. */
  xy: Float32Array;
  count: number;
  /** Seat size in venue units: the tighter of the two spacings. */
  pitch: number;
  box: Box;
};

type Box = { minX: number; minY: number; maxX: number; maxY: number };

export type PreviewLayout = { sections: PreviewSection[]; seats: number; box: Box | null };

export type VenueFrame = { width: number; height: number; stage: { x: number; y: number; w: number; h: number } | null };

function grow(box: Box | null, other: Box): Box {
  if (!box) return { ...other };
  return {
    minX: Math.min(box.minX, other.minX),
    minY: Math.min(box.minY, other.minY),
    maxX: Math.max(box.maxX, other.maxX),
    maxY: Math.max(box.maxY, other.maxY),
  };
}

/** Every seat of every section, exactly where the server will put it. */
export function generatePreview(specs: readonly SectionSpec[]): PreviewLayout {
  const sections: PreviewSection[] = [];
  let seats = 0;
  let all: Box | null = null;
  for (const spec of specs) {
    const rows = layoutSection(spec);
    const count = rows.length * spec.seatsPerRow;
    const xy = new Float32Array(count * 2);
    let i = 0;
    let minX = Infinity,
      minY = Infinity,
      maxX = -Infinity,
      maxY = -Infinity;
    for (const row of rows) {
      for (const s of row.seats) {
        xy[i++] = s.x;
        xy[i++] = s.y;
        if (s.x < minX) minX = s.x;
        if (s.x > maxX) maxX = s.x;
        if (s.y < minY) minY = s.y;
        if (s.y > maxY) maxY = s.y;
      }
    }
    const box = { minX, minY, maxX, maxY };
    sections.push({ name: spec.name, xy, count, pitch: Math.min(spec.seatSpacing, spec.rowSpacing), box });
    seats += count;
    all = grow(all, box);
  }
  return { sections, seats, box: all };
}

/** Seats that fall outside the venue's drawing area (0…width, 0…height), which the seat map would clip. */
export function seatsOutside(layout: PreviewLayout, frame: Pick<VenueFrame, "width" | "height">): number {
  let outside = 0;
  for (const s of layout.sections) {
    const { minX, minY, maxX, maxY } = s.box;
    if (minX >= 0 && minY >= 0 && maxX <= frame.width && maxY <= frame.height) continue;
    for (let i = 0; i < s.xy.length; i += 2) {
      const x = s.xy[i]!;
      const y = s.xy[i + 1]!;
      if (x < 0 || y < 0 || x > frame.width || y > frame.height) outside++;
    }
  }
  return outside;
}

export const SECTION_COLORS = ["#4c2fd8", "#e4572e", "#17bebb", "#f2a900", "#2e86de", "#9c27b0", "#20bf6b", "#e84393"];

export type View = { scale: number; dx: number; dy: number };

/** Fits the drawing area and every seat (even those outside it) into a canvas of `w` × `h` CSS pixels. */
export function fitView(layout: PreviewLayout, frame: VenueFrame, w: number, h: number, pad = 12): View {
  let box: Box = { minX: 0, minY: 0, maxX: Math.max(1, frame.width), maxY: Math.max(1, frame.height) };
  if (layout.box)
    box = grow(box, { minX: layout.box.minX - 6, minY: layout.box.minY - 6, maxX: layout.box.maxX + 6, maxY: layout.box.maxY + 6 });
  const bw = box.maxX - box.minX;
  const bh = box.maxY - box.minY;
  const scale = Math.max(1e-6, Math.min((w - 2 * pad) / bw, (h - 2 * pad) / bh));
  return { scale, dx: (w - bw * scale) / 2 - box.minX * scale, dy: (h - bh * scale) / 2 - box.minY * scale };
}

/** Draws the whole preview; returns nothing but the canvas. One fill per section keeps 20,000 seats cheap. */
export function drawPreview(
  ctx: CanvasRenderingContext2D,
  layout: PreviewLayout,
  frame: VenueFrame,
  w: number,
  h: number,
  dpr: number,
): void {
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  const view = fitView(layout, frame, w, h);
  const X = (x: number) => x * view.scale + view.dx;
  const Y = (y: number) => y * view.scale + view.dy;

  // The drawing area the seat map will show.
  ctx.fillStyle = "#f7f8fc";
  ctx.strokeStyle = "#c5cad6";
  ctx.lineWidth = 1;
  ctx.setLineDash([4, 4]);
  ctx.fillRect(X(0), Y(0), frame.width * view.scale, frame.height * view.scale);
  ctx.strokeRect(X(0) + 0.5, Y(0) + 0.5, frame.width * view.scale - 1, frame.height * view.scale - 1);
  ctx.setLineDash([]);

  if (frame.stage) {
    const { x, y, w: sw, h: sh } = frame.stage;
    ctx.fillStyle = "#14161f";
    ctx.fillRect(X(x), Y(y), sw * view.scale, sh * view.scale);
    if (sh * view.scale >= 12 && sw * view.scale >= 40) {
      ctx.fillStyle = "#ffffff";
      ctx.font = "600 11px system-ui, sans-serif";
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.fillText("STAGE", X(x + sw / 2), Y(y + sh / 2));
    }
  }

  layout.sections.forEach((s, i) => {
    const size = Math.max(1, s.pitch * view.scale * 0.72);
    const half = size / 2;
    ctx.fillStyle = SECTION_COLORS[i % SECTION_COLORS.length]!;
    ctx.beginPath();
    for (let k = 0; k < s.xy.length; k += 2) ctx.rect(X(s.xy[k]!) - half, Y(s.xy[k + 1]!) - half, size, size);
    ctx.fill();
  });

  // Names on sections big enough to carry them.
  ctx.font = "600 11px system-ui, sans-serif";
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  ctx.lineWidth = 3;
  ctx.strokeStyle = "rgb(255 255 255 / 0.9)";
  ctx.fillStyle = "#14161f";
  for (const s of layout.sections) {
    const bw = (s.box.maxX - s.box.minX) * view.scale;
    const bh = (s.box.maxY - s.box.minY) * view.scale;
    if (bw < ctx.measureText(s.name).width + 6 || bh < 10) continue;
    const cx = X((s.box.minX + s.box.maxX) / 2);
    const cy = Y((s.box.minY + s.box.maxY) / 2);
    ctx.strokeText(s.name, cx, cy);
    ctx.fillText(s.name, cx, cy);
  }
}
