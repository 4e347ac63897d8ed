// Where the map painter's bundle is served (scripts/seat-paint.ts writes it and its manifest before a
// build); null when it was not built, and the page then simply draws the map once React runs.
import "server-only";
import fs from "node:fs";
import path from "node:path";

let cached: string | null | undefined;

export function seatPaintSrc(): string | null {
  if (cached !== undefined && process.env.NODE_ENV === "production") return cached;
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(process.cwd(), "public", "_paint", "manifest.json"), "utf8")) as { src?: unknown };
    cached = typeof manifest.src === "string" ? manifest.src : null;
  } catch {
    cached = null;
  }
  return cached;
}
