// tRPC's transformer: superjson (Dates and the like survive the trip), except for values an adapter marks as
// plain JSON. superjson walks every value it serializes to find the types JSON lacks; the whole seat map's
// 15,600 seat tuples are numbers and strings only, and that walk was 60% of a read over tRPC's HTTP path.
import superjson from "superjson";

const plain = new WeakSet<object>();

/** Marks `value` (numbers, strings, booleans, null, arrays and objects of them only) to skip superjson's walk. */
export function plainJson<T extends object>(value: T): T {
  plain.add(value);
  return value;
}

/**
 * superjson's wire format: the top-level object's plain-JSON fields go out as they are, beside what superjson
 * made of the rest (its `meta` names paths in the rest only), so superjson's own `deserialize` reads it back.
 */
export const transformer = {
  serialize(value: unknown): ReturnType<typeof superjson.serialize> {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return superjson.serialize(value);
    const marked = Object.entries(value).filter(([, v]) => typeof v === "object" && v !== null && plain.has(v));
    if (marked.length === 0) return superjson.serialize(value);
    const rest: Record<string, unknown> = { ...value };
    for (const [k] of marked) delete rest[k];
    const out = superjson.serialize(rest);
    const json = out.json as Record<string, unknown>;
    for (const [k, v] of marked) json[k] = v;
    return out;
  },
  deserialize: superjson.deserialize,
};
