// The audit page's reading of entries: before/after snapshots compared field by field, values in words,
// actions in words, and where an entity lives in the dashboard. Pure, for the page and for tests.

export type Change = "added" | "removed" | "changed" | "same";
export type DiffRow = { path: string; before: unknown; after: unknown; change: Change };

/** Deeper than this, a value is compared (and shown) whole. */
const MAX_DEPTH = 3;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Dotted paths to leaf values: `waitingRoom.paused`, `priceTiers[0].priceMinor`. */
export function flatten(value: unknown, prefix = "", depth = 0, out = new Map<string, unknown>()): Map<string, unknown> {
  const nested =
    depth < MAX_DEPTH &&
    ((isPlainObject(value) && Object.keys(value).length > 0) || (Array.isArray(value) && value.length > 0 && value.every(isPlainObject)));
  if (!nested) {
    out.set(prefix, value);
    return out;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => flatten(item, `${prefix}[${i}]`, depth + 1, out));
  } else {
    for (const [key, item] of Object.entries(value as Record<string, unknown>))
      flatten(item, prefix ? `${prefix}.${key}` : key, depth + 1, out);
  }
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Every field of either snapshot with what happened to it, in the order the fields appear (the after
 * snapshot's first). A missing snapshot (a create has no before) counts as empty.
 */
export function diffSnapshots(before: unknown, after: unknown): DiffRow[] {
  const b = before === null || before === undefined ? new Map<string, unknown>() : flatten(before);
  const a = after === null || after === undefined ? new Map<string, unknown>() : flatten(after);
  const paths = [...a.keys(), ...[...b.keys()].filter((k) => !a.has(k))];
  return paths.map((path) => {
    const inBefore = b.has(path);
    const inAfter = a.has(path);
    const change: Change = !inBefore ? "added" : !inAfter ? "removed" : same(b.get(path), a.get(path)) ? "same" : "changed";
    return { path: path || "(value)", before: b.get(path), after: a.get(path), change };
  });
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const utc = new Intl.DateTimeFormat("en-US", {
  month: "short",
  day: "numeric",
  year: "numeric",
  hour: "numeric",
  minute: "2-digit",
  second: "2-digit",
  timeZone: "UTC",
  timeZoneName: "short",
});

/** A snapshot value in words: dates (stored as ISO strings) in UTC, nothing as a dash. */
export function formatValue(value: unknown): string {
  if (value === undefined) return "—";
  if (value === null) return "none";
  if (typeof value === "string") return ISO_DATE.test(value) ? utc.format(new Date(value)) : value === "" ? "(empty)" : value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

const ACTIONS: Record<string, string> = {
  "order.refund": "Refunded an order",
  "waitingRoom.update": "Changed waiting-room settings",
  "showtime.create": "Created a showtime",
  "showtime.update": "Edited a showtime",
  "showtime.publish": "Published a showtime",
  "showtime.cancel": "Cancelled a showtime",
  "showtime.setSectionTier": "Moved a section to another price tier",
  "presale.settings": "Changed who a presale is for",
  "presale.codes.create": "Created presale codes",
  "presale.code.revoke": "Revoked a presale code",
  "presale.list.add": "Added emails to a presale list",
  "presale.list.remove": "Removed an email from a presale list",
  "concert.create": "Created a concert",
  "concert.update": "Edited a concert",
  "concert.publish": "Published a concert",
  "concert.cancel": "Cancelled a concert",
  "venue.create": "Created a venue",
  "channel.create": "Created a partner channel",
  "apiKey.issue": "Issued an API key",
  "apiKey.revoke": "Revoked an API key",
};

export function actionLabel(action: string): string {
  return ACTIONS[action] ?? action;
}

/**
 * A waiting-room change names what changed: "Paused admission", "Resumed admission" (with or without the
 * message to waiting fans), "Changed the pause message", or the settings label; other actions keep theirs.
 */
export function describeEntry(action: string, before: unknown, after: unknown): string {
  if (action === "waitingRoom.update" && isPlainObject(before) && isPlainObject(after)) {
    const changed = new Set(
      diffSnapshots(before, after)
        .filter((r) => r.change !== "same")
        .map((r) => r.path),
    );
    const pauseOnly = changed.size > 0 && [...changed].every((path) => path === "paused" || path === "pauseNote");
    if (pauseOnly && changed.has("paused")) return after.paused ? "Paused admission" : "Resumed admission";
    if (pauseOnly) return "Changed the pause message";
  }
  return actionLabel(action);
}

/** The entity types the log knows, in the filter's order, with plural labels. */
export const ENTITY_TYPES = [
  { value: "Order", label: "Orders" },
  { value: "Showtime", label: "Showtimes" },
  { value: "Concert", label: "Concerts" },
  { value: "Venue", label: "Venues" },
  { value: "Channel", label: "Channels" },
  { value: "ApiKey", label: "API keys" },
] as const;

/** The dashboard page of an entity, when it has one. */
export function entityHref(entityType: string, entityId: string): string | null {
  const id = encodeURIComponent(entityId);
  switch (entityType) {
    case "Order":
      return `/admin/orders/${id}`;
    case "Showtime":
      return `/admin/showtimes/${id}`;
    case "Channel":
    case "ApiKey":
      return "/admin/channels";
    default:
      return null;
  }
}

/** What the page shows, as its URL says: an entity, words to look for, and a span of days (YYYY-MM-DD, both included). */
export type AuditFilter = { entityType: string; entityId: string; q: string; from: string; to: string };

type Params = Record<string, string | string[] | undefined>;
const firstOf = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";

export function readAuditFilter(params: Params): AuditFilter {
  const entityType = firstOf(params.entityType);
  const entityId = firstOf(params.entityId);
  const okType = /^[A-Za-z]{1,40}$/.test(entityType);
  return {
    entityType: okType ? entityType : "",
    entityId: okType && /^[A-Za-z0-9_-]{1,64}$/.test(entityId) ? entityId : "",
    q: firstOf(params.q).trim().slice(0, 200),
    // Kept as typed (bounded), so a bad date can be named back to the admin.
    from: firstOf(params.from).trim().slice(0, 40),
    to: firstOf(params.to).trim().slice(0, 40),
  };
}

export function auditHref(filter: Partial<AuditFilter>): string {
  const qs = new URLSearchParams();
  if (filter.entityType) qs.set("entityType", filter.entityType);
  if (filter.entityType && filter.entityId) qs.set("entityId", filter.entityId);
  if (filter.q?.trim()) qs.set("q", filter.q.trim());
  if (filter.from) qs.set("from", filter.from);
  if (filter.to) qs.set("to", filter.to);
  const s = qs.toString();
  return s ? `/admin/audit?${s}` : "/admin/audit";
}

/** Words or days set (the entity chosen in the navigation is not a search). */
export const isSearched = (filter: AuditFilter) => Boolean(filter.q || filter.from || filter.to);

/** A calendar day typed as YYYY-MM-DD that exists (no 2026-02-30), as [year, month, day]. */
export function parseDay(text: string): [number, number, number] | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && y >= 2000 && y < 2200
    ? [y, mo, d]
    : null;
}

/** Why the days cannot be used, by field; empty when they can. */
export function auditFilterProblems(filter: AuditFilter): { from?: string; to?: string } {
  const problems: { from?: string; to?: string } = {};
  const notADay = (text: string) => `“${text}” is not a date we can use. Pick a day, e.g. 2026-12-07.`;
  if (filter.from && !parseDay(filter.from)) problems.from = notADay(filter.from);
  if (filter.to && !parseDay(filter.to)) problems.to = notADay(filter.to);
  if (!problems.from && !problems.to && filter.from && filter.to && filter.from > filter.to) {
    problems.from = `The “from” day (${filter.from}) is after the “to” day (${filter.to}).`;
  }
  return problems;
}

/** Local midnight at the start of a day, `after` days later: the log shows local times, so days are local too. */
function localMidnight(day: string, after = 0): Date {
  const [y, m, d] = parseDay(day)!;
  return new Date(y, m - 1, d + after);
}

/** The procedure's input for a valid filter: only what is set, the "to" day included whole. */
export function auditListInput(filter: AuditFilter, limit: number) {
  return {
    limit,
    ...(filter.entityType ? { entityType: filter.entityType } : {}),
    ...(filter.entityType && filter.entityId ? { entityId: filter.entityId } : {}),
    ...(filter.q ? { query: filter.q } : {}),
    ...(filter.from ? { from: localMidnight(filter.from) } : {}),
    ...(filter.to ? { to: localMidnight(filter.to, 1) } : {}),
  };
}
