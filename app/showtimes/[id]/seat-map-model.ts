// The seat map's data turned into flat typed arrays once, so drawing and hit-testing 15,000+ seats stay cheap.
import type { SeatMap } from "@/server/domain/seatmap/seat-map";
import { sectionLabel } from "../../_lib/seat-name";

export type Rect = { x0: number; y0: number; x1: number; y1: number };

/**
 * A section: its axis-aligned bounds (for zooming to it), and the box along its rows (centre, row direction u,
 * half-lengths along u and across it), so rotated sections in a bowl are outlined and labelled snugly.
 */
export type SectionInfo = Rect & {
  id: string;
  name: string;
  available: number;
  held: number;
  sold: number;
  total: number;
  cx: number;
  cy: number;
  ux: number;
  uy: number;
  hu: number;
  hv: number;
  /** Its seats are the indices from..to-1, row by row (the map's order). */
  from: number;
  to: number;
};

export type SeatModel = {
  count: number;
  /** Seat id (the server's) per index, and back: live changes and holds name seats by id. */
  ids: Int32Array;
  index: Map<number, number>;
  xs: Float32Array;
  ys: Float32Array;
  tier: Uint8Array;
  status: Uint8Array;
  section: Uint16Array;
  row: Uint32Array;
  number: Uint32Array;
  rowLabels: string[];
  sections: SectionInfo[];
  tierCounts: { available: number; total: number }[];
  counts: { available: number; held: number; sold: number; total: number };
  /** Distance between neighbouring seats, in venue units. */
  pitch: number;
  radius: number;
  stage: { x: number; y: number; w: number; h: number };
  /** Seats and stage together: what "fit" shows. */
  bounds: Rect;
  cell: number;
  grid: Map<number, number[]>;
};

const cellKey = (cx: number, cy: number) => cx * 1_000_003 + cy;

/** What a model is built from: a SeatMap, or a layout's venue and tiers with the statuses' sections. */
export type SeatModelSource = Pick<SeatMap, "tiers" | "sections"> & { venue: Pick<SeatMap["venue"], "stage"> };

