// The admin order search lives in the URL (?q=&showtime=&status=), so a search can be shared, reloaded and
// gone back to. Pure, for the page and for tests.

export type OrderStatusFilter = "PAID" | "REFUNDED";
export type OrderSearch = { q: string; showtimeId: string; status: OrderStatusFilter | "" };

type Params = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";

export function readOrderSearch(params: Params): OrderSearch {
  const status = first(params.status).toUpperCase();
  return {
    q: first(params.q).trim().slice(0, 200),
    showtimeId: /^[A-Za-z0-9_-]{1,64}$/.test(first(params.showtime)) ? first(params.showtime) : "",
    status: status === "PAID" || status === "REFUNDED" ? status : "",
  };
}

export function orderSearchHref(search: OrderSearch): string {
  const qs = new URLSearchParams();
  if (search.q.trim()) qs.set("q", search.q.trim());
  if (search.showtimeId) qs.set("showtime", search.showtimeId);
  if (search.status) qs.set("status", search.status.toLowerCase());
  const s = qs.toString();
  return s ? `/admin/orders?${s}` : "/admin/orders";
}

/** The procedure's input: only the filters that are set. */
export function searchInput(search: OrderSearch, limit: number) {
  return {
    limit,
    ...(search.q ? { query: search.q } : {}),
    ...(search.showtimeId ? { showtimeId: search.showtimeId } : {}),
    ...(search.status ? { status: search.status } : {}),
  };
}

export const isFiltered = (search: OrderSearch) => Boolean(search.q || search.showtimeId || search.status);
