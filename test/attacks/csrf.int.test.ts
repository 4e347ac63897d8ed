// Attack: cross-site request forgery against the HTTP adapters. A state-changing tRPC or REST request
// that carries the session cookie but comes from another site or origin (Origin, Sec-Fetch-Site) is
// refused with 403 FORBIDDEN before anything runs; the same request from our own pages, a read, or an API
// client without the cookie (Bearer token) goes through. The browser-level version (a real page on
// another origin) is e2e/security-auth.spec.ts.
import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { handleTrpcRequest } from "../../server/api/http.ts";
import { handleRestRequest, type RestError } from "../../server/api/rest/handler.ts";
import type { SessionUser } from "../../server/domain/auth/users.ts";
import { prisma } from "../../server/db.ts";
import { makeFans, uniq } from "../support/factories.ts";

const COOKIE = "next-auth.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0.x.y.z.w; theme=dark";
const APP = "http://shop.onsale.test";

async function victim(): Promise<SessionUser> {
  const [id] = await makeFans(1);
  return { id: id!, email: `${id}@example.test`, name: "Victim", role: "USER" };
}

const topUp = () => ({ currency: "KRW", amountMinor: 5_000, idempotencyKey: uniq("csrf") });

async function trpcTopUp(user: SessionUser, headers: Record<string, string>, batch = false) {
  const path = batch ? "wallet.topUp,wallet.topUp?batch=1" : "wallet.topUp";
  const body = batch ? { 0: superjson.serialize(topUp()), 1: superjson.serialize(topUp()) } : superjson.serialize(topUp());
  const res = await handleTrpcRequest(
    new Request(`${APP}/api/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", host: "shop.onsale.test", ...headers },
      body: JSON.stringify(body),
    }),
    async () => user,
  );
  const json = (await res.json()) as unknown;
  const errors = (Array.isArray(json) ? json : [json]) as { error?: Parameters<typeof superjson.deserialize>[0] }[];
  const codes = errors.map((e) =>
    e.error ? (superjson.deserialize(e.error) as { data: { appCode: string; details?: { reason?: string } } }).data : null,
  );
  return { status: res.status, codes };
}

async function restTopUp(user: SessionUser, headers: Record<string, string>, contentType = "application/json") {
  const res = await handleRestRequest(
    new Request(`${APP}/api/v1/wallet/top-ups`, {
      method: "POST",
      headers: { "content-type": contentType, host: "shop.onsale.test", ...headers },
      body: JSON.stringify(topUp()),
    }),
    async () => user,
  );
  const body = (await res.json()) as Partial<RestError>;
  return { status: res.status, code: body.error?.code, reason: body.error?.details?.reason, text: JSON.stringify(body) };
}

const credits = (userId: string) => prisma().ledgerEntry.count({ where: { userId } });

describe("CSRF: cookie-authenticated state changes from another site", () => {
  const crossSite: [string, Record<string, string>][] = [
    ["a foreign Origin", { cookie: COOKIE, origin: "http://evil.example" }],
    ["Sec-Fetch-Site: cross-site", { cookie: COOKIE, "sec-fetch-site": "cross-site" }],
    ["a sibling subdomain (same-site, cross-origin)", { cookie: COOKIE, origin: "http://evil.onsale.test", "sec-fetch-site": "same-site" }],
    ["an opaque origin (sandboxed frame, data: URL)", { cookie: COOKIE, origin: "null" }],
    ["our Origin but a cross-site fetch", { cookie: COOKIE, origin: APP, "sec-fetch-site": "cross-site" }],
    [
      "the secure, chunked cookie name",
      { cookie: "__Secure-next-auth.session-token.0=abc; __Secure-next-auth.session-token.1=def", origin: "https://evil.example" },
    ],
  ];

  it("refuses them with 403 FORBIDDEN on tRPC (every call of a batch) and REST, and credits nothing", async () => {
    const fan = await victim();
    for (const [name, headers] of crossSite) {
      const one = await trpcTopUp(fan, headers);
      expect(one, `tRPC, ${name}`).toEqual({
        status: 403,
        codes: [expect.objectContaining({ appCode: "FORBIDDEN", details: expect.objectContaining({ reason: "cross-site" }) })],
      });
      const batch = await trpcTopUp(fan, headers, true);
      expect(batch.status, `tRPC batch, ${name}`).toBe(403);
      expect(batch.codes.map((c) => c?.appCode)).toEqual(["FORBIDDEN", "FORBIDDEN"]);
      const viaRest = await restTopUp(fan, headers);
      expect(viaRest, `REST, ${name}`).toMatchObject({ status: 403, code: "FORBIDDEN", reason: "cross-site" });
      // The text/plain body a cross-site form or no-cors fetch can send: REST would parse it as JSON.
      expect(await restTopUp(fan, headers, "text/plain"), `REST text/plain, ${name}`).toMatchObject({ status: 403, code: "FORBIDDEN" });
      expect(viaRest.text).not.toMatch(/at .*\.ts|stack/i);
    }
    expect(await credits(fan.id)).toBe(0);
  });

  it("lets the same top-up through from our own pages, from non-browser clients, and for Bearer calls without the cookie", async () => {
    const fan = await victim();
    const allowed: [string, Record<string, string>][] = [
      ["same origin", { cookie: COOKIE, origin: APP, "sec-fetch-site": "same-origin" }],
      [
        "our origin behind a proxy",
        { cookie: COOKIE, origin: "https://tickets.example", "x-forwarded-host": "tickets.example", "sec-fetch-site": "same-origin" },
      ],
      ["a non-browser client (neither header)", { cookie: COOKIE }],
      [
        "a Bearer call from a foreign page (no cookie)",
        { authorization: "Bearer whatever", origin: "http://evil.example", "sec-fetch-site": "cross-site" },
      ],
    ];
    for (const [name, headers] of allowed) {
      expect((await trpcTopUp(fan, headers)).status, `tRPC, ${name}`).toBe(200);
      expect((await restTopUp(fan, headers)).status, `REST, ${name}`).toBe(201);
    }
    expect(await credits(fan.id)).toBe(allowed.length * 2);
  });

  it("leaves reads alone: a cross-site GET is answered (the browser keeps the answer from the other site)", async () => {
    const fan = await victim();
    const res = await handleRestRequest(
      new Request(`${APP}/api/v1/wallet`, { headers: { cookie: COOKIE, origin: "http://evil.example", "sec-fetch-site": "cross-site" } }),
      async () => fan,
    );
    expect(res.status).toBe(200);
  });
});
