// Per-request facts shared by every route handler: the request id, the client's address, and the
// rate-limit headers of the answer.
import { AppError } from "../domain/errors.ts";
import type { RateState } from "../domain/rate-limit/rate-limit.ts";
export function requestIdOf(headers: Headers): string {
  return requestIdFrom(headers.get("x-request-id"));
}

/** The caller's request id if it looks like one (so logs cannot be injected through it), else a new one. */
export function requestIdFrom(given: string | null | undefined): string {
  return given && /^[A-Za-z0-9-]{8,64}$/.test(given) ? given : crypto.randomUUID();
}

const SESSION_COOKIE = /(?:^|;)\s*(?:__Secure-|__Host-)?next-auth\.session-token(?:\.\d+)?=/;
const READ_ONLY = new Set(["GET", "HEAD", "OPTIONS"]);

/** The host a request was addressed to (behind a proxy, the one the browser used). */
function requestHost(req: Request): string {
  return req.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || req.headers.get("host") || new URL(req.url).host;
}

function hostOf(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url).host : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CSRF: a request that would change something on the strength of the session cookie must come from our
 * own pages. Browsers say where a request comes from (Sec-Fetch-Site, Origin) and a page cannot forge
 * either, so a cross-site or foreign-origin one is refused (FORBIDDEN) before anything runs. SameSite=Lax
 * already keeps the cookie off most cross-site POSTs; this also covers sibling subdomains (same-site but
 * cross-origin) and browsers that ignore SameSite. Calls without the cookie (Bearer tokens, partner keys)
 * have no ambient authority to abuse and pass, as do non-browser clients that send neither header.
 */
export function crossSiteRefusal(req: Request): AppError | null {
  if (READ_ONLY.has(req.method.toUpperCase())) return null;
  if (!SESSION_COOKIE.test(req.headers.get("cookie") ?? "")) return null;
  const site = req.headers.get("sec-fetch-site");
  const origin = req.headers.get("origin");
  const ours = new Set([requestHost(req), hostOf(process.env.NEXTAUTH_URL)].filter(Boolean));
  const crossSite =
    (site !== null && site !== "same-origin" && site !== "none") || (origin !== null && !ours.has(hostOf(origin) ?? "null"));
  if (!crossSite) return null;
  return new AppError("FORBIDDEN", "This request came from another site, so it was refused. Please use Onsale's own pages.", {
    reason: "cross-site",
    ...(origin !== null ? { origin } : {}),
    ...(site !== null ? { secFetchSite: site } : {}),
  });
}

export function clientIpOf(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers.get("x-real-ip") || "unknown";
}

/**
 * X-RateLimit-* for the call's rate-limit state (or, when it was refused, the refusal's), plus
 * Retry-After on a refusal.
 */
export function rateLimitHeaders(state: RateState | undefined, causes: unknown[] = []): Headers {
  const headers = new Headers();
  const refused = causes.find((c): c is AppError => c instanceof AppError && c.code === "RATE_LIMITED");
  const s = refused ? (refused.details as RateState & { retryAfterSeconds: number }) : state;
  if (!s) return headers;
  headers.set("X-RateLimit-Limit", String(s.limit));
  headers.set("X-RateLimit-Remaining", String(s.remaining));
  headers.set("X-RateLimit-Reset", String(Math.ceil(s.resetAt / 1000)));
  if (refused) headers.set("Retry-After", String((refused.details as { retryAfterSeconds: number }).retryAfterSeconds));
  return headers;
}

/**
 * A JSON answer with its Content-Length, so Next's compression (the `compression` middleware, 1 KB
 * threshold) skips the small ones, whose gzip costs CPU and saves nothing; larger ones are still compressed.
 */
export function jsonResponse(status: number, body: unknown, headers = new Headers()): Response {
  const bytes = new TextEncoder().encode(JSON.stringify(body));
  headers.set("content-type", "application/json");
  headers.set("content-length", String(bytes.byteLength));
  return new Response(bytes, { status, headers });
}
