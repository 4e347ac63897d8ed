// An admitted fan who holds no seats and does nothing for the showtime's idle time gives their turn to the
// next fan (the admission tick releases them). These are the page's rules for it: when to tell the server
// the fan is still here, when to warn, and when to ask whether the turn is gone.

/** The warning comes this long before the turn would pass on (WCAG 2.2.1: time to say "still here"). */
export const IDLE_WARN_MS = 20_000;
/** After the idle time, ask the server this often whether the turn passed (the release runs each tick). */
export const IDLE_CHECK_EVERY_MS = 5_000;

export type IdlePhase = { kind: "off" } | { kind: "active" } | { kind: "warning"; msLeft: number } | { kind: "check" };

/**
 * Where a fan stands, from when the server last saw them (`lastSeen`, ms), the showtime's idle time, and
 * whether they hold seats (a fan holding seats is never released).
 */
export function idlePhase(now: number, lastSeen: number, idleMs: number, holding: boolean): IdlePhase {
  if (idleMs <= 0 || holding || now === 0) return { kind: "off" };
  const msLeft = lastSeen + idleMs - now;
  if (msLeft > IDLE_WARN_MS) return { kind: "active" };
  if (msLeft > 0) return { kind: "warning", msLeft };
  return { kind: "check" };
}

/** How long after a report the next activity is reported: often enough that a busy fan is never released. */
export function reportEveryMs(idleMs: number): number {
  return Math.max(1_000, Math.min(15_000, Math.floor((idleMs - IDLE_WARN_MS) / 2)));
}
