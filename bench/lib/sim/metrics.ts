// What the simulation measures: per-step latencies, error counts by code, fan states, and time series.

export const STEPS = ["join", "status", "leave", "layout", "seatMap", "hold", "bestAvailable", "topUp", "checkout"] as const;
export type Step = (typeof STEPS)[number];

export type FanState = "scheduled" | "waiting" | "admitted" | "holding" | "paid" | "soldOut" | "abandoned" | "gaveUp" | "stopped";

export type Sample = {
  /** ms since the run started (the first fan's arrival time is 0). */
  t: number;
  arrived: number;
  waiting: number;
  admitted: number;
  holding: number;
  paid: number;
  seatsSold: number;
  /** From Redis: fans in line (waiting + pre-queue) and shoppers with access. */
  queueLength: number | null;
  active: number | null;
  errors: number;
};

/** One HTTP answer (or none: status 0, code NETWORK) to a fan's request. */
export type Answer = { step: Step; status: number; code?: string; message?: string; details?: unknown; at: number };

export class Metrics {
  readonly latencies = new Map<Step, number[]>(STEPS.map((s) => [s, []]));
  /** Calls per step that ended in an error, and errors by code (appCode, HTTP_<status>, NETWORK). */
  readonly stepErrors = new Map<Step, number>(STEPS.map((s) => [s, 0]));
  readonly errorsByCode = new Map<string, number>();
  readonly errorExamples = new Map<string, string>();
  readonly states = new Map<FanState, number>();
  readonly samples: Sample[] = [];
  arrived = 0;
  /** Admissions seen by fans, counting a fan again each time it is admitted. */
  admissions = 0;
  seatsSold = 0;
  /** Seats of checkouts cut off by the end of the run: the server may have sold them without the fan hearing. */
  unconfirmedSeats = 0;
  /** Fan-side findings that break an invariant (e.g. a double click answered with two different orders). */
  readonly clientViolations: string[] = [];
  /** When the last seat was sold, in ms since the run started. */
  soldOutAt: number | null = null;
  /** Sees every answer as it arrives (status 0: no answer), for npm run chaos's answers during faults. */
  onAnswer?: (answer: Answer) => void;

  record(step: Step, ms: number, errorCode?: string, detail?: string) {
    this.latencies.get(step)!.push(ms);
    if (errorCode) {
      this.stepErrors.set(step, this.stepErrors.get(step)! + 1);
      this.errorsByCode.set(errorCode, (this.errorsByCode.get(errorCode) ?? 0) + 1);
      if (detail && !this.errorExamples.has(errorCode)) this.errorExamples.set(errorCode, `${step}: ${detail.slice(0, 300)}`);
    }
  }

  move(from: FanState | undefined, to: FanState) {
    if (from) this.states.set(from, (this.states.get(from) ?? 0) - 1);
    this.states.set(to, (this.states.get(to) ?? 0) + 1);
  }

  count(state: FanState) {
    return this.states.get(state) ?? 0;
  }

  get errors() {
    let n = 0;
    for (const v of this.errorsByCode.values()) n += v;
    return n;
  }
}

export type StepStats = {
  step: Step;
  calls: number;
  errors: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
};

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function stepStats(metrics: Metrics, durationMs: number): StepStats[] {
  return STEPS.map((step) => {
    const xs = [...metrics.latencies.get(step)!].sort((a, b) => a - b);
    const r = (x: number) => Math.round(x * 10) / 10;
    return {
      step,
      calls: xs.length,
      errors: metrics.stepErrors.get(step)!,
      perSecond: r(xs.length / Math.max(durationMs / 1000, 0.001)),
      p50: r(percentile(xs, 50)),
      p95: r(percentile(xs, 95)),
      p99: r(percentile(xs, 99)),
      max: r(xs.at(-1) ?? 0),
    };
  });
}
