// Wall-clock times in a venue's timezone ↔ UTC instants, for datetime-local inputs. Such an input has no
// zone of its own: the dashboard reads and writes it as the local time at the venue, whatever the
// admin's browser is set to, and sends the server UTC instants.

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

type Wall = { year: number; month: number; day: number; hour: number; minute: number; second: number };

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall clock in `timeZone` at instant `ms`. */
function wallClock(ms: number, timeZone: string): Wall {
  const parts = wallFormatter(timeZone).formatToParts(new Date(ms));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? NaN);
  return { year: get("year"), month: get("month"), day: get("day"), hour: get("hour") % 24, minute: get("minute"), second: get("second") };
}

const wallAsUtc = (w: Wall) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

/** How far `timeZone` is ahead of UTC at instant `ms` (Seoul: +9 h), in milliseconds. */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return wallAsUtc(wallClock(whole, timeZone)) - whole;
}

export function isValidTimeZone(timeZone: string): boolean {
  if (!timeZone) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

export type ZonedParse =
  | {
      ok: true;
      date: Date;
      /** "gap": the time does not exist there (clocks jumped forward), so it moved on by the jump;
       * "overlap": it happens twice (clocks went back), and the first was taken. */
      adjusted?: "gap" | "overlap";
    }
  | { ok: false; reason: "empty" | "format" };

/**
 * "2026-12-19T20:00" read as the wall clock in `timeZone` → the UTC instant. Like clocks (and Temporal's
 * "compatible" choice), a time skipped by a daylight-saving jump moves forward by the jump, and a time
 * that happens twice means the first one.
 */
export function zonedInputToUtc(value: string, timeZone: string): ZonedParse {
  const text = value.trim();
  if (!text) return { ok: false, reason: "empty" };
  const m = LOCAL_INPUT.exec(text);
  if (!m) return { ok: false, reason: "format" };
  const wall: Wall = { year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +m[4]!, minute: +m[5]!, second: m[6] ? +m[6] : 0 };
  const asUtc = wallAsUtc(wall);
  // Date.UTC rolls 2026-02-30 over to March; such a date is a typo, not a time.
  const check = new Date(asUtc);
  if (check.getUTCMonth() !== wall.month - 1 || check.getUTCDate() !== wall.day || wall.hour > 23 || wall.minute > 59) {
    return { ok: false, reason: "format" };
  }
  // The offset a day either side brackets any transition near this time (they are months apart).
  const before = zoneOffsetMs(asUtc - DAY, timeZone);
  const after = zoneOffsetMs(asUtc + DAY, timeZone);
  const matches = [...new Set([asUtc - before, asUtc - after])]
    .filter((t) => wallAsUtc(wallClock(t, timeZone)) === asUtc)
    .sort((a, b) => a - b);
  if (matches.length === 0) return { ok: true, date: new Date(asUtc - before), adjusted: "gap" };
  return matches.length > 1 ? { ok: true, date: new Date(matches[0]!), adjusted: "overlap" } : { ok: true, date: new Date(matches[0]!) };
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** An instant → "YYYY-MM-DDTHH:mm", the wall clock in `timeZone`, for a datetime-local input's value. */
export function utcToZonedInput(date: Date, timeZone: string): string {
  const w = wallClock(date.getTime(), timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/** "UTC+09:00", "UTC−05:00" (a real minus sign), "UTC+05:45". */
export function formatUtcOffset(offsetMs: number): string {
  const minutes = Math.round(offsetMs / MINUTE);
  const sign = minutes < 0 ? "−" : "+";
  const abs = Math.abs(minutes);
  return `UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** "America/New_York (EST, UTC−05:00)" or "Asia/Seoul (UTC+09:00)": the zone as it stands at `at`. */
export function describeZone(timeZone: string, at: Date = new Date()): string {
  const offset = formatUtcOffset(zoneOffsetMs(at.getTime(), timeZone));
  const name = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "short" })
    .formatToParts(at)
    .find((p) => p.type === "timeZoneName")?.value;
  // "GMT+9" says nothing the offset does not; "EST" does.
  return name && !/^(GMT|UTC)/.test(name) ? `${timeZone} (${name}, ${offset})` : `${timeZone} (${offset})`;
}

/** Now in `timeZone`, to the minute, plus `addDays` days at `hour`:00 local (for form defaults). */
export function localInputAt(
  timeZone: string,
  { addDays = 0, hour }: { addDays?: number; hour?: number } = {},
  now: Date = new Date(),
): string {
  const today = utcToZonedInput(now, timeZone);
  if (addDays === 0 && hour === undefined) return today;
  const [y, mo, d] = today.slice(0, 10).split("-").map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, mo - 1, d + addDays));
  const time = hour === undefined ? today.slice(11) : `${pad(hour)}:00`;
  return `${pad(day.getUTCFullYear(), 4)}-${pad(day.getUTCMonth() + 1)}-${pad(day.getUTCDate())}T${time}`;
}

/** Moves a wall-clock input value by `minutes` (calendar arithmetic, no zone involved). */
export function shiftLocalInput(value: string, minutes: number): string {
  const m = LOCAL_INPUT.exec(value.trim());
  if (!m) return value;
  const t = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]! + minutes));
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}T${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}`;
}