export function buildSeatModel(map: SeatModelSource): SeatModel {
  let count = 0;
  let rowCount = 0;
  for (const s of map.sections) {
    rowCount += s.rows.length;
    for (const r of s.rows) count += r.seats.length;
  }
  const ids = new Int32Array(count);
  const index = new Map<number, number>();
  const xs = new Float32Array(count);
  const ys = new Float32Array(count);
  const tier = new Uint8Array(count);
  const status = new Uint8Array(count);
  const section = new Uint16Array(count);
  const row = new Uint32Array(count);
  const number = new Uint32Array(count);
  const rowLabels: string[] = new Array<string>(rowCount);
  const sections: SectionInfo[] = [];
  const tierCounts = map.tiers.map(() => ({ available: 0, total: 0 }));
  const counts = { available: 0, held: 0, sold: 0, total: 0 };
  const gaps: number[] = [];

  let i = 0;
  let ri = 0;
  map.sections.forEach((s, si) => {
    const info: SectionInfo = {
      id: s.id,
      name: s.name,
      x0: Infinity,
      y0: Infinity,
      x1: -Infinity,
      y1: -Infinity,
      available: 0,
      held: 0,
      sold: 0,
      total: 0,
      cx: 0,
      cy: 0,
      ux: 1,
      uy: 0,
      hu: 0,
      hv: 0,
      from: i,
      to: i,
    };
    const start = i;
    for (const r of s.rows) {
      rowLabels[ri] = r.label;
      let px: number | undefined;
      let py: number | undefined;
      let rowGap = Infinity;
      // Indexed, not destructured: this runs once per page view, before the JIT has compiled it, and
      // destructuring walks each tuple through the iterator protocol (5× slower here on an arena's map).
      const seats = r.seats;
      for (let k = 0; k < seats.length; k++) {
        const seat = seats[k]!;
        const id = seat[0];
        const num = seat[1];
        const x = seat[2];
        const y = seat[3];
        const t = seat[4];
        const st = seat[5];
        ids[i] = id;
        index.set(id, i);
        xs[i] = x;
        ys[i] = y;
        tier[i] = t;
        status[i] = st;
        section[i] = si;
        row[i] = ri;
        number[i] = num;
        if (x < info.x0) info.x0 = x;
        if (y < info.y0) info.y0 = y;
        if (x > info.x1) info.x1 = x;
        if (y > info.y1) info.y1 = y;
        info.total++;
        const tc = tierCounts[t];
        if (tc) tc.total++;
        if (st === 0) {
          info.available++;
          if (tc) tc.available++;
        } else if (st === 1) info.held++;
        else info.sold++;
        if (px !== undefined && py !== undefined) {
          const d = Math.hypot(x - px, y - py);
          if (d > 0 && d < rowGap) rowGap = d;
        }
        px = x;
        py = y;
        i++;
      }
      if (Number.isFinite(rowGap) && gaps.length < 400) gaps.push(rowGap);
      ri++;
    }
    info.to = i;
    orientSection(info, s.rows, xs, ys, start, i);
    counts.available += info.available;
    counts.held += info.held;
    counts.sold += info.sold;
    counts.total += info.total;
    if (info.total === 0) Object.assign(info, { x0: 0, y0: 0, x1: 0, y1: 0 });
    sections.push(info);
  });

  gaps.sort((a, b) => a - b);
  const pitch = gaps[Math.floor(gaps.length / 2)] ?? 10;
  const radius = pitch * 0.42;

  const { stage } = map.venue;
  const bounds: Rect = { x0: stage.x, y0: stage.y, x1: stage.x + stage.w, y1: stage.y + stage.h };
  for (const s of sections) {
    if (s.total === 0) continue;
    bounds.x0 = Math.min(bounds.x0, s.x0 - pitch);
    bounds.y0 = Math.min(bounds.y0, s.y0 - pitch);
    bounds.x1 = Math.max(bounds.x1, s.x1 + pitch);
    bounds.y1 = Math.max(bounds.y1, s.y1 + pitch);
  }

  // A uniform grid for hover hit-tests: a seat is found by looking at its cell and the eight around it.
  const cell = pitch * 2;
  const grid = new Map<number, number[]>();
  for (let k = 0; k < count; k++) {
    const key = cellKey(Math.floor(xs[k]! / cell), Math.floor(ys[k]! / cell));
    const bucket = grid.get(key);
    if (bucket) bucket.push(k);
    else grid.set(key, [k]);
  }

  return {
    count,
    ids,
    index,
    xs,
    ys,
    tier,
    status,
    section,
    row,
    number,
    rowLabels,
    sections,
    tierCounts,
    counts,
    pitch,
    radius,
    stage,
    bounds,
    cell,
    grid,
  };
}

/** Fits the box along the section's rows: the row direction comes from the longest row's end seats. */
function orientSection(
  info: SectionInfo,
  rows: SeatMap["sections"][number]["rows"],
  xs: Float32Array,
  ys: Float32Array,
  from: number,
  to: number,
) {
  if (to <= from) return;
  let longest = rows[0]?.seats ?? [];
  for (const r of rows) if (r.seats.length > longest.length) longest = r.seats;
  const a = longest[0];
  const b = longest.at(-1);
  if (a && b && (a[2] !== b[2] || a[3] !== b[3])) {
    const len = Math.hypot(b[2] - a[2], b[3] - a[3]);
    info.ux = (b[2] - a[2]) / len;
    info.uy = (b[3] - a[3]) / len;
    // Keep text upright-ish: u points rightwards.
    if (info.ux < 0) {
      info.ux = -info.ux;
      info.uy = -info.uy;
    }
  }
  let u0 = Infinity;
  let u1 = -Infinity;
  let v0 = Infinity;
  let v1 = -Infinity;
  for (let k = from; k < to; k++) {
    const u = xs[k]! * info.ux + ys[k]! * info.uy;
    const v = -xs[k]! * info.uy + ys[k]! * info.ux;
    if (u < u0) u0 = u;
    if (u > u1) u1 = u;
    if (v < v0) v0 = v;
    if (v > v1) v1 = v;
  }
  const uc = (u0 + u1) / 2;
  const vc = (v0 + v1) / 2;
  info.cx = uc * info.ux - vc * info.uy;
  info.cy = uc * info.uy + vc * info.ux;
  info.hu = (u1 - u0) / 2;
  info.hv = (v1 - v0) / 2;
}

