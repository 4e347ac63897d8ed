// The search page's state lives in the URL query string; this turns it into search input and back.
import { SEARCH_SORTS, type SearchSort, type TSearchConcertsInput } from "@/server/domain/catalog/schemas";

export type SearchParams = Record<string, string | string[] | undefined>;

/** The form's fields as typed in the URL (strings; empty when absent; the sort empty for the default, date). */
export type SearchFields = { q: string; city: string; from: string; to: string; sort: SearchSort | "" };

export const sortOf = (v: string): SearchSort | "" =>
  (SEARCH_SORTS as readonly string[]).includes(v) && v !== "date" ? (v as SearchSort) : "";

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";

function intIn(v: string, min: number, max: number): number | undefined {
  if (!/^\d{1,6}$/.test(v)) return undefined;
  return Math.min(max, Math.max(min, Number(v)));
}

export function readSearchParams(sp: SearchParams) {
  const fields: SearchFields = {
    q: one(sp.q).trim(),
    city: one(sp.city).trim(),
    from: one(sp.from),
    to: one(sp.to),
    sort: sortOf(one(sp.sort)),
  };
  // Paging values out of range are clamped, and an unknown sort is the default, rather than reported: they
  // come from links, not from people.
  const page = intIn(one(sp.page), 1, 1000) ?? 1;
  const pageSize = intIn(one(sp.pageSize), 1, 48);
  const input: TSearchConcertsInput = {
    q: fields.q || undefined,
    city: fields.city || undefined,
    from: fields.from || undefined,
    to: fields.to || undefined,
    sort: fields.sort || undefined,
    page,
    pageSize,
  };
  return { fields, page, pageSize, input };
}

/** "/search?q=…&city=…" with empty values left out, so shared links stay short. */
export function searchHref(fields: Partial<SearchFields>, extra: { page?: number; pageSize?: number } = {}): string {
  const qs = new URLSearchParams();
  for (const key of ["q", "city", "from", "to", "sort"] as const) {
    const v = fields[key]?.trim();
    if (v) qs.set(key, v);
  }
  if (extra.page && extra.page > 1) qs.set("page", String(extra.page));
  if (extra.pageSize) qs.set("pageSize", String(extra.pageSize));
  const s = qs.toString();
  return s ? `/search?${s}` : "/search";
}
