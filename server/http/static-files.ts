// Next's build output under /_next/static/ (scripts, styles, fonts): files named by their content's hash,
// so each is compressed once per process, kept in memory and answered from there with a year-long
// immutable cache. Next's own static handler gzips every answer again, which in a surge of first visits
// costs the web tier more than the pages (about 450 KB of scripts per fan).
import fs from "node:fs/promises";
import type http from "node:http";
import path from "node:path";
import { promisify } from "node:util";
import zlib from "node:zlib";

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

export const STATIC_PREFIX = "/_next/static/";

const TYPES: Record<string, string> = {
  ".js": "application/javascript; charset=UTF-8",
  ".css": "text/css; charset=UTF-8",
  ".json": "application/json; charset=UTF-8",
  ".map": "application/json; charset=UTF-8",
  ".svg": "image/svg+xml",
  ".txt": "text/plain; charset=UTF-8",
  ".woff2": "font/woff2",
  ".png": "image/png",
};
/** Already compressed formats go out as they are. */
const COMPRESSIBLE = new Set([".js", ".css", ".json", ".map", ".svg", ".txt"]);

type Encoded = { identity: Buffer; br?: Buffer; gzip?: Buffer; type: string };

/**
 * A handler for GET and HEAD under /_next/static/: true when it answered; false (the file is not there, or
 * another method) leaves the request to Next, which answers it as it always has.
 */
export function staticFiles(root: string): (req: http.IncomingMessage, res: http.ServerResponse, pathname: string) => Promise<boolean> {
  const files = new Map<string, Promise<Encoded | null>>();
  const load = async (file: string): Promise<Encoded | null> => {
    const ext = path.extname(file);
    const type = TYPES[ext];
    if (!type) return null;
    const identity = await fs.readFile(file).catch(() => null);
    if (!identity) return null;
    if (!COMPRESSIBLE.has(ext) || identity.byteLength < 1024) return { identity, type };
    // Brotli's quality 5 is a tenth of quality 11's time for 10% more bytes; zlib runs on the thread pool.
    const [br, gz] = await Promise.all([
      brotli(identity, {
        params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: identity.byteLength },
      }),
      gzip(identity, { level: 9 }),
    ]);
    return { identity, br, gzip: gz, type };
  };

  return async (req, res, pathname) => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    let relative: string;
    try {
      relative = decodeURIComponent(pathname.slice(STATIC_PREFIX.length));
    } catch {
      return false;
    }
    const file = path.join(root, relative);
    if (!file.startsWith(root + path.sep)) return false;
    let entry = files.get(file);
    if (!entry) {
      entry = load(file);
      files.set(file, entry);
      // Not there (yet): ask again next time rather than remember the miss.
      void entry.then((found) => found ?? files.delete(file));
    }
    const found = await entry;
    if (!found) return false;
    const accepts = String(req.headers["accept-encoding"] ?? "");
    const [body, encoding] =
      found.br && /\bbr\b/.test(accepts)
        ? [found.br, "br"]
        : found.gzip && /\bgzip\b/.test(accepts)
          ? [found.gzip, "gzip"]
          : [found.identity, undefined];
    res.statusCode = 200;
    res.setHeader("content-type", found.type);
    res.setHeader("cache-control", "public, max-age=31536000, immutable");
    res.setHeader("x-content-type-options", "nosniff");
    res.setHeader("content-length", body.byteLength);
    if (found.br || found.gzip) res.setHeader("vary", "Accept-Encoding");
    if (encoding) res.setHeader("content-encoding", encoding);
    res.end(req.method === "HEAD" ? undefined : body);
    return true;
  };
}
