// The chaos run's report: the JSON written under bench/results/chaos-<date>.json and its terminal summary.
import type { InvariantCheck } from "../../../server/domain/audit/invariants.ts";
import type { StepStats } from "../sim/metrics.ts";
import type { Fault } from "./faults.ts";
import { FAULT_GRACE_MS, type AnswerTables, type LogFinding, type Reconciliation, type Stall } from "./outcome.ts";

export type ChaosReport = {
  startedAt: string;
  options: Record<string, unknown>;
  setup: {
    showtimeId: string;
    seats: number;
    fans: number;
    webProcesses: number;
    workerProcesses: number;
    redis: string;
    lockMs: number;
    logDir: string;
  };
  timings: { setupMs: number; runMs: number; settleMs: number; auditMs: number; totalMs: number };
  faults: Fault[];
  faultCounts: Record<string, number>;
  /** Processes that died without the injector killing them, with their exit code and last lines. */
  unexpectedExits: { name: string; pid: number; code: number | null; tail: string }[];
  recovery: { ok: boolean; detail: string; healthyAfterMs: number | null };
  answers: AnswerTables;
  steps: StepStats[];
  outcome: { fans: Record<string, number>; rejoined: number; seatsSoldInDb: number; ordersInDb: number; seatsSoldByFans: number };
  reconciliation: Reconciliation;
  admissionStalls: Stall[];
  logErrors: LogFinding[];
  invariants: { ok: boolean; checks: (Pick<InvariantCheck, "name" | "ok" | "violations" | "examples"> & { source: string })[] };
  ok: boolean;
};

const s1 = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const table = (m: Record<string, number>) =>
  Object.entries(m)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ×${n}`)
    .join(", ") || "none";

export function formatChaosReport(r: ChaosReport): string {
  const lines: string[] = [];
  const t = r.timings;
  lines.push(
    `Chaos run: ${r.setup.fans} fans, ${r.setup.seats} seats, ${r.setup.webProcesses} web × ${r.setup.workerProcesses} worker processes, ${r.setup.redis}, job lock ${r.setup.lockMs} ms, seed ${String(r.options.seed)}`,
  );
  lines.push(
    `  showtime ${r.setup.showtimeId}; setup ${s1(t.setupMs)}, fans ${s1(t.runMs)}, settle ${s1(t.settleMs)}, audit ${s1(t.auditMs)}, total ${s1(t.totalMs)}`,
  );
  lines.push("");
  lines.push(`  faults: ${table(r.faultCounts)}`);
  for (const f of r.faults) {
    lines.push(
      `    ${s1(f.at).padStart(8)} ${f.kind.padEnd(14)} ${f.skipped ? `skipped: ${f.skipped}` : `${f.target}: ${f.detail} (over in ${s1(f.end - f.at)})`}`,
    );
  }
  if (r.unexpectedExits.length) {
    lines.push(
      `  processes that died by themselves: ${r.unexpectedExits.map((e) => `${e.name} (pid ${e.pid}, exit ${e.code})`).join(", ")}`,
    );
  }
  lines.push(`  recovery: ${r.recovery.ok ? "ok" : "FAILED"} (${r.recovery.detail})`);
  lines.push("");
  lines.push(`  answers during faults (until ${FAULT_GRACE_MS / 1000} s after each): ${table(r.answers.duringFaults)}`);
  for (const [kind, m] of Object.entries(r.answers.byFaultKind)) lines.push(`    ${kind}: ${table(m)}`);
  lines.push(`  answers outside faults: ${table(r.answers.outsideFaults)}`);
  const se = r.answers.serverErrors;
  lines.push(`  5xx other than 503: ${se.count}${se.count ? " — each is a finding:" : ""}`);
  for (const [k, n] of Object.entries(se.byKey)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15))
    lines.push(`    ×${n} ${k}`);
  lines.push("");
  const o = r.outcome;
  lines.push(
    `  sold ${o.seatsSoldInDb}/${r.setup.seats} seats in ${o.ordersInDb} orders; fans: ${Object.entries(o.fans)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(", ")}; ${o.rejoined} went back in line`,
  );
  const c = r.reconciliation;
  lines.push(
    `  payments: ${c.confirmed} confirmed (${c.confirmedSeats} seats); ${c.unknown} with an unknown outcome, settled by key: ${c.unknownPaid} paid (${c.unknownPaidSeats} seats), ${c.unknownNotPaid} not${c.ofHungFans ? `; ${c.ofHungFans} order(s) of fans still hanging` : ""}`,
  );
  if (r.admissionStalls.length) {
    lines.push(
      `  admission stalls (fans in line, nobody admitted for 15 s or more; admission is capped by the stock left minus the shoppers with access):`,
    );
    for (const st of r.admissionStalls) {
      lines.push(
        `    ${s1(st.from)}–${s1(st.to)}, up to ${st.waiting} waiting, ${st.unsold} seats unsold${st.faults.length ? `; faults around it: ${st.faults.join(", ")}` : ""}`,
      );
    }
  }
  if (r.logErrors.length) {
    lines.push(`  error lines in the app's logs (${r.setup.logDir}):`);
    for (const l of r.logErrors.slice(0, 12)) lines.push(`    ×${String(l.count).padEnd(5)} ${l.file}: ${l.line.slice(0, 200)}`);
  }
  lines.push("");
  lines.push("  invariants:");
  for (const ch of r.invariants.checks) {
    lines.push(
      `    ${ch.ok ? "ok  " : "FAIL"}  ${ch.name} (${ch.source})${ch.ok ? "" : `: ${ch.violations} violation(s), e.g. ${JSON.stringify(ch.examples[0])}`}`,
    );
  }
  lines.push(r.invariants.ok ? "  ALL INVARIANTS HOLD" : "  INVARIANT VIOLATED");
  return lines.join("\n");
}
