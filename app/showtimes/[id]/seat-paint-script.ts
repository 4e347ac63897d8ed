// The map painter's code (scripts/seat-paint.ts bundles it before a build), for the page to inline; null
// when it was not built, and the page then simply draws the map once React runs.
import "server-only";
import fs from "node:fs";
import path from "node:path";

let cached: string | null | undefined;

export function seatPaintScript(): string | null {
  if (cached !== undefined && process.env.NODE_ENV === "production") return cached;
  try {
    cached = fs.readFileSync(path.join(process.cwd(), "server", "generated", "seat-paint.js"), "utf8");
  } catch {
    cached = null;
  }
  return cached;
}
