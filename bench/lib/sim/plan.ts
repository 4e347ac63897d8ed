// The simulated venue: sections of different price and popularity, sized to exactly the seats asked for.

/** Seats per row in every section of a small venue; a last, shorter "Box" section takes the remainder. */
export const SEATS_PER_ROW = 10;
/** Venues allow at most 100 rows a section: the largest section (45%) reaches it at about 220 rows in all. */
const MAX_ROWS_TOTAL = 220;

export const SECTIONS = [
  { name: "Floor", tier: "VIP", share: 0.2, priceMinor: 180_000, feeMinor: 9_000, color: "#d0021b", popularity: 0.5 },
  { name: "Lower", tier: "Gold", share: 0.35, priceMinor: 120_000, feeMinor: 6_000, color: "#f5a623", popularity: 0.3 },
  { name: "Upper", tier: "Silver", share: 0.45, priceMinor: 70_000, feeMinor: 3_500, color: "#4a90e2", popularity: 0.15 },
  { name: "Box", tier: "Box", share: 0, priceMinor: 250_000, feeMinor: 12_000, color: "#7b1fa2", popularity: 0.05 },
] as const;
export type SectionName = (typeof SECTIONS)[number]["name"];

export function popularityOf(section: string): number {
  return SECTIONS.find((s) => s.name === section)?.popularity ?? 0.05;
}

/** Rows per section so that the total is exactly `seats` (whole rows, at most 100 a section; remainder in Box). */
export function sectionRows(seats: number): { name: SectionName; rows: number; seatsPerRow: number }[] {
  // Arena sizes get longer rows rather than more of them.
  const perRow = Math.max(SEATS_PER_ROW, Math.ceil(seats / MAX_ROWS_TOTAL));
  const rowsTotal = Math.floor(seats / perRow);
  const floor = rowsTotal < 3 ? rowsTotal : Math.max(1, Math.round(rowsTotal * SECTIONS[0].share));
  const lower = rowsTotal < 3 ? 0 : Math.max(1, Math.round(rowsTotal * SECTIONS[1].share));
  const upper = rowsTotal - floor - lower;
  const remainder = seats - rowsTotal * perRow;
  const plan: { name: SectionName; rows: number; seatsPerRow: number }[] = [];
  if (floor > 0) plan.push({ name: "Floor", rows: floor, seatsPerRow: perRow });
  if (lower > 0) plan.push({ name: "Lower", rows: lower, seatsPerRow: perRow });
  if (upper > 0) plan.push({ name: "Upper", rows: upper, seatsPerRow: perRow });
  if (remainder > 0) plan.push({ name: "Box", rows: 1, seatsPerRow: remainder });
  return plan;
}
