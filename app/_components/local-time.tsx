"use client";
// A moment in the fan's own timezone (payments, top-ups), which only the browser knows: the server's
// render says it in UTC, and the browser restates it once hydrated.
import { useHydrated } from "./use-hydrated";

const LOCAL = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", year: "numeric", hour: "numeric", minute: "2-digit" });
const UTC = new Intl.DateTimeFormat("en-US", {
  month: "short",
  day: "numeric",
  year: "numeric",
  hour: "numeric",
  minute: "2-digit",
  timeZone: "UTC",
  timeZoneName: "short",
});

/** "Mar 3, 2026, 9:12 PM" in the fan's timezone. */
export function formatLocalDateTime(date: Date): string {
  return LOCAL.format(date);
}

export function LocalTime({ date }: { date: Date }) {
  const hydrated = useHydrated();
  return <time dateTime={date.toISOString()}>{hydrated ? LOCAL.format(date) : UTC.format(date)}</time>;
}
