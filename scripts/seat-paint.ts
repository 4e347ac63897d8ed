// Bundles the showtime page's map painter (app/showtimes/[id]/seat-paint.ts), a script that must run before
// React, so it is not one of Next's chunks: public/_paint/seat-paint.<content hash>.js, named in
// public/_paint/manifest.json, which the page reads. Files are written only when their content changes, so
// a build that changed nothing leaves `.next` fresh. `tsx scripts/seat-paint.ts` builds it alone.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { repoRoot } from "./proc.ts";

const entry = path.join(repoRoot, "app", "showtimes", "[id]", "seat-paint.ts");
export const paintDir = path.join(repoRoot, "public", "_paint");
export const paintManifest = path.join(paintDir, "manifest.json");

function writeIfChanged(file: string, content: string): void {
  if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === content) return;
  fs.writeFileSync(file, content);
}

/** Builds the painter; returns its public path. */
export async function buildSeatPaint(): Promise<string> {
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
  });
  const code = result.outputFiles[0]!.text;
  const name = `seat-paint.${createHash("sha256").update(code).digest("hex").slice(0, 12)}.js`;
  fs.mkdirSync(paintDir, { recursive: true });
  for (const old of fs.readdirSync(paintDir)) if (old.startsWith("seat-paint.") && old !== name) fs.rmSync(path.join(paintDir, old));
  writeIfChanged(path.join(paintDir, name), code);
  const src = `/_paint/${name}`;
  writeIfChanged(paintManifest, `${JSON.stringify({ src, bytes: Buffer.byteLength(code) })}\n`);
  return src;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const src = await buildSeatPaint();
  console.log(`Built ${src}`);
}
