// Runs before every route: gives the request an id (kept from the caller when well-formed) that logs and
// error bodies carry, and puts the security headers on the answer. A page's CSP carries a fresh nonce, which
// Next.js reads from the request's CSP header and puts on its own scripts (so pages render per request).
import { NextResponse, type NextRequest } from "next/server";
import { requestIdOf } from "./server/api/request";
import { isApiPath, newNonce, securityHeaders } from "./server/security-headers";

const production = process.env.NODE_ENV === "production";
const dev = process.env.NODE_ENV === "development";

export function proxy(request: NextRequest) {
  const requestId = requestIdOf(request.headers);
  const https = request.nextUrl.protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
  const nonce = isApiPath(request.nextUrl.pathname) ? undefined : newNonce();
  const security = securityHeaders({ production, dev, https, nonce });

  const headers = new Headers(request.headers);
  headers.set("x-request-id", requestId);
  if (nonce) {
    headers.set("x-nonce", nonce);
    headers.set("content-security-policy", security["Content-Security-Policy"]!);
  }
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("x-request-id", requestId);
  for (const [name, value] of Object.entries(security)) response.headers.set(name, value);
  return response;
}

export const config = {
  // Everything but Next's own files (static chunks, images, dev's hot reload); next.config.mjs gives those nosniff.
  matcher: ["/((?!_next/).*)"],
};
