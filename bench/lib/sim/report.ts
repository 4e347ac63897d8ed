// The simulation's report: a terminal summary, the JSON, and a self-contained HTML page whose charts are
// inline SVG (no scripts, no external files), so it can be attached to an issue or opened offline.
import type { InvariantCheck } from "../../../server/domain/audit/invariants.ts";
import type { FairnessResult } from "./fairness.ts";
import { STEPS, type Sample, type StepStats } from "./metrics.ts";

export type SimReport = {
  startedAt: string;
  options: Record<string, unknown>;
  setup: {
    showtimeId: string;
    seats: number;
    fans: number;
    baseUrls: string[];
    webProcesses: number | null;
    workerProcesses: number | null;
    rateLimits: string;
    opensAfterMs: number;
  };
  durationMs: number;
  stoppedByCap: boolean;
  outcome: {
    fans: Record<string, number>;
    seatsSold: number;
    seatsSoldInDb: number;
    ordersInDb: number;
    soldOutAfterOpeningMs: number | null;
    /** Seats per second from opening to the last sale. */
    salesPerSecond: number;
  };
  steps: StepStats[];
  errorsByCode: Record<string, number>;
  errorExamples: Record<string, string>;
  invariants: { ok: boolean; checks: (Pick<InvariantCheck, "name" | "ok" | "violations" | "examples"> & { source: string })[] };
  fairness: FairnessResult;
  samples: Sample[];
  latencies: Record<string, number[]>;
};

const processes = (r: SimReport) =>
  r.setup.webProcesses === null
    ? `a running app at ${r.setup.baseUrls.join(", ")}`
    : `${r.setup.webProcesses} web × ${r.setup.workerProcesses} worker processes`;

const fmtMs = (ms: number | null) => (ms === null ? "—" : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);

export function formatReport(r: SimReport): string {
  const lines: string[] = [];
  lines.push(`On-sale simulation: ${r.setup.fans} fans, ${r.setup.seats} seats, ${processes(r)}, arrival ${String(r.options.arrival)}`);
  lines.push(
    `  showtime ${r.setup.showtimeId}, rate limits ${r.setup.rateLimits}, ran ${fmtMs(r.durationMs)}${r.stoppedByCap ? " (stopped at --max-seconds)" : ""}`,
  );
  const o = r.outcome;
  lines.push(
    `  sold ${o.seatsSoldInDb}/${r.setup.seats} seats in ${o.ordersInDb} orders; sold out ${o.soldOutAfterOpeningMs === null ? "no" : `${fmtMs(o.soldOutAfterOpeningMs)} after opening`}; ${o.salesPerSecond} seats/s`,
  );
  lines.push(
    `  fans: ${Object.entries(o.fans)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(", ")}`,
  );
  lines.push("");
  lines.push(
    `  ${"step".padEnd(14)}${"calls".padStart(7)}${"errors".padStart(8)}${"/s".padStart(8)}${"p50 ms".padStart(9)}${"p95 ms".padStart(9)}${"p99 ms".padStart(9)}${"max ms".padStart(9)}`,
  );
  for (const s of r.steps.filter((s) => s.calls > 0)) {
    lines.push(
      `  ${s.step.padEnd(14)}${String(s.calls).padStart(7)}${String(s.errors).padStart(8)}${String(s.perSecond).padStart(8)}${String(s.p50).padStart(9)}${String(s.p95).padStart(9)}${String(s.p99).padStart(9)}${String(s.max).padStart(9)}`,
    );
  }
  lines.push("");
  const errs = Object.entries(r.errorsByCode).sort((a, b) => b[1] - a[1]);
  lines.push(`  errors by code: ${errs.length ? errs.map(([c, n]) => `${c} ${n}`).join(", ") : "none"}`);
  lines.push("");
  lines.push("  invariants:");
  for (const c of r.invariants.checks) {
    lines.push(
      `    ${c.ok ? "ok  " : "FAIL"}  ${c.name} (${c.source})${c.ok ? "" : `: ${c.violations} violation(s), e.g. ${JSON.stringify(c.examples[0])}`}`,
    );
  }
  const f = r.fairness;
  lines.push(
    `    admissions: ${f.admissions} (${f.prequeueAdmissions} from the pre-queue, ${f.arrivalAdmissions} by arrival); out of order ${f.outOfOrder}, skipped ${f.skipped}, wrong place ${f.seqMismatches}`,
  );
  lines.push(r.invariants.ok ? "  ALL INVARIANTS HOLD" : "  INVARIANT VIOLATED");
  return lines.join("\n");
}

// ---- HTML ----

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

type Series = { name: string; color: string; points: [number, number][] };

