// GET /api/seat-layout/{showtimeId}: a showtime's seat layout (server/domain/seatmap/layout.ts) as stored:
// compressed ahead of time, with a strong ETag, and 304 Not Modified to a client that has it already.
// Browsers revalidate on every read (Cache-Control: no-cache), so an edited layout is seen at once.
import { toAppError } from "./errors.ts";
import { servedSeatLayout } from "../domain/seatmap/layout.ts";
import { requestIdOf } from "./request.ts";
import { errorResponse } from "./rest/handler.ts";

/** If-None-Match names this ETag (or any): weak comparison, as RFC 9110 asks for this header. */
function hasIt(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(",").some((tag) => {
    const t = tag.trim();
    return t === "*" || t.replace(/^W\//, "") === etag;
  });
}

export async function handleSeatLayout(req: Request, showtimeId: string): Promise<Response> {
  const requestId = requestIdOf(req.headers);
  let served;
  try {
    served = await servedSeatLayout(showtimeId);
  } catch (err) {
    const appError = toAppError(err);
    if (!appError) throw err;
    // A malformed id names no showtime either.
    if (appError.code === "VALIDATION_FAILED" || appError.code === "NOT_FOUND") {
      return errorResponse("NOT_FOUND", "We couldn't find that showtime.", undefined, requestId);
    }
    return errorResponse(appError.code, appError.message, appError.details, requestId);
  }
  const accepts = req.headers.get("accept-encoding") ?? "";
  const [body, encoding] = /\bbr\b/.test(accepts)
    ? [served.br, "br"]
    : /\bgzip\b/.test(accepts)
      ? [served.gzip, "gzip"]
      : [served.json, undefined];
  // A strong ETag names exact bytes, so each coding has its own (RFC 9110, 8.8.3).
  const etag = encoding ? `${served.etag.slice(0, -1)}-${encoding}"` : served.etag;
  const headers = new Headers({ etag, "cache-control": "public, no-cache", vary: "Accept-Encoding" });
  if (hasIt(req.headers.get("if-none-match"), etag)) return new Response(null, { status: 304, headers });
  headers.set("content-type", "application/json");
  headers.set("content-length", String(body.byteLength));
  if (encoding) headers.set("content-encoding", encoding);
  return new Response(new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength), { status: 200, headers });
}
