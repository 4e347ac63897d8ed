// The one table every `npm run bench` ends with: each headline figure, the raw limit it is set beside
// (measured in the same run), their ratio, and its goal (docs/performance.md).
import { round } from "./load.ts";

export type SummaryRow = {
  benchmark: string;
  /** What the figure is, e.g. "successful holds/s, 2,000 fans on 20 seats". */
  figure: string;
  value: number | null;
  unit: string;
  /** The raw limit it is compared with, when there is one: what it is, and its value. */
  limit?: { name: string; value: number | null; unit: string };
  /** value ÷ limit.value. */
  ratio?: number | null;
  /** The goal: the ratio at least `min`, or the value below `max`. */
  goal?: { kind: "ratio-at-least"; min: number } | { kind: "value-below"; max: number };
};

export function ratioOf(value: number | null | undefined, limit: number | null | undefined, digits = 4): number | null {
  return value != null && limit ? round(value / limit, digits) : null;
}

/** true/false against the goal, null when there is no goal or no figure. */
export function met(row: SummaryRow): boolean | null {
  if (!row.goal) return null;
  if (row.goal.kind === "ratio-at-least") return row.ratio == null ? null : row.ratio >= row.goal.min;
  return row.value == null || !Number.isFinite(row.value) ? null : row.value < row.goal.max;
}

function goalText(row: SummaryRow): string {
  if (!row.goal) return "";
  return row.goal.kind === "ratio-at-least" ? `≥ ${row.goal.min}` : `< ${row.goal.max} ${row.unit}`;
}

const num = (n: number | null | undefined) =>
  n == null || !Number.isFinite(n) ? "n/a" : n.toLocaleString("en-US", { maximumFractionDigits: 1 });

export function printSummary(rows: SummaryRow[]): void {
  const cells = rows.map((r) => {
    const m = met(r);
    return [
      r.benchmark,
      r.figure,
      `${num(r.value)} ${r.unit}`.trim(),
      r.limit ? `${r.limit.name}: ${num(r.limit.value)} ${r.limit.unit}`.trim() : "",
      r.ratio === undefined ? "" : r.ratio === null ? "n/a" : String(r.ratio),
      goalText(r),
      m === null ? (r.goal ? "n/a" : "") : m ? "yes" : "NO",
    ];
  });
  const head = ["benchmark", "figure", "value", "raw limit (same run)", "ratio", "goal", "met?"];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => (i === 2 || i === 4 ? x.padStart(widths[i]!) : x.padEnd(widths[i]!))).join("  ");
  console.log(`\n${"=".repeat(30)} Summary ${"=".repeat(30)}`);
  console.log(line(head));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const c of cells) console.log(line(c));
}
