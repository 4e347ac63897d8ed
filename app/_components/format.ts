// Date and count formatting for pages. English UI; times are shown in the venue's own timezone.

const LOCALE = "en-US";
const count = new Intl.NumberFormat(LOCALE);

export const formatCount = (n: number) => count.format(n);

/** "Sat, Dec 19, 2026, 8:00 PM EST" in the venue's timezone. */
export function formatShowDateTime(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat(LOCALE, {
    weekday: "short",
    month: "short",
    day: "numeric",
    year: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZone,
    timeZoneName: "short",
  }).format(date);
}

/** "8:00 PM" in the venue's timezone. */
export function formatTime(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat(LOCALE, { hour: "numeric", minute: "2-digit", timeZone }).format(date);
}

/** Parts for a calendar tile: month "Dec", day "19", weekday "Sat". */
export function dateTileParts(date: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat(LOCALE, { month: "short", day: "numeric", weekday: "short", timeZone }).formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return { month: get("month"), day: get("day"), weekday: get("weekday") };
}

type LocalDay = { date: Date; timeZone: string };

/**
 * "Dec 19, 2026" or "Dec 19, 2026 – Jan 4, 2027": each end is the local day at its own venue, and a
 * range collapses to one day when both ends fall on the same one.
 */
export function formatDayRange(first: LocalDay | null, last: LocalDay | null): string {
  if (!first) return "Dates to be announced";
  const fmt = (timeZone: string) => new Intl.DateTimeFormat(LOCALE, { month: "short", day: "numeric", year: "numeric", timeZone });
  if (!last) return fmt(first.timeZone).format(first.date);
  if (first.timeZone === last.timeZone) return fmt(first.timeZone).formatRange(first.date, last.date);
  const [a, b] = [fmt(first.timeZone).format(first.date), fmt(last.timeZone).format(last.date)];
  return a === b ? a : `${a} – ${b}`;
}

/** "1,234 of 15,600 seats left", or "Sold out". */
export function formatSeatsLeft(seats: { available: number; held: number; sold: number; total: number }): string {
  if (seats.total === 0) return "Seats to be announced";
  if (seats.sold >= seats.total) return "Sold out";
  if (seats.available === 0) return `No seats free right now · ${formatCount(seats.held)} on hold may return`;
  return `${formatCount(seats.available)} of ${formatCount(seats.total)} seats left`;
}

/** Images are local files under /public; anything else falls back to the generic poster. */
export function posterSrc(imageUrl: string | null | undefined): string {
  return imageUrl && imageUrl.startsWith("/") && !imageUrl.startsWith("//") ? imageUrl : "/images/concerts/default.svg";
}
