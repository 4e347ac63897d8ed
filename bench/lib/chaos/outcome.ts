// What a chaos run reads back: the fans' answers sorted into "during a fault" and "outside", every 5xx
// other than 503 listed, the fans' payments reconciled with the orders in the database by idempotency
// key (a fan whose answer was lost in a fault does not know its outcome: counted apart, then settled from
// the database), admission stalls, and the error lines in the app's logs.
import fs from "node:fs";
import path from "node:path";
import type { FanRecord } from "../sim/fan.ts";
import type { Answer } from "../sim/metrics.ts";
import type { Fault } from "./faults.ts";

/** An answer within this long after a fault is over still counts as during it (clients reconnecting). */
export const FAULT_GRACE_MS = 3000;

export type AnswerTables = {
  /** "status code[/reason]" → answers, e.g. "503 UNAVAILABLE/redis", "0 NETWORK", "200". */
  duringFaults: Record<string, number>;
  outsideFaults: Record<string, number>;
  byFaultKind: Record<string, Record<string, number>>;
  /** Every 5xx answer other than 503 (500 INTERNAL above all): each one is a finding. */
  serverErrors: {
    count: number;
    byKey: Record<string, number>;
    examples: { at: number; step: string; status: number; code?: string; message?: string; fault: string }[];
  };
};

const keyOf = (a: Answer) => {
  const reason = (a.details as { reason?: unknown } | undefined)?.reason;
  return a.status === 200 ? "200" : `${a.status} ${a.code ?? "?"}${typeof reason === "string" ? `/${reason}` : ""}`;
};

/** Sorts every answer by the fault it arrived during (`t0`: the run's start, faults are relative to it). */
export function tabulateAnswers(answers: Answer[], faults: Fault[], t0: number): AnswerTables {
  const live = faults.filter((f) => !f.skipped);
  const duringFaults: Record<string, number> = {};
  const outsideFaults: Record<string, number> = {};
  const byFaultKind: Record<string, Record<string, number>> = {};
  const serverErrors: AnswerTables["serverErrors"] = { count: 0, byKey: {}, examples: [] };
  const bump = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);
  for (const a of answers) {
    const t = a.at - t0;
    // The latest fault that began before the answer, if the answer came before that fault's grace ran out.
    const fault = live.findLast((f) => t >= f.at && t <= f.end + FAULT_GRACE_MS);
    const key = keyOf(a);
    if (fault) {
      bump(duringFaults, key);
      bump((byFaultKind[fault.kind] ??= {}), key);
    } else bump(outsideFaults, key);
    if (a.status >= 500 && a.status !== 503) {
      serverErrors.count++;
      bump(serverErrors.byKey, `${a.step} ${key}: ${(a.message ?? "").slice(0, 120)}`);
      if (serverErrors.examples.length < 50) {
        serverErrors.examples.push({
          at: t,
          step: a.step,
          status: a.status,
          code: a.code,
          message: a.message?.slice(0, 300),
          fault: fault ? `${fault.kind} at ${(fault.at / 1000).toFixed(1)} s` : "none",
        });
      }
    }
  }
  return { duringFaults, outsideFaults, byFaultKind, serverErrors };
}

export type OrderRow = { id: string; userId: string; idempotencyKey: string; status: string; tickets: number };

export type Reconciliation = {
  ok: boolean;
  /** Fans told "paid", and the seats of their orders. */
  confirmed: number;
  confirmedSeats: number;
  /** Fans whose last payment answer was lost (5xx, no answer, or the run's end): settled from the database. */
  unknown: number;
  unknownPaid: number;
  unknownPaidSeats: number;
  unknownNotPaid: number;
  /** Orders of fans still hanging at the end of the run (no record to compare with). */
  ofHungFans: number;
  seatsSoldInDb: number;
  ordersInDb: number;
  /** Seats of the orders the fans' keys account for (confirmed + unknown that paid + hung fans'). */
  seatsAccountedFor: number;
  violations: string[];
};

/**
 * Matches every order of the showtime to the fan and key that made it. Violations: a fan told "paid"
 * without that order in the database (or with other seats), a fan told "not paid" who was charged, an
 * order no fan's key explains, and sold seats that the orders do not account for.
 */