function lineChart(
  title: string,
  series: Series[],
  opts: { yLabel: string; xLabel?: string; markX?: { x: number; label: string }[] },
): string {
  const W = 760;
  const H = 260;
  const L = 60;
  const R = 150;
  const T = 30;
  const B = 40;
  const all = series.flatMap((s) => s.points);
  const xMax = Math.max(1, ...all.map((p) => p[0]));
  const yMax = Math.max(1, ...all.map((p) => p[1]));
  const x = (v: number) => L + (v / xMax) * (W - L - R);
  const y = (v: number) => H - B - (v / yMax) * (H - T - B);
  const ticks = (max: number) => [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  const fmt = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(v >= 10_000 ? 0 : 1)}k` : String(Math.round(v)));
  const parts = [
    `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}">`,
    `<text x="${L}" y="18" class="title">${esc(title)}</text>`,
    ...ticks(yMax).map(
      (v) =>
        `<line x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}" class="grid"/><text x="${L - 6}" y="${y(v) + 4}" class="axis" text-anchor="end">${fmt(v)}</text>`,
    ),
    ...ticks(xMax).map((v) => `<text x="${x(v)}" y="${H - B + 16}" class="axis" text-anchor="middle">${(v / 1000).toFixed(0)}s</text>`),
    `<text x="${(L + W - R) / 2}" y="${H - 6}" class="axis" text-anchor="middle">${esc(opts.xLabel ?? "seconds since the first fan arrived")}</text>`,
    `<text x="14" y="${(T + H - B) / 2}" class="axis" transform="rotate(-90 14 ${(T + H - B) / 2})" text-anchor="middle">${esc(opts.yLabel)}</text>`,
    ...(opts.markX ?? []).map(
      (m) =>
        `<line x1="${x(m.x)}" x2="${x(m.x)}" y1="${T}" y2="${H - B}" class="mark"/><text x="${x(m.x) + 3}" y="${T + 10}" class="axis">${esc(m.label)}</text>`,
    ),
    ...series.map((s, i) => {
      const d = s.points.map((p, j) => `${j ? "L" : "M"}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join("");
      return `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"/><rect x="${W - R + 12}" y="${T + i * 18}" width="12" height="3" fill="${s.color}"/><text x="${W - R + 30}" y="${T + i * 18 + 5}" class="axis">${esc(s.name)}</text>`;
    }),
    "</svg>",
  ];
  return parts.join("");
}

/** A latency histogram on log-spaced buckets (1 ms … 30 s), with p50/p95/p99 marked. */
function histogram(step: string, values: number[], stats: StepStats | undefined): string {
  const W = 370;
  const H = 170;
  const L = 40;
  const B = 34;
  const T = 26;
  const edges = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 30_000, Infinity];
  const counts = new Array<number>(edges.length).fill(0);
  for (const v of values) counts[edges.findIndex((e) => v < e)]!++;
  const max = Math.max(1, ...counts);
  const bw = (W - L - 10) / edges.length;
  const bars = counts.map((c, i) => {
    const h = (c / max) * (H - T - B);
    return `<rect x="${L + i * bw + 1}" y="${H - B - h}" width="${bw - 2}" height="${h}" class="bar"><title>${c} calls under ${edges[i]} ms</title></rect>`;
  });
  const labels = edges.map((e, i) =>
    i % 2 === 0
      ? `<text x="${L + i * bw + bw / 2}" y="${H - B + 12}" class="axis small" text-anchor="middle">&lt;${e === Infinity ? "∞" : e >= 1000 ? `${e / 1000}s` : e}</text>`
      : "",
  );
  const sub = stats ? `n=${stats.calls}  p50 ${stats.p50}  p95 ${stats.p95}  p99 ${stats.p99} ms` : "";
  return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(step)} latency"><text x="${L}" y="14" class="title">${esc(step)}</text><text x="${L}" y="${H - 4}" class="axis small">${esc(sub)}</text><line x1="${L}" x2="${W - 10}" y1="${H - B}" y2="${H - B}" class="grid"/>${bars.join("")}${labels.join("")}</svg>`;
}

