// The dashboard's showtime filter lives in the URL (?q=&status=&when=), so a filtered view can be shared and
// reloaded; anything it cannot be is dropped. Pure, for the page and for tests.
import type { DashboardStatus } from "@/server/domain/admin/dashboard";

export type DashboardWhen = "upcoming" | "past" | "all";
export type DashboardFilter = { q: string; status: DashboardStatus | ""; when: DashboardWhen };

type Params = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";

export const STATUS_OPTIONS: { value: DashboardStatus; label: string }[] = [
  { value: "ON_SALE", label: "On sale" },
  { value: "PRESALE", label: "Presale" },
  { value: "UPCOMING", label: "Sale not open yet" },
  { value: "SOLD_OUT", label: "Sold out" },
  { value: "ENDED", label: "Sales ended" },
  { value: "DRAFT", label: "Not yet public" },
  { value: "CANCELLED", label: "Cancelled" },
];

export function readDashboardFilter(params: Params): DashboardFilter {
  const status = first(params.status).toUpperCase();
  const when = first(params.when);
  return {
    q: first(params.q).trim().slice(0, 200),
    status: STATUS_OPTIONS.find((o) => o.value === status)?.value ?? "",
    when: when === "past" || when === "all" ? when : "upcoming",
  };
}

export function dashboardHref(filter: DashboardFilter): string {
  const qs = new URLSearchParams();
  if (filter.q) qs.set("q", filter.q);
  if (filter.status) qs.set("status", filter.status);
  if (filter.when !== "upcoming") qs.set("when", filter.when);
  const s = qs.toString();
  return s ? `/admin?${s}` : "/admin";
}

export const isFiltered = (filter: DashboardFilter) => Boolean(filter.q || filter.status || filter.when !== "upcoming");

/** The procedure's input: only what is set. */
export function dashboardInput(filter: DashboardFilter) {
  return { when: filter.when, ...(filter.q ? { query: filter.q } : {}), ...(filter.status ? { status: filter.status } : {}) };
}
