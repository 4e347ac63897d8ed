// Hostile variants of a valid input, for fast-check: extra keys (mass assignment, prototype keys), wrong
// types, numbers no one should send, oversize and broken text, deep nesting, null/undefined and dates,
// each put at one place in an otherwise valid input, so the check that should refuse it is reached.
import fc from "fast-check";

/** Keys an attacker adds hoping the server copies them into a row. */
export const EXTRA_KEYS = [
  "price",
  "priceMinor",
  "status",
  "balanceMinor",
  "role",
  "userId",
  "ownerId",
  "id",
  "isAdmin",
  "__proto__",
  "constructor",
  "prototype",
];

export const HOSTILE_NUMBERS = [
  -1,
  -0,
  NaN,
  Infinity,
  -Infinity,
  1e308,
  -1e308,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53,
  -(2 ** 53),
  Number.MAX_SAFE_INTEGER,
  1.5,
  0.1,
  5e-324,
  1e21,
];

const BIG = "a".repeat(100_001);
export const HOSTILE_STRINGS = [
  "",
  "   ",
  BIG,
  "\u202Eevil\u202C", // right-to-left override
  "a\u200Bb\u200D\uFEFF", // zero width
  "🎟️👩‍👩‍👧‍👦🏳️‍🌈",
  "a\u0000b", // NUL
  "\uD800", // lone high surrogate
  "x\uDFFFy", // lone low surrogate
  "' OR '1'='1' --",
  "../../etc/passwd",
  "%00%0d%0a",
  "${7*7}{{7*7}}",
  "<script>alert(1)</script>",
  "ADMIN",
  "PAID",
];

/** Bits of text spliced into a valid string (an id, an email, a slug) to break it subtly. */
export const HOSTILE_SPLICES = ["\u0000", "\uD800", "\u202E", "\u200B", "\uFEFF", "🎟️", "\n", "'", "%", "/", " ", "\u0301", "ǅ", "İ"];

/** `[[[…]]]` or `{a:{a:…}}`, `depth` levels down. */
export function nested(depth: number, kind: "array" | "object"): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = kind === "array" ? [v] : { a: v };
  return v;
}

const WRONG_TYPES: unknown[] = [
  true,
  false,
  null,
  undefined,
  {},
  [],
  [1, 2, 3],
  { $gt: "" }, // an operator object, as some ORMs would read it
  { equals: "x" },
  new Date(Number.NaN),
  new Date(8.64e15),
  new Date(-8.64e15),
  10n ** 30n,
  new Map([["a", 1]]),
  new Set([1]),
  nested(2_000, "array"),
  nested(2_000, "object"),
];

/** A hostile value of any kind. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_NUMBERS) },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 3, arbitrary: fc.constantFrom(...WRONG_TYPES) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.date({ noInvalidDate: false }) },
  {
    weight: 1,
    arbitrary: fc.anything({ maxDepth: 3, withBigInt: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true }),
  },
);

export type Path = (string | number)[];

/** Every place in a value: the root, each object key and array slot (dates count as leaves). */
export function placesOf(value: unknown, at: Path = []): { path: Path; value: unknown }[] {
  const here = [{ path: at, value }];
  if (Array.isArray(value)) return here.concat(value.flatMap((v, i) => placesOf(v, [...at, i])));
  if (isPlainObject(value)) return here.concat(Object.entries(value).flatMap(([k, v]) => placesOf(v, [...at, k])));
  return here;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof Map) && !(v instanceof Set);
}

/** A deep copy that keeps dates (structuredClone would also keep them, but not functions; none here). */
function copy<T>(v: T): T {
  if (Array.isArray(v)) return v.map(copy) as T;
  if (v instanceof Date) return new Date(v.getTime()) as T;
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    // defineProperty keeps a "__proto__" key an own property instead of setting the prototype.
    for (const [k, x] of Object.entries(v))
      Object.defineProperty(out, k, { value: copy(x), enumerable: true, writable: true, configurable: true });
    return out as T;
  }
  return v;
}

