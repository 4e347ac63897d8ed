// The security headers of every answer (set in proxy.ts): a nonce-based Content-Security-Policy for pages,
// a deny-everything one for API answers, and the rest of the usual set. Pure, so unit tests can check every case.

export type SecurityHeaderOptions = {
  /** NODE_ENV=production (`next start`): HSTS on. */
  production: boolean;
  /** `next dev`: React refresh needs eval, and dev styles are injected without a nonce. */
  dev: boolean;
  /** The request came over HTTPS (directly or through a proxy that says so): insecure subresources are upgraded. */
  https?: boolean;
  /** A page (or anything that may render HTML): its CSP allows scripts carrying this nonce. Without it, the API policy. */
  nonce?: string;
};

/** Two years, the usual value for HSTS (the preload list asks for at least one). */
export const HSTS_MAX_AGE = 63_072_000;

/** A fresh nonce: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/**
 * The page policy. Scripts run only with this request's nonce; 'strict-dynamic' lets them load the chunks
 * they need (Next's runtime adds them), and 'self' is only the fallback of browsers without it. Styles:
 * `<style>` needs the nonce too, but `style=""` attributes stay allowed (React renders many on the server,
 * and they cannot run code). Everything is fetched from this origin only: the live streams (SSE), the
 * tRPC calls and images; `data:`/`blob:` images for Next's image placeholders.
 */
function pagePolicy({ dev, https, nonce }: SecurityHeaderOptions & { nonce: string }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // In dev, Next injects its styles from script without a nonce; a nonce would switch 'unsafe-inline' off.
    dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** JSON answers load nothing, are framed by no one and have no forms. */
const API_POLICY = "default-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function contentSecurityPolicy(options: SecurityHeaderOptions): string {
  return options.nonce ? pagePolicy({ ...options, nonce: options.nonce }) : API_POLICY;
}

export function securityHeaders(options: SecurityHeaderOptions): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(options),
    // Browsers ignore HSTS over plain HTTP, so `next start` on http://localhost is unharmed; dev never sends it.
    ...(options.production ? { "Strict-Transport-Security": `max-age=${HSTS_MAX_AGE}; includeSubDomains` } : {}),
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Content-Type-Options": "nosniff",
    // frame-ancestors 'none' for browsers too old for CSP.
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
  };
}

/**
 * Which answers are API answers (JSON for programs) rather than pages: /api/* and the partner API /v1/*,
 * except next-auth's /api/auth, whose sign-out and error pages are HTML.
 */
export function isApiPath(pathname: string): boolean {
  return /^\/(?:api\/(?!auth(?:\/|$))|api$|v1(?:\/|$))/.test(pathname);
}
