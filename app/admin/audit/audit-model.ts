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
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) flatten(item, prefix ? `${prefix}.${key}` : key, depth + 1, out);
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
    const changed = new Set(diffSnapshots(before, after).filter((r) => r.change !== "same").map((r) => r.path));
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

export type AuditFilter = { entityType: string; entityId: string };

type Params = Record<string, string | string[] | undefined>;
const firstOf = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";

export function readAuditFilter(params: Params): AuditFilter {
  const entityType = firstOf(params.entityType);
  const entityId = firstOf(params.entityId);
  const okType = /^[A-Za-z]{1,40}$/.test(entityType);
  return { entityType: okType ? entityType : "", entityId: okType && /^[A-Za-z0-9_-]{1,64}$/.test(entityId) ? entityId : "" };
}

export function auditHref(filter: AuditFilter): string {
  const qs = new URLSearchParams();
  if (filter.entityType) qs.set("entityType", filter.entityType);
  if (filter.entityType && filter.entityId) qs.set("entityId", filter.entityId);
  const s = qs.toString();
  return s ? `/admin/audit?${s}` : "/admin/audit";
}
