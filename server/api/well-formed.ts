// Input no procedure should ever see, refused at the edge so no field can forget it: text no column can
// hold (PostgreSQL refuses NUL, and a lone UTF-16 surrogate is not text at all: the driver would quietly
// store U+FFFD), and a "__proto__" key, which some parsers (zod's records among them) turn into a
// prototype instead of a key, so it would be dropped or, worse, inherited from.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Inputs past this many values are left to the schemas (which refuse anything that large). */
const MAX_VISITED = 1_000_000;

const broken = (s: string) => s.includes("\u0000") || LONE_SURROGATE.test(s);

/**
 * Why a parsed input must be refused before parsing, or null. Walks with its own stack, so deeply
 * nested input cannot overflow it.
 */
export function malformedInput(input: unknown): string | null {
  const stack: unknown[] = [input];
  for (let visited = 0; stack.length > 0 && visited < MAX_VISITED; visited++) {
    const value = stack.pop();
    if (typeof value === "string") {
      if (broken(value)) return "Text may not contain NUL characters or broken Unicode.";
    } else if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
    } else if (value instanceof Map) {
      for (const [k, v] of value) stack.push(k, v);
    } else if (value instanceof Set) {
      for (const v of value) stack.push(v);
    } else if (typeof value === "object" && value !== null && !(value instanceof Date)) {
      if (Object.hasOwn(value, "__proto__")) return "No field may be named __proto__.";
      for (const [k, v] of Object.entries(value)) {
        if (broken(k)) return "Text may not contain NUL characters or broken Unicode.";
        stack.push(v);
      }
    }
  }
  return null;
}
