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

export type AnnounceMemo = {
  at: number;
  state: WaitingStatus["state"];
  soldOut: boolean;
  closed: boolean;
  paused: boolean;
  pauseNote: string | null;
  decile: number;
  position: number;
};

const QUIET_MS = 30_000;
const CLOSED_WORDS = "This showtime is sold out. The line is closed to new fans; you can keep your place in case a ticket comes back.";

/**
 * What the polite live region should say for a new status, if anything. It speaks on the first status,
 * on a change of state, of sold-out or of a pause (or its note), at every 10% of progress, and otherwise at
 * most every 30 s when the position moved; a screen reader is not read every tick of the line. While the
 * line is paused or sold out it names no wait: any estimate would pretend.
 */
export function nextAnnouncement(
  prev: AnnounceMemo | null,
  status: WaitingStatus,
  progress: number,
  now: number,
  words: { opensAt?: string; accessFor?: string } = {},
): { text: string; memo: AnnounceMemo } | null {
  const inLine = status.state === "WAITING" || status.state === "PREQUEUED";
  const soldOut = inLine ? status.soldOut : false;
  const closed = inLine ? status.closed : false;
  const paused = status.state === "WAITING" ? status.paused : false;
  const pauseNote = status.state === "WAITING" ? status.pauseNote : null;
  const position = status.state === "WAITING" ? status.position : 0;
  const memo: AnnounceMemo = {
    at: now,
    state: status.state,
    soldOut,
    closed,
    paused,
    pauseNote,
    decile: Math.floor(progress * 10),
    position,
  };

  const say = (text: string) => ({ text, memo });
  const stateChanged = !prev || prev.state !== status.state;
  if (status.state === "READY") {
    return stateChanged
      ? say(`It’s your turn! Taking you to the seats.${words.accessFor ? ` You have ${words.accessFor} to choose.` : ""}`)
      : null;
  }
  if (status.state === "NONE") {
    if (!stateChanged) return null;
    return say(
      status.placeLost ? "The waiting room lost track of the line; putting you back in your place." : "You’re not in the line any more.",
    );
  }
  const pausedWords = `Admission is paused by the organiser.${pauseNote ? ` They say: ${pauseNote}` : ""} Your place is kept.`;
  if (prev && !stateChanged && prev.closed !== closed) {
    if (closed) return say(CLOSED_WORDS);
    return say(
      soldOut
        ? "A ticket came back, but all seats are held right now. Stay in line: if holds expire, seats come back."
        : "Seats are available again. You’re still in line.",
    );
  }
  if (prev && !stateChanged && prev.soldOut !== soldOut) {
    return say(
      soldOut
        ? "All seats are sold or held right now. Stay in line: if holds expire, seats come back."
        : "Seats are available again. You’re still in line.",
    );
  }
  if (prev && !stateChanged && (prev.paused !== paused || (paused && prev.pauseNote !== pauseNote))) {
    return say(paused ? pausedWords : `Admission has resumed. You are number ${fmt(position)} in line.`);
  }
  if (status.state === "PREQUEUED") {
    return stateChanged
      ? say(`You’re in the pre-queue.${words.opensAt ? ` When sales open at ${words.opensAt}, you’ll get a random place in line.` : ""}`)
      : null;
  }
  const number = `You are number ${fmt(status.position)} in line`;
  const where = closed
    ? `${number}. ${CLOSED_WORDS}`
    : paused
      ? `${number}. ${pausedWords}`
      : soldOut
        ? `${number}. All seats are sold or held right now.`
        : `${number}, ${formatWait(status.estimatedWaitMs)} to go.`;
  if (stateChanged) return say(where);
  if (!prev || status.position === prev.position) return null;
  if (memo.decile > prev.decile || now - prev.at >= QUIET_MS) return say(where);
  return null;
}
