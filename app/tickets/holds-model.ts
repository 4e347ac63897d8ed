// The holds on "My tickets" as plain functions: the filter in the URL and how a hold stands right now.
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

/** What `holds.mine` is asked for under a filter: "Ended" is released or expired, in one query. */
export function holdStatusOf(filter: HoldFilter): "ACTIVE" | "ENDED" | undefined {
  if (filter === "active") return "ACTIVE";
  if (filter === "ended") return "ENDED";
  return undefined;
}

export type HoldStanding = { state: "live"; msLeft: number | null } | { state: "released" } | { state: "expired" } | { state: "paid" };

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
