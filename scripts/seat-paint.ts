// Bundles the showtime page's map painter (app/showtimes/[id]/seat-paint.ts), a script that must run before
// React, so it is not one of Next's chunks: the page inlines it (seat-paint-script.ts), where it runs as soon
// as the parser reaches it, with no request of its own. Written to server/generated/seat-paint.js only when
// its content changes, so a build that changed nothing leaves `.next` fresh. `tsx scripts/seat-paint.ts`
// builds it alone.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { repoRoot } from "./proc.ts";

const entry = path.join(repoRoot, "app", "showtimes", "[id]", "seat-paint.ts");
export const seatPaintFile = path.join(repoRoot, "server", "generated", "seat-paint.js");

/** Builds the painter; returns its size in bytes. */
export async function buildSeatPaint(): Promise<number> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: "iife",
    target: "es2022",
    platform: "browser",
    tsconfig: path.join(repoRoot, "tsconfig.json"),
    write: false,
    legalComments: "none",
    // Inlined in HTML: no "</script" may appear in it.
    supported: { "inline-script": false },
  });
  const code = result.outputFiles[0]!.text;
  fs.mkdirSync(path.dirname(seatPaintFile), { recursive: true });
  if (!fs.existsSync(seatPaintFile) || fs.readFileSync(seatPaintFile, "utf8") !== code) fs.writeFileSync(seatPaintFile, code);
  return Buffer.byteLength(code);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const bytes = await buildSeatPaint();
  console.log(`Built ${path.relative(repoRoot, seatPaintFile)} (${bytes} bytes)`);
}
