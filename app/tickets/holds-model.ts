// The "My tickets" page's rules as plain functions: the filter in the URL, how a hold stands right now, and
// how pages from more than one list (the "Ended" filter reads released and expired holds apart) interleave.
import type { HoldStatus } from "@/server/generated/prisma/enums";

export const HOLD_FILTERS = [
  { value: "all", label: "All" },
  { value: "active", label: "Active" },
  { value: "ended", label: "Ended" },
] as const;

export type HoldFilter = (typeof HOLD_FILTERS)[number]["value"];

/** `?status=active` or `?status=ended`; anything else (or nothing) shows every hold. */
export function readHoldFilter(value: string | string[] | undefined): HoldFilter {
  const raw = (Array.isArray(value) ? value[0] : value)?.toLowerCase();
  return raw === "active" || raw === "ended" ? raw : "all";
}

export function holdsHref(filter: HoldFilter): string {
  return filter === "all" ? "/tickets" : `/tickets?status=${filter}`;
}

/**
 * The `holds.mine` lists a filter reads: one status each (undefined = every status). "Ended" needs two,
 * because the procedure filters by a single status.
 */
export function statusesOf(filter: HoldFilter): (HoldStatus | undefined)[] {
  if (filter === "active") return ["ACTIVE"];
  if (filter === "ended") return ["RELEASED", "EXPIRED"];
  return [undefined];
}

type Listed = { id: string; createdAt: Date };

/** Newest first, as `holds.mine` orders them: by creation time, then id. Negative when `a` comes first. */
export function newestFirst(a: Listed, b: Listed): number {
  const byTime = b.createdAt.getTime() - a.createdAt.getTime();
  if (byTime !== 0) return byTime;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export type LoadedList<T> = { items: T[]; hasMore: boolean };

/**
 * Interleaves lists that are each sorted newest first. Items past the last loaded item of a list that has
 * more pages wait for that list's next page: something newer than them may still be on it, and showing
 * them now would let a later page slot holds in above ones the fan has already seen.
 */
export function mergeNewestFirst<T extends Listed>(lists: LoadedList<T>[]): T[] {
  const seen = new Set<string>();
  const all: T[] = [];
  for (const list of lists) {
    for (const item of list.items) {
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      all.push(item);
    }
  }
  all.sort(newestFirst);
  const boundaries = lists.filter((l) => l.hasMore).map((l) => l.items.at(-1));
  if (boundaries.some((b) => b === undefined)) return [];
  return all.filter((item) => boundaries.every((b) => newestFirst(item, b!) <= 0));
}

export type HoldStanding =
  | { state: "live"; msLeft: number | null }
  | { state: "released" }
  | { state: "expired" }
  | { state: "paid" };

/**
 * How a hold stands at `now` (ms since the epoch; 0 before the browser's clock has ticked, when the
 * server's word is taken as it is). A live hold whose time runs out on the page reads as expired at once.
 */
export function holdStanding(hold: { status: HoldStatus; live: boolean; heldUntil: Date }, now: number): HoldStanding {
  if (hold.status === "CONVERTED") return { state: "paid" };
  if (hold.status === "RELEASED") return { state: "released" };
  if (!hold.live) return { state: "expired" };
  if (now === 0) return { state: "live", msLeft: null };
  const msLeft = hold.heldUntil.getTime() - now;
  return msLeft > 0 ? { state: "live", msLeft } : { state: "expired" };
}

export const STANDING_LABEL: Record<HoldStanding["state"], string> = {
  live: "Active",
  released: "Released",
  expired: "Expired",
  paid: "Paid",
};

/** Time left as "3:12" (or "1:02:05"), rounded up so "0:00" shows only once the hold has ended. */
export function formatTimeLeft(msLeft: number): string {
  const total = Math.max(0, Math.ceil(msLeft / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}` : `${minutes}:${seconds}`;
}