export function renderHtml(r: SimReport): string {
  const opening = r.setup.opensAfterMs;
  const marks = [
    { x: opening, label: "sale opens" },
    ...(r.outcome.soldOutAfterOpeningMs !== null ? [{ x: opening + r.outcome.soldOutAfterOpeningMs, label: "sold out" }] : []),
  ];
  const sales = lineChart(
    "Sales over time",
    [
      { name: "seats sold", color: "#2e7d32", points: r.samples.map((s) => [s.t, s.seatsSold]) },
      { name: "fans holding", color: "#f5a623", points: r.samples.map((s) => [s.t, s.holding]) },
    ],
    { yLabel: "seats / fans", markX: marks },
  );
  const queue = lineChart(
    "Waiting room over time",
    [
      {
        name: "in line (Redis)",
        color: "#1565c0",
        points: r.samples.filter((s) => s.queueLength !== null).map((s) => [s.t, s.queueLength!]),
      },
      { name: "shopping (Redis)", color: "#8e24aa", points: r.samples.filter((s) => s.active !== null).map((s) => [s.t, s.active!]) },
      { name: "fans arrived", color: "#9e9e9e", points: r.samples.map((s) => [s.t, s.arrived]) },
    ],
    { yLabel: "fans", markX: marks },
  );
  const hists = STEPS.filter((s) => (r.latencies[s]?.length ?? 0) > 0).map((s) =>
    histogram(
      s,
      r.latencies[s]!,
      r.steps.find((x) => x.step === s),
    ),
  );
  const row = (cells: (string | number)[], tag = "td") => `<tr>${cells.map((c) => `<${tag}>${esc(String(c))}</${tag}>`).join("")}</tr>`;
  const o = r.outcome;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Onsale simulation ${esc(r.startedAt)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:26px 0 8px}
table{border-collapse:collapse;margin:6px 0}td,th{border:1px solid #ddd;padding:3px 9px;text-align:right}th{background:#f4f4f4}
td:first-child,th:first-child{text-align:left}
.ok{color:#2e7d32;font-weight:600}.fail{color:#c62828;font-weight:600}
.kpi{display:inline-block;margin:6px 18px 6px 0}.kpi b{display:block;font-size:20px}
svg{background:#fff;border:1px solid #eee;margin:4px 8px 4px 0}
.title{font-size:13px;font-weight:600}.axis{font-size:11px;fill:#555}.small{font-size:9px}
.grid{stroke:#e6e6e6}.mark{stroke:#c62828;stroke-dasharray:4 3}.bar{fill:#5c6bc0}
code{background:#f4f4f4;padding:1px 4px}
</style></head><body>
<h1>On-sale simulation</h1>
<p>${esc(r.startedAt)} · ${r.setup.fans} fans · ${r.setup.seats} seats · ${processes(r)} · arrival <code>${esc(String(r.options.arrival))}</code> · rate limits <code>${esc(r.setup.rateLimits)}</code> · showtime <code>${esc(r.setup.showtimeId)}</code></p>
<p class="${r.invariants.ok ? "ok" : "fail"}">${r.invariants.ok ? "Every invariant holds." : "An invariant is violated."}</p>
<div>
<span class="kpi">seats sold<b>${o.seatsSoldInDb} / ${r.setup.seats}</b></span>
<span class="kpi">sold out after opening<b>${o.soldOutAfterOpeningMs === null ? "not sold out" : fmtMs(o.soldOutAfterOpeningMs)}</b></span>
<span class="kpi">sales rate<b>${o.salesPerSecond} seats/s</b></span>
<span class="kpi">orders<b>${o.ordersInDb}</b></span>
<span class="kpi">run time<b>${fmtMs(r.durationMs)}${r.stoppedByCap ? " (cap)" : ""}</b></span>
</div>
<h2>Sales and the line</h2>
${sales}
${queue}
<h2>Latency per step</h2>
<table>${row(["step", "calls", "errors", "calls/s", "p50 ms", "p95 ms", "p99 ms", "max ms"], "th")}${r.steps
    .filter((s) => s.calls > 0)
    .map((s) => row([s.step, s.calls, s.errors, s.perSecond, s.p50, s.p95, s.p99, s.max]))
    .join("")}</table>
<div>${hists.join("")}</div>
<h2>Errors by code</h2>
<table>${row(["code", "count", "first example"], "th")}${
    Object.entries(r.errorsByCode)
      .sort((a, b) => b[1] - a[1])
      .map(([c, n]) => row([c, n, r.errorExamples[c] ?? ""]))
      .join("") || row(["none", 0, ""])
  }</table>
<p>Business errors (SEATS_UNAVAILABLE, INSUFFICIENT_FUNDS, …) are expected in a surge; they do not fail the run.</p>
<h2>Invariants</h2>
<table>${row(["check", "source", "result", "violations", "example"], "th")}${r.invariants.checks.map((c) => `<tr><td>${esc(c.name)}</td><td>${esc(c.source)}</td><td class="${c.ok ? "ok" : "fail"}">${c.ok ? "ok" : "FAIL"}</td><td>${c.violations}</td><td>${esc(c.examples[0] ? JSON.stringify(c.examples[0]) : "")}</td></tr>`).join("")}</table>
<p>Admissions: ${r.fairness.admissions} (${r.fairness.prequeueAdmissions} from the shuffled pre-queue, ${r.fairness.arrivalAdmissions} in arrival order); out of order ${r.fairness.outOfOrder}, skipped ${r.fairness.skipped}, wrong place ${r.fairness.seqMismatches}, admitted again after their access ran out ${r.fairness.readmitted}.</p>
<h2>Fans</h2>
<table>${row(["outcome", "fans"], "th")}${Object.entries(o.fans)
    .map(([k, n]) => row([k, n]))
    .join("")}</table>
<h2>Options</h2>
<pre>${esc(JSON.stringify(r.options, null, 2))}</pre>
</body></html>
`;
}
