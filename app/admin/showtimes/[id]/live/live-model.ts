// The live on-sale view's arithmetic, kept pure for tests: chart scale and bars, seat shares, the admission
// rate in words, and reading the rate form against the limits the server enforces.

/** The smallest 1, 2 or 5 × 10^k at or above `n`, so the chart's top line is a round number (at least 1). */
export function niceCeiling(n: number): number {
  if (!Number.isFinite(n) || n <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(n));
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= n) return step * power;
  }
  return 10 * power;
}

export type Bar = { x: number; y: number; width: number; height: number };

/**
 * One bar per value in a `width` × `height` box (SVG user units), bottom-aligned, scaled to `max`, with
 * `gap` (a fraction of each slot) between bars. A value above zero is never drawn thinner than 1 unit.
 */
export function layoutBars(
  values: readonly number[],
  { width, height, max, gap = 0.2 }: { width: number; height: number; max: number; gap?: number },
): Bar[] {
  if (values.length === 0) return [];
  const slot = width / values.length;
  const barWidth = slot * (1 - gap);
  const scale = max > 0 ? height / max : 0;
  return values.map((v, i) => {
    const h = v > 0 ? Math.max(1, Math.min(height, v * scale)) : 0;
    return { x: i * slot + (slot - barWidth) / 2, y: height - h, width: barWidth, height: h };
  });
}

/** Percentages of the whole for a stacked bar; all zero when there is nothing to show. */
export function shares<K extends string>(parts: Record<K, number>): Record<K, number> {
  const total = Object.values<number>(parts).reduce((sum, n) => sum + n, 0);
  const out = {} as Record<K, number>;
  for (const key of Object.keys(parts) as K[]) out[key] = total > 0 ? (parts[key] / total) * 100 : 0;
  return out;
}

const count = new Intl.NumberFormat("en-US");

/** "2 s", "0.5 s", "1 min 30 s". */
export function formatInterval(ms: number): string {
  if (ms < 60_000) return `${count.format(Math.round(ms / 100) / 10)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
}

/** How many fans a minute the settings let in at most: batch per tick × ticks per minute. */
export function admissionsPerMinute(batchSize: number, intervalMs: number): number {
  return intervalMs > 0 ? Math.round((batchSize * 60_000) / intervalMs) : 0;
}

/** "50 fans every 2 s (up to 1,500 a minute)". */
export function describeRate(batchSize: number, intervalMs: number): string {
  const fans = `${count.format(batchSize)} fan${batchSize === 1 ? "" : "s"}`;
  return `${fans} every ${formatInterval(intervalMs)} (up to ${count.format(admissionsPerMinute(batchSize, intervalMs))} a minute)`;
}

/** "just now", "5 s ago", "3 min ago". */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 1) return "just now";
  if (s < 60) return `${s} s ago`;
  return `${Math.floor(s / 60)} min ago`;
}

// The rate form ------------------------------------------------------------------------------------
// The same limits as ZWaitingRoomSettingsInput (server/domain/waiting-room/settings.ts), which cannot be
// imported here: its module reads the database. The server checks again either way.
export const RATE_LIMITS = {
  batchSize: { min: 1, max: 10_000 },
  intervalMs: { min: 200, max: 600_000 },
  maxActive: { min: 1, max: 1_000_000 },
} as const;

export type RateSettings = { batchSize: number; intervalMs: number; maxActive: number };
export type RateDraft = { batchSize: string; intervalSeconds: string; maxActive: string };
export type RateFieldErrors = Partial<Record<keyof RateDraft, string>>;

export function draftOf(s: RateSettings): RateDraft {
  return { batchSize: String(s.batchSize), intervalSeconds: String(s.intervalMs / 1000), maxActive: String(s.maxActive) };
}

const wholeNumber = (raw: string) => (/^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN);

/**
 * The changed settings, or why not: whole numbers within the server's limits, the interval in seconds
 * (to the millisecond). Unchanged fields are left out, so the audit shows only what the admin meant.
 */
export function readRateDraft(
  draft: RateDraft,
  current: RateSettings,
): { ok: true; patch: Partial<RateSettings> } | { ok: false; errors: RateFieldErrors } {
  const errors: RateFieldErrors = {};
  const batchSize = wholeNumber(draft.batchSize);
  if (!Number.isSafeInteger(batchSize) || batchSize < RATE_LIMITS.batchSize.min || batchSize > RATE_LIMITS.batchSize.max) {
    errors.batchSize = `Admit 1 to ${count.format(RATE_LIMITS.batchSize.max)} fans per tick, a whole number.`;
  }
  const seconds =
    /^\s*\d*(\.\d+)?\s*$/.test(draft.intervalSeconds) && draft.intervalSeconds.trim() !== "" ? Number(draft.intervalSeconds) : Number.NaN;
  const intervalMs = Math.round(seconds * 1000);
  if (!Number.isFinite(seconds) || intervalMs < RATE_LIMITS.intervalMs.min || intervalMs > RATE_LIMITS.intervalMs.max) {
    errors.intervalSeconds = "Tick every 0.2 to 600 seconds.";
  }
  const maxActive = wholeNumber(draft.maxActive);
  if (!Number.isSafeInteger(maxActive) || maxActive < RATE_LIMITS.maxActive.min || maxActive > RATE_LIMITS.maxActive.max) {
    errors.maxActive = `Allow 1 to ${count.format(RATE_LIMITS.maxActive.max)} shoppers at once, a whole number.`;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const patch: Partial<RateSettings> = {};
  if (batchSize !== current.batchSize) patch.batchSize = batchSize;
  if (intervalMs !== current.intervalMs) patch.intervalMs = intervalMs;
  if (maxActive !== current.maxActive) patch.maxActive = maxActive;
  return { ok: true, patch };
}
