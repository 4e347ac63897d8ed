// The waiting page's arithmetic and wording: progress, waits in words, and when to speak up (live region).
import type { WaitingStatus } from "@/server/domain/waiting-room/queue";

const count = new Intl.NumberFormat("en-US");
export const fmt = (n: number) => count.format(n);

/** "less than a minute", "about 1 minute", "about 25 minutes", "about 2 hours". */
export function formatWait(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (ms < 45_000) return "less than a minute";
  if (minutes <= 1) return "about 1 minute";
  if (minutes < 90) return `about ${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  return `about ${hours} hours`;
}

/** "15 minutes", "1 minute", "45 seconds": how long an access window lasts. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.round(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

/** 0..1, from the position the fan joined at (0) to the front of the line, position 1 (1). */
export function progressOf(startPosition: number, position: number): number {
  if (startPosition <= 1) return 1;
  return Math.min(1, Math.max(0, (startPosition - position) / (startPosition - 1)));
}

export type AnnounceMemo = { at: number; state: WaitingStatus["state"]; soldOut: boolean; decile: number; position: number };

const QUIET_MS = 30_000;

/**
 * What the polite live region should say for a new status, if anything. It speaks on the first status,
 * on a change of state or of sold-out, at every 10% of progress, and otherwise at most every 30 s when
 * the position moved; a screen reader is not read every tick of the line.
 */
export function nextAnnouncement(
  prev: AnnounceMemo | null,
  status: WaitingStatus,
  progress: number,
  now: number,
  words: { opensAt?: string; accessFor?: string } = {},
): { text: string; memo: AnnounceMemo } | null {
  const soldOut = status.state === "WAITING" || status.state === "PREQUEUED" ? status.soldOut : false;
  const position = status.state === "WAITING" ? status.position : 0;
  const memo: AnnounceMemo = { at: now, state: status.state, soldOut, decile: Math.floor(progress * 10), position };

  const say = (text: string) => ({ text, memo });
  const stateChanged = !prev || prev.state !== status.state;
  if (status.state === "READY") {
    return stateChanged ? say(`It’s your turn! Taking you to the seats.${words.accessFor ? ` You have ${words.accessFor} to choose.` : ""}`) : null;
  }
  if (status.state === "NONE") {
    if (!stateChanged) return null;
    return say(status.placeLost ? "The waiting room lost track of the line; putting you back in your place." : "You’re not in the line any more.");
  }
  if (prev && !stateChanged && prev.soldOut !== soldOut) {
    return say(
      soldOut
        ? "All seats are sold or held right now. Stay in line: if holds expire, seats come back."
        : "Seats are available again. You’re still in line.",
    );
  }
  if (status.state === "PREQUEUED") {
    return stateChanged
      ? say(`You’re in the pre-queue.${words.opensAt ? ` When sales open at ${words.opensAt}, you’ll get a random place in line.` : ""}`)
      : null;
  }
  const where = `You are number ${fmt(status.position)} in line, ${formatWait(status.estimatedWaitMs)} to go.`;
  if (stateChanged) return say(where);
  if (!prev || status.position === prev.position) return null;
  if (memo.decile > prev.decile || now - prev.at >= QUIET_MS) return say(where);
  return null;
}