/** The four corners of a section's box, grown by `pad` on every side. */
export function sectionCorners(s: SectionInfo, pad: number): [number, number][] {
  const hu = s.hu + pad;
  const hv = s.hv + pad;
  const corner = (su: number, sv: number): [number, number] => [
    s.cx + su * hu * s.ux - sv * hv * s.uy,
    s.cy + su * hu * s.uy + sv * hv * s.ux,
  ];
  return [corner(-1, -1), corner(1, -1), corner(1, 1), corner(-1, 1)];
}

/** Width over height of what "fit" shows, so phones can size the map to the venue instead of a fixed box. */
export function mapAspect(model: SeatModel): number {
  const { bounds: b } = model;
  const ratio = (b.x1 - b.x0) / Math.max(1, b.y1 - b.y0);
  return Math.min(2, Math.max(0.6, ratio));
}

/** The seat under a venue point, or -1. */
export function hitTest(m: SeatModel, x: number, y: number): number {
  const cx = Math.floor(x / m.cell);
  const cy = Math.floor(y / m.cell);
  const reach = m.radius * 1.25;
  let best = -1;
  let bestD = reach * reach;
  for (let dx = -1; dx <= 1; dx++) {
    for (let dy = -1; dy <= 1; dy++) {
      const bucket = m.grid.get(cellKey(cx + dx, cy + dy));
      if (!bucket) continue;
      for (const k of bucket) {
        const ddx = m.xs[k]! - x;
        const ddy = m.ys[k]! - y;
        const d = ddx * ddx + ddy * ddy;
        if (d <= bestD) {
          bestD = d;
          best = k;
        }
      }
    }
  }
  return best;
}

export const STATUS_WORD = ["available", "on hold", "sold"] as const;

/** A seat status code as the server sends it: 0 available, 1 on hold, 2 sold. */
export type SeatStatusCode = 0 | 1 | 2;

function tally(counts: { available: number; held: number; sold: number }, status: number, delta: number) {
  if (status === 0) counts.available += delta;
  else if (status === 1) counts.held += delta;
  else counts.sold += delta;
}

/**
 * Applies live changes `[seatId, status]` in place: the status array and every count that depends on it
 * (section, tier, venue), in time proportional to the batch, not the venue. Unknown seats are ignored.
 * Returns the indices of the seats whose status changed.
 */
export function applySeatChanges(m: SeatModel, changes: readonly (readonly [number, number])[]): number[] {
  const changed: number[] = [];
  for (const [id, next] of changes) {
    const i = m.index.get(id);
    if (i === undefined || next < 0 || next > 2) continue;
    const prev = m.status[i]!;
    if (prev === next) continue;
    m.status[i] = next;
    const section = m.sections[m.section[i]!];
    if (section) {
      tally(section, prev, -1);
      tally(section, next, 1);
    }
    tally(m.counts, prev, -1);
    tally(m.counts, next, 1);
    const tier = m.tierCounts[m.tier[i]!];
    if (tier) tier.available += (next === 0 ? 1 : 0) - (prev === 0 ? 1 : 0);
    changed.push(i);
  }
  return changed;
}

/** "Section B, row 12, seat 7": how a seat is named everywhere on the page. */
export function seatLabel(m: SeatModel, i: number): string {
  const section = m.sections[m.section[i]!];
  return `${sectionLabel(section?.name ?? "?")}, row ${m.rowLabels[m.row[i]!] ?? "?"}, seat ${m.number[i]}`;
}
