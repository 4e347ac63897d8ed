import { describe, expect, it } from "vitest";
import { HSTS_MAX_AGE, isApiPath, newNonce, securityHeaders } from "./security-headers";

/** "script-src 'self' 'nonce-x'" → { "script-src": ["'self'", "'nonce-x'"] } */
function directives(csp: string): Record<string, string[]> {
  return Object.fromEntries(
    csp.split(";").map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name!, values];
    }),
  );
}

describe("securityHeaders", () => {
  const nonce = "bm9uY2Utb2YtdGhlLXRlc3Q=";

  it("lets a page run only scripts with its nonce, and shuts the rest", () => {
    const csp = directives(securityHeaders({ production: true, dev: false, nonce })["Content-Security-Policy"]!);
    expect(csp["script-src"]).toEqual(["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"]);
    expect(csp["script-src"]).not.toContain("'unsafe-inline'");
    expect(csp["script-src"]).not.toContain("'unsafe-eval'");
    expect(csp["style-src"]).toEqual(["'self'", `'nonce-${nonce}'`]);
    expect(csp["default-src"]).toEqual(["'self'"]);
    expect(csp["connect-src"]).toEqual(["'self'"]);
    expect(csp["object-src"]).toEqual(["'none'"]);
    expect(csp["base-uri"]).toEqual(["'self'"]);
    expect(csp["form-action"]).toEqual(["'self'"]);
    expect(csp["frame-ancestors"]).toEqual(["'none'"]);
    expect(csp).not.toHaveProperty("upgrade-insecure-requests");
  });

  it("upgrades insecure requests only when the page came over HTTPS", () => {
    const csp = directives(securityHeaders({ production: true, dev: false, https: true, nonce })["Content-Security-Policy"]!);
    expect(csp).toHaveProperty("upgrade-insecure-requests");
  });

  it("keeps next dev working: eval for React refresh, styles without a nonce", () => {
    const headers = securityHeaders({ production: false, dev: true, nonce });
    const csp = directives(headers["Content-Security-Policy"]!);
    expect(csp["script-src"]).toEqual(["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", "'unsafe-eval'"]);
    expect(csp["style-src"]).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp["frame-ancestors"]).toEqual(["'none'"]);
  });

  it("sends HSTS for a year or more, subdomains included, in production only", () => {
    const hsts = securityHeaders({ production: true, dev: false, nonce })["Strict-Transport-Security"];
    expect(hsts).toBe(`max-age=${HSTS_MAX_AGE}; includeSubDomains`);
    expect(HSTS_MAX_AGE).toBeGreaterThanOrEqual(365 * 24 * 3600);
    expect(securityHeaders({ production: false, dev: true, nonce })).not.toHaveProperty("Strict-Transport-Security");
    expect(securityHeaders({ production: false, dev: false })).not.toHaveProperty("Strict-Transport-Security");
  });

  it("gives API answers a policy that allows nothing", () => {
    const headers = securityHeaders({ production: true, dev: false });
    const csp = directives(headers["Content-Security-Policy"]!);
    expect(csp["default-src"]).toEqual(["'none'"]);
    expect(csp["frame-ancestors"]).toEqual(["'none'"]);
    expect(headers["Content-Security-Policy"]).not.toContain("nonce");
  });

  it("always sends the rest of the set", () => {
    for (const options of [
      { production: true, dev: false, nonce },
      { production: false, dev: true },
    ]) {
      expect(securityHeaders(options)).toMatchObject({
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Permissions-Policy": expect.stringMatching(/camera=\(\).*microphone=\(\).*geolocation=\(\)/),
      });
    }
  });
});

describe("newNonce", () => {
  it("is 128 random bits in base64, new every time", () => {
    const nonces = new Set(Array.from({ length: 1000 }, newNonce));
    expect(nonces.size).toBe(1000);
    for (const n of nonces) expect(Buffer.from(n, "base64")).toHaveLength(16);
  });
});

describe("isApiPath", () => {
  it("tells JSON endpoints from pages", () => {
    for (const path of [
      "/api/trpc/catalog.list",
      "/api/v1/concerts",
      "/api/health",
      "/api/v1/openapi.json",
      "/v1/channel/price/ticket/1",
    ]) {
      expect(isApiPath(path), path).toBe(true);
    }
    for (const path of ["/", "/api-docs", "/api/auth/signout", "/api/auth/error", "/showtimes/abc", "/v1x", "/apiary"]) {
      expect(isApiPath(path), path).toBe(false);
    }
  });
});
