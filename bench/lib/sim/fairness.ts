// Admission order against arrival order, from the waiting room's own records in Redis: the admissions
// stream (user, place score, in the order the admission script popped them) and the fans' arrival
// sequences (the INCR behind each queue token).
import type { FanRecord } from "./fan.ts";

/** Scores of fans who joined after opening are OFFSET + arrival sequence (server/domain/waiting-room/keys.ts). */
export type Admission = { user: string; score: number; atMs: number };

export type FairnessResult = {
  ok: boolean;
  admissions: number;
  prequeueAdmissions: number;
  arrivalAdmissions: number;
  /** Later arrivals admitted before an earlier one (stream order against arrival sequence). */
  outOfOrder: number;
  /** An earlier arrival still in line (not yet left) when a later one was admitted. */
  skipped: number;
  /** Admitted fans whose place score is not the arrival sequence of their queue token. */
  seqMismatches: number;
  /** Fans admitted more than once (a fan whose access ran out may queue again; counted, not a violation). */
  readmitted: number;
  examples: string[];
};

export function checkAdmissionOrder(admissions: Admission[], fans: FanRecord[], offset: number, runStartedAtMs: number): FairnessResult {
  const examples: string[] = [];
  const note = (s: string) => examples.length < 5 && examples.push(s);
  const byUser = new Map(fans.map((f) => [f.userId, f]));
  const arrivals = admissions.filter((a) => a.score >= offset);
  let outOfOrder = 0;
  for (let i = 1; i < arrivals.length; i++) {
    if (arrivals[i]!.score <= arrivals[i - 1]!.score) {
      outOfOrder++;
      note(
        `${arrivals[i]!.user} (arrival ${arrivals[i]!.score - offset}) admitted after ${arrivals[i - 1]!.user} (arrival ${arrivals[i - 1]!.score - offset})`,
      );
    }
  }
  let seqMismatches = 0;
  const seen = new Map<string, number>();
  for (const a of admissions) {
    seen.set(a.user, (seen.get(a.user) ?? 0) + 1);
    const fan = byUser.get(a.user);
    if (!fan || fan.seq === undefined || fan.prequeued) continue;
    if (a.score - offset !== fan.seq && (seen.get(a.user) ?? 0) === 1) {
      seqMismatches++;
      note(`${a.user} admitted with place ${a.score - offset}, but its queue token says arrival ${fan.seq}`);
    }
  }
  // Skips: a fan who joined after opening, was never admitted, and had not asked to leave when a later
  // arrival was admitted. The leave time used is when the request was sent, so a fan counted as still in
  // line really was.
  const admittedUsers = new Set(admissions.map((a) => a.user));
  const arrivalsBySeq = arrivals.map((a) => ({ seq: a.score - offset, atMs: a.atMs - runStartedAtMs })).sort((x, y) => x.seq - y.seq);
  // Latest admission time among arrivals with seq > s: suffix minimum of admission times is what matters
  // (the earliest admission of anyone who came later).
  const earliestLaterAdmission: number[] = new Array<number>(arrivalsBySeq.length);
  let min = Infinity;
  for (let i = arrivalsBySeq.length - 1; i >= 0; i--) {
    min = Math.min(min, arrivalsBySeq[i]!.atMs);
    earliestLaterAdmission[i] = min;
  }
  let skipped = 0;
  for (const fan of fans) {
    if (fan.seq === undefined || fan.prequeued || admittedUsers.has(fan.userId)) continue;
    // First admitted arrival with a larger sequence.
    let lo = 0;
    let hi = arrivalsBySeq.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (arrivalsBySeq[mid]!.seq > fan.seq) hi = mid;
      else lo = mid + 1;
    }
    if (lo >= arrivalsBySeq.length) continue;
    const laterAdmittedAt = earliestLaterAdmission[lo]!;
    if (laterAdmittedAt < (fan.leaveRequestedAt ?? Infinity)) {
      skipped++;
      note(`${fan.userId} (arrival ${fan.seq}) still in line when a later arrival was admitted at +${Math.round(laterAdmittedAt)} ms`);
    }
  }
  const readmitted = [...seen.values()].filter((n) => n > 1).length;
  return {
    ok: outOfOrder === 0 && skipped === 0 && seqMismatches === 0,
    admissions: admissions.length,
    prequeueAdmissions: admissions.length - arrivals.length,
    arrivalAdmissions: arrivals.length,
    outOfOrder,
    skipped,
    seqMismatches,
    readmitted,
    examples,
  };
}