/** `base` with the value at `path` replaced (the root when `path` is empty). */
export function replaceAt(base: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const out = copy(base);
  let node = out as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  Object.defineProperty(node, path.at(-1)!, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

/** `base` with an own property `key` added to the object at `path` (it replaces a key of that name). */
export function addKeyAt(base: unknown, path: Path, key: string, value: unknown): unknown {
  const out = copy(base);
  let node = out as Record<string | number, unknown>;
  for (const k of path) node = node[k] as Record<string | number, unknown>;
  Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

export function removeAt(base: unknown, path: Path): unknown {
  if (path.length === 0) return undefined;
  const out = copy(base);
  let node = out as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  if (Array.isArray(node)) node.splice(Number(path.at(-1)), 1);
  else delete node[path.at(-1)!];
  return out;
}

/** `unknownKey`: a key the valid input does not have there, which must be refused whatever its value. */
/** `unknownKey` is an extra key the base input did not have, added to the object at `unknownAt`. */
export type Variant = { kind: string; where: string; input: unknown; unknownKey?: string; unknownAt?: Path };

const describePath = (p: Path) => (p.length === 0 ? "(root)" : p.join("."));

/** A short, depth-limited picture of a value (deeply nested ones would overflow JSON.stringify's stack). */
export function preview(v: unknown, depth = 0): string {
  if (depth > 5) return "…";
  if (typeof v === "string") return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…(${v.length})` : v);
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (v instanceof Date) return `Date(${v.getTime()})`;
  if (v instanceof Map) return `Map(${v.size})`;
  if (v instanceof Set) return `Set(${v.size})`;
  if (Array.isArray(v))
    return `[${v
      .slice(0, 5)
      .map((x) => preview(x, depth + 1))
      .join(",")}${v.length > 5 ? ",…" : ""}]`;
  if (typeof v === "object" && v !== null) {
    const entries = Object.entries(v).slice(0, 12);
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${preview(x, depth + 1)}`).join(",")}}`;
  }
  return String(v);
}

/** fast-check prints a failing value; this keeps it short and safe for deeply nested inputs. */
function variant(kind: string, path: Path, input: unknown, unknownKey?: string): Variant {
  const v: Variant = { kind, where: describePath(path), input, ...(unknownKey ? { unknownKey, unknownAt: path } : {}) };
  Object.defineProperty(v, fc.toStringMethod, { value: () => `${kind} at ${v.where}: ${preview(input)}`, enumerable: false });
  return v;
}

/** Hostile variants of `base`, each one change at one place. */
export function variantsOf(base: unknown): fc.Arbitrary<Variant> {
  const places = placesOf(base);
  const objects = places.filter((p) => isPlainObject(p.value));
  const strings = places.filter((p) => typeof p.value === "string");
  const removable = places.filter((p) => p.path.length > 0);
  const arbs: fc.Arbitrary<Variant>[] = [
    fc
      .tuple(fc.constantFrom(...places), hostileValue)
      .map(([place, value]) => variant("replace", place.path, replaceAt(base, place.path, value))),
  ];
  if (objects.length > 0) {
    const extraValue = fc.oneof(hostileValue, fc.constantFrom(0, 1, "ADMIN", "PAID", "SOLD", 99_999_999, { polluted: true }));
    arbs.push(
      fc
        .tuple(fc.constantFrom(...objects), fc.constantFrom(...EXTRA_KEYS), extraValue)
        .map(([place, key, value]) =>
          variant(
            `extra key ${key}`,
            place.path,
            addKeyAt(base, place.path, key, value),
            Object.hasOwn(place.value as object, key) ? undefined : key,
          ),
        ),
    );
  }
  if (strings.length > 0) {
    arbs.push(
      fc
        .tuple(fc.constantFrom(...strings), fc.constantFrom(...HOSTILE_SPLICES), fc.constantFrom("start", "end", "middle"))
        .map(([place, bit, at]) => {
          const s = place.value as string;
          const mid = Math.floor(s.length / 2);
          const spliced = at === "start" ? bit + s : at === "end" ? s + bit : s.slice(0, mid) + bit + s.slice(mid);
          return variant(`splice ${JSON.stringify(bit)}`, place.path, replaceAt(base, place.path, spliced));
        }),
    );
  }
  if (removable.length > 0) {
    arbs.push(fc.constantFrom(...removable).map((place) => variant("remove", place.path, removeAt(base, place.path))));
  }
  return fc.oneof(...arbs);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether a value holds text PostgreSQL cannot store (NUL) or that is not well-formed UTF-16. */
export function hasBrokenText(value: unknown): boolean {
  const stack: unknown[] = [value];
  let seen = 0;
  while (stack.length > 0 && seen++ < 100_000) {
    const v = stack.pop();
    if (typeof v === "string") {
      if (v.includes("\u0000") || LONE_SURROGATE.test(v)) return true;
    } else if (Array.isArray(v)) stack.push(...v);
    else if (isPlainObject(v)) for (const [k, x] of Object.entries(v)) stack.push(k, x);
  }
  return false;
}
