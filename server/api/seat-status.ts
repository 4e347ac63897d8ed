// GET /api/seat-status/{showtimeId}: every seat's status at a seat version (showtimes.seatStatus, with its
// rate limit and errors), as plain JSON the page can preload with its HTML. Each version's body is encoded
// and gzipped once per process, however many fans read it; a new change makes a new version.
import { promisify } from "node:util";
import zlib from "node:zlib";
import type { SessionUser } from "../domain/auth/users.ts";
import type { SeatStatusVector } from "../domain/seatmap/status.ts";
import { clientIpOf, rateLimitHeaders, requestIdOf } from "./request.ts";
import { errorResponse, restErrorOf } from "./rest/handler.ts";
import { createCaller } from "./root.ts";
import { createContext } from "./trpc.ts";

const gzip = promisify(zlib.gzip);

type Body = { json: Uint8Array; gzip: () => Promise<Uint8Array> };
/** Keyed by the vector itself: the status copy hands out one object per version (status.ts). */
const bodies = new WeakMap<SeatStatusVector, Body>();

function bodyOf(vector: SeatStatusVector): Body {
  let body = bodies.get(vector);
  if (!body) {
    const json = Buffer.from(JSON.stringify(vector));
    let zipped: Promise<Uint8Array> | undefined;
    body = { json, gzip: () => (zipped ??= gzip(json)) };
    bodies.set(vector, body);
  }
  return body;
}

export async function handleSeatStatus(req: Request, showtimeId: string, getUser: () => Promise<SessionUser | null>): Promise<Response> {
  const requestId = requestIdOf(req.headers);
  const ctx = createContext({ user: await getUser(), requestId, ip: clientIpOf(req.headers) });
  let vector: SeatStatusVector;
  try {
    vector = await createCaller(ctx).showtimes.seatStatus({ showtimeId });
  } catch (err) {
    const appError = restErrorOf(err, requestId);
    // The id is the path: one that cannot be a showtime's names no showtime, as with the layout.
    if (appError.code === "VALIDATION_FAILED") return errorResponse("NOT_FOUND", "We couldn't find that showtime.", undefined, requestId);
    return errorResponse(appError.code, appError.message, appError.details, requestId, rateLimitHeaders(ctx.rate.state, [appError]));
  }
  const body = bodyOf(vector);
  const zipped = /\bgzip\b/.test(req.headers.get("accept-encoding") ?? "");
  const bytes = zipped ? await body.gzip() : body.json;
  // Never from a cache: the next read must see the changes since (a preload is used once, by the page's read).
  const headers = rateLimitHeaders(ctx.rate.state);
  headers.set("x-request-id", requestId);
  headers.set("cache-control", "no-store");
  headers.set("content-type", "application/json");
  headers.set("content-length", String(bytes.byteLength));
  headers.set("vary", "Accept-Encoding");
  if (zipped) headers.set("content-encoding", "gzip");
  return new Response(new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength), { status: 200, headers });
}
