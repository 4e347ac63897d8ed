// Seat layouts: a section is a block of rows × seats, placed and rotated on the venue's drawing plane.
import { z } from "zod";

/** How far the drawing plane reaches each way, in venue units: positions and sizes stay well inside the columns' types. */
export const PLANE_LIMIT = 100_000;

export const ZSectionSpec = z.strictObject({
  name: z.string().trim().min(1).max(40),
  rows: z.number().int().min(1).max(100),
  seatsPerRow: z.number().int().min(1).max(200),
  /** Centre of the section's front row, in venue units. */
  x: z.number().min(-PLANE_LIMIT).max(PLANE_LIMIT),
  y: z.number().min(-PLANE_LIMIT).max(PLANE_LIMIT),
  /** Degrees; 0 faces up the plane (towards smaller y), i.e. towards a stage drawn above. */
  rotation: z.number().min(-360).max(360).default(0),
  /** Bend of each row in venue units at the row ends (0 = straight). */
  curve: z.number().min(0).max(200).default(0),
  seatSpacing: z.number().positive().max(1_000).default(10),
  rowSpacing: z.number().positive().max(1_000).default(12),
  /** A gap (aisle) after every N seats in a row; 0 for none. */
  aisleEvery: z.number().int().min(0).max(200).default(0),
  rowLabels: z.enum(["letters", "numbers"]).default("letters"),
});
export type TSectionSpec = z.input<typeof ZSectionSpec>;

export type LayoutSeat = { number: number; x: number; y: number };
export type LayoutRow = { label: string; seats: LayoutSeat[] };

/** Row labels A…Z, AA…AZ, …; or 1, 2, 3 … */
export function rowLabel(index: number, style: "letters" | "numbers"): string {
  if (style === "numbers") return String(index + 1);
  let n = index;
  let label = "";
  do {
    label = String.fromCharCode(65 + (n % 26)) + label;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return label;
}

/** Seat positions for one section; row 0 is nearest the stage, seat 1 is on the left facing the stage. */
export function layoutSection(input: TSectionSpec): LayoutRow[] {
  const spec = ZSectionSpec.parse(input);
  const theta = (spec.rotation * Math.PI) / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const aisles = spec.aisleEvery > 0 ? Math.floor((spec.seatsPerRow - 1) / spec.aisleEvery) : 0;
  const width = (spec.seatsPerRow - 1 + aisles) * spec.seatSpacing;
  const rows: LayoutRow[] = [];
  for (let r = 0; r < spec.rows; r++) {
    const seats: LayoutSeat[] = [];
    for (let s = 0; s < spec.seatsPerRow; s++) {
      const gaps = spec.aisleEvery > 0 ? Math.floor(s / spec.aisleEvery) : 0;
      const u = (s + gaps) * spec.seatSpacing - width / 2;
      // Curved rows bow away from the stage at their ends, like a theatre's.
      const bow = width > 0 ? spec.curve * ((2 * u) / width) ** 2 : 0;
      const v = r * spec.rowSpacing + bow;
      seats.push({ number: s + 1, x: round1(spec.x + u * cos - v * sin), y: round1(spec.y + u * sin + v * cos) });
    }
    rows.push({ label: rowLabel(r, spec.rowLabels), seats });
  }
  return rows;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
