// A hold's countdown as plain rules: how it reads, when it warns, how the extension is put in words.

/** The warning comes this long before a hold ends (and the fan may still extend then: WCAG 2.2.1). */
export const WARN_BEFORE_MS = 60_000;

export type HoldPhase = "running" | "warning" | "ended";

export function holdPhase(msLeft: number): HoldPhase {
  if (msLeft <= 0) return "ended";
  return msLeft <= WARN_BEFORE_MS ? "warning" : "running";
}

/** Time left as "mm:ss", rounded up so "00:00" shows only once the hold has ended. */
export function formatCountdown(msLeft: number): string {
  const total = Math.max(0, Math.ceil(msLeft / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${String(minutes).padStart(2, "0")}:${String(seconds).padStart(2, "0")}`;
}

/** 120 → "2 minutes", 60 → "1 minute", 90 → "1 minute 30 seconds", 30 → "30 seconds". */
export function formatSpan(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  const rest = s % 60;
  const mins = m === 0 ? "" : `${m} minute${m === 1 ? "" : "s"}`;
  const secs = rest === 0 && m > 0 ? "" : `${rest} second${rest === 1 ? "" : "s"}`;
  return [mins, secs].filter(Boolean).join(" ");
}

/** The extend button's words: "Add 2 more minutes", "Add 90 more seconds". */
export function extendLabel(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s >= 60 && s % 60 === 0) return `Add ${s / 60} more minute${s === 60 ? "" : "s"}`;
  return `Add ${s} more second${s === 1 ? "" : "s"}`;
}
