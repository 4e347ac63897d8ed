// Per-request facts shared by every route handler: the request id, the client's address, and the
// rate-limit headers of the answer.
import { AppError } from "../domain/errors.ts";
import type { RateState } from "../domain/rate-limit/rate-limit.ts";
export function requestIdOf(headers: Headers): string {
  const given = headers.get("x-request-id");
  // Accept a caller's id only if it looks like one, so logs cannot be injected through it.
  return given && /^[A-Za-z0-9-]{8,64}$/.test(given) ? given : crypto.randomUUID();
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
