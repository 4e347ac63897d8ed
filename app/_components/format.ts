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

/** "Dec 19, 2026" or "Dec 19, 2026 – Jan 4, 2027" (a range collapses to one day when both ends match). */
export function formatDayRange(first: Date | null, last: Date | null, timeZone = "UTC"): string {
  if (!first) return "Dates to be announced";
  const fmt = new Intl.DateTimeFormat(LOCALE, { month: "short", day: "numeric", year: "numeric", timeZone });
  if (!last) return fmt.format(first);
  return fmt.formatRange(first, last);
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