export function reconcile(records: FanRecord[], allUserIds: string[], orders: OrderRow[], seatsSoldInDb: number): Reconciliation {
  const violations: string[] = [];
  const byKey = new Map(orders.map((o) => [`${o.userId} ${o.idempotencyKey}`, o]));
  const matched = new Set<string>();
  const recorded = new Set(records.map((r) => r.userId));
  let confirmed = 0;
  let confirmedSeats = 0;
  let unknown = 0;
  let unknownPaid = 0;
  let unknownPaidSeats = 0;
  let unknownNotPaid = 0;
  for (const r of records) {
    if (!r.payKey) continue;
    const order = byKey.get(`${r.userId} ${r.payKey}`);
    if (order) matched.add(order.id);
    const outcome = r.payOutcome ?? "unknown";
    if (outcome === "paid") {
      confirmed++;
      if (!order) violations.push(`fan ${r.userId} was told it paid (order ${r.orderIds?.join(", ")}) but no order has its key`);
      else {
        confirmedSeats += order.tickets;
        if (!r.orderIds?.includes(order.id))
          violations.push(`fan ${r.userId} was told order ${r.orderIds?.join(", ")}, the database has ${order.id} for its key`);
        if (order.tickets !== r.holdSeats)
          violations.push(`fan ${r.userId} paid for ${r.holdSeats} seats, order ${order.id} has ${order.tickets} valid tickets`);
      }
    } else if (outcome === "refused") {
      if (order) violations.push(`fan ${r.userId} was refused (last answer not an outage) yet order ${order.id} has its key`);
    } else {
      unknown++;
      if (order) {
        unknownPaid++;
        unknownPaidSeats += order.tickets;
      } else unknownNotPaid++;
    }
  }
  let ofHungFans = 0;
  let hungSeats = 0;
  const fanIds = new Set(allUserIds);
  for (const o of orders) {
    if (matched.has(o.id)) continue;
    if (fanIds.has(o.userId) && !recorded.has(o.userId)) {
      ofHungFans++;
      hungSeats += o.tickets;
    } else violations.push(`order ${o.id} (user ${o.userId}, key ${o.idempotencyKey}) matches no fan's payment key`);
  }
  const seatsAccountedFor = confirmedSeats + unknownPaidSeats + hungSeats;
  if (seatsAccountedFor !== seatsSoldInDb)
    violations.push(`${seatsSoldInDb} seats sold in the database, the fans' orders account for ${seatsAccountedFor}`);
  return {
    ok: violations.length === 0,
    confirmed,
    confirmedSeats,
    unknown,
    unknownPaid,
    unknownPaidSeats,
    unknownNotPaid,
    ofHungFans,
    seatsSoldInDb,
    ordersInDb: orders.length,
    seatsAccountedFor,
    violations,
  };
}

/** `unsold`: seats not yet sold (fans' count) when it began; admission is capped by the stock left, by design. */
export type Stall = { from: number; to: number; waiting: number; unsold: number; faults: string[] };

/** Stretches of at least `minMs` in which fans were in line yet nobody was admitted. */
export function admissionStalls(
  samples: { t: number; waiting: number; admissions: number; sold: number }[],
  seats: number,
  faults: Fault[],
  minMs = 15_000,
): Stall[] {
  const stalls: Stall[] = [];
  let start: { t: number; admissions: number; sold: number } | undefined;
  let maxWaiting = 0;
  const close = (end: number) => {
    if (start && end - start.t >= minMs) {
      const during = faults
        .filter((f) => !f.skipped && f.end + FAULT_GRACE_MS >= start!.t - 5000 && f.at <= end)
        .map((f) => `${f.kind} at ${(f.at / 1000).toFixed(1)} s`);
      stalls.push({ from: start.t, to: end, waiting: maxWaiting, unsold: seats - start.sold, faults: during });
    }
    start = undefined;
    maxWaiting = 0;
  };
  for (const s of samples) {
    if (s.waiting > 0 && (!start || s.admissions === start.admissions)) {
      start ??= { t: s.t, admissions: s.admissions, sold: s.sold };
      maxWaiting = Math.max(maxWaiting, s.waiting);
    } else {
      close(s.t);
      if (s.waiting > 0) start = { t: s.t, admissions: s.admissions, sold: s.sold };
    }
  }
  close(samples.at(-1)?.t ?? 0);
  return stalls;
}

export type LogFinding = { file: string; count: number; line: string };

/**
 * The error and fatal lines of the app's logs (pino JSON, level ≥ 50; other lines that look like errors),
 * grouped by message with numbers blanked, most frequent first.
 */
export function scanLogs(logDir: string, limit = 25): LogFinding[] {
  const groups = new Map<string, LogFinding>();
  let files: string[] = [];
  try {
    files = fs.readdirSync(logDir).filter((f) => f.endsWith(".log"));
  } catch {
    return [];
  }
  for (const file of files) {
    const proc = file.replace(/\.log$/, "");
    for (const raw of fs.readFileSync(path.join(logDir, file), "utf8").split("\n")) {
      if (!raw.trim()) continue;
      let line: string | undefined;
      if (raw.startsWith("{")) {
        try {
          const j = JSON.parse(raw) as { level?: number; msg?: string; err?: unknown; queue?: string; jobName?: string };
          if ((j.level ?? 0) < 50) continue;
          const err = typeof j.err === "string" ? j.err : ((j.err as { message?: string; type?: string } | undefined)?.message ?? "");
          line = `${j.level === 60 ? "FATAL" : "ERROR"} ${j.msg ?? ""}${j.queue ? ` [${j.queue}${j.jobName ? `/${j.jobName}` : ""}]` : ""}${err ? `: ${err.split("\n")[0]}` : ""}`;
        } catch {
          line = undefined;
        }
      } else if (/error|⨯|unhandled|uncaught|fatal/i.test(raw) && !/^\s+at /.test(raw)) {
        line = raw.trim();
      }
      if (!line) continue;
      const norm = line.slice(0, 220).replace(/\b[0-9a-f]{8,}\b|\b\d+\b/gi, "#");
      const key = `${proc.replace(/-restart-\d+$/, "").replace(/^worker-\d+$/, "worker")} ${norm}`;
      const g = groups.get(key) ?? {
        file: proc.replace(/-restart-\d+$/, "").replace(/^worker-\d+$/, "worker"),
        count: 0,
        line: line.slice(0, 300),
      };
      g.count++;
      groups.set(key, g);
    }
  }
  return [...groups.values()].sort((a, b) => b.count - a.count).slice(0, limit);
}
