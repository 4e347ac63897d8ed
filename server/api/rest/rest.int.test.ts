// The REST API as a client sees it: a full purchase over REST only, the one error format, the verbs and
// statuses, rate-limit headers, and a valid OpenAPI document that covers every route.
import SwaggerParser from "@apidevtools/swagger-parser";
import { describe, expect, it } from "vitest";
import { prisma } from "../../db.ts";
import { updateSettings } from "../../domain/waiting-room/settings.ts";
import { redis } from "../../redis.ts";
import { makeConcert, makeUser, uniq } from "../../../test/support/factories.ts";
import { sessionUserOf } from "../../session.ts";
import { handleRestRequest, type RestError } from "./handler.ts";
import { buildOpenApiDocument } from "./openapi.ts";
import { REST_ROUTES } from "./routes.ts";
import { handleTokenRequest } from "./token.ts";

const BASE = "http://localhost/api/v1";

/** A REST client: JSON in and out, the bearer token and access token when given. */
function client(token?: string, ip = `203.0.113.${Math.floor(Math.random() * 250) + 1}`) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const req = new Request(`${BASE}${path}`, {
      method,
      headers: {
        "x-forwarded-for": ip,
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const res = await handleRestRequest(req, () => sessionUserOf(req));
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as Record<string, unknown> & RestError };
  };
}

async function tokenFor(email: string, password: string) {
  const res = await handleTokenRequest(
    new Request(`${BASE}/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password }),
    }),
  );
  expect(res.status).toBe(201);
  return ((await res.json()) as { access_token: string }).access_token;
}

describe("REST API", () => {
  it("walks a whole purchase over REST: join, admitted, hold, top up, pay, tickets, refund", async () => {
    const concert = await makeConcert();
    const showtimeId = concert.showtimes[0]!.id;
    await updateSettings(redis(), showtimeId, { enabled: false });
    const fan = await makeUser();
    const api = client(await tokenFor(fan.email, fan.password));

    const showtime = await api("GET", `/showtimes/${showtimeId}`);
    expect(showtime.status).toBe(200);
    const seats = await api("GET", `/showtimes/${showtimeId}/seats`);
    const seatIds = (seats.body.sections as { rows: { seats: number[][] }[] }[])[0]!.rows[0]!.seats.slice(0, 2).map((s) => s[0]!);

    const joined = await api("POST", `/showtimes/${showtimeId}/queue`);
    expect(joined.status).toBe(201);
    const queue = await api("GET", `/showtimes/${showtimeId}/queue`);
    expect(queue.body).toMatchObject({ state: "READY" });
    const accessToken = queue.body.accessToken as string;

    const refused = await api("POST", `/showtimes/${showtimeId}/holds`, { seatIds });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: "NOT_ADMITTED", request_id: expect.any(String) });
    const hold = await api("POST", `/showtimes/${showtimeId}/holds`, { seatIds }, { "x-access-token": accessToken });
    expect(hold.status).toBe(201);
    expect(hold.headers.get("X-RateLimit-Limit")).toBe("10");
    const holdId = hold.body.holdId as string;
    expect(await prisma().hold.findUniqueOrThrow({ where: { id: holdId }, select: { client: true, ip: true } })).toMatchObject({
      client: "api",
    });

    const short = await api(
      "POST",
      `/showtimes/${showtimeId}/orders`,
      { holdId, idempotencyKey: uniq("pay") },
      { "x-access-token": accessToken },
    );
    expect(short.status).toBe(402);
    expect(short.body.error).toMatchObject({ code: "INSUFFICIENT_FUNDS", details: { balanceMinor: 0 } });

    const topUp = await api("POST", "/wallet/top-ups", { currency: "KRW", amountMinor: 500_000, idempotencyKey: uniq("top") });
    expect(topUp.status).toBe(201);
    const idempotencyKey = uniq("pay");
    const paid = await api("POST", `/showtimes/${showtimeId}/orders`, { holdId, idempotencyKey }, { "x-access-token": accessToken });
    expect(paid.status).toBe(201);
    const orderId = paid.body.orderId as string;
    // A retry with the same key (the first answer lost, say) gets the same order and charges nothing more,
    // although paying ended this fan's access.
    const retry = await api("POST", `/showtimes/${showtimeId}/orders`, { holdId, idempotencyKey }, { "x-access-token": accessToken });
    expect(retry.status).toBe(201);
    expect(retry.body).toMatchObject({ orderId, charged: false });
    const wallet = await api("GET", "/wallet");
    expect((wallet.body as unknown as { balanceMinor: number }[])[0]!.balanceMinor).toBe(500_000 - (paid.body.totalMinor as number));

    const tickets = await api("GET", "/tickets");
    expect((tickets.body.items as { orderId: string; code: string }[]).map((t) => t.orderId)).toEqual([orderId, orderId]);
    const order = await api("GET", `/orders/${orderId}`);
    expect(order.body).toMatchObject({ status: "PAID", canRefund: true });
    const refund = await api("POST", `/orders/${orderId}/refund`);
    expect(refund.status).toBe(200);
    expect((await api("GET", `/orders/${orderId}`)).body).toMatchObject({ status: "REFUNDED" });
    const ledger = await api("GET", "/wallet/ledger?limit=5");
    expect((ledger.body.items as { type: string }[]).map((e) => e.type)).toEqual(["REFUND", "PAYMENT", "CHARGE"]);

    const left = await api("DELETE", `/showtimes/${showtimeId}/queue`);
    expect(left.status).toBe(204);
  });

  it("answers every failure in the one error format, with the right status", async () => {
    const fan = await makeUser();
    const api = client(await tokenFor(fan.email, fan.password));
    const anon = client();
    const shape = {
      code: expect.any(String),
      message: expect.any(String),
      request_id: expect.any(String),
      timestamp: expect.stringMatching(/^\d{4}-/),
    };

    const unauthenticated = await anon("GET", "/wallet");
    expect([unauthenticated.status, unauthenticated.body.error]).toEqual([401, { ...shape, code: "UNAUTHENTICATED", details: null }]);
    const invalid = await api("POST", "/wallet/top-ups", { currency: "KRW", amountMinor: -5, idempotencyKey: "short" });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error).toMatchObject({
      code: "VALIDATION_FAILED",
      details: { fieldErrors: { amountMinor: expect.any(Array), idempotencyKey: expect.any(Array) } },
    });
    const malformed = await api("POST", "/wallet/top-ups", "{not json");
    expect([malformed.status, malformed.body.error.code]).toEqual([400, "BAD_REQUEST"]);
    const missing = await api("GET", "/orders/no-such-order");
    expect([missing.status, missing.body.error.code]).toEqual([404, "NOT_FOUND"]);
    const nowhere = await api("GET", "/no/such/resource");
    expect([nowhere.status, nowhere.body.error.code]).toEqual([404, "NOT_FOUND"]);
    const wrongVerb = await api("PUT", "/wallet");
    expect(wrongVerb.status).toBe(405);
    expect(wrongVerb.headers.get("allow")).toBe("GET");
    const search = await anon("GET", "/concerts?q=zzzz-nothing&page=1&pageSize=5");
    expect(search.status).toBe(200);
    expect(search.body).toMatchObject({ total: 0, page: 1 });
    const badPage = await anon("GET", "/concerts?page=0");
    expect([badPage.status, badPage.body.error.code]).toEqual([422, "VALIDATION_FAILED"]);
    const wrongPassword = await handleTokenRequest(
      new Request(`${BASE}/auth/token`, { method: "POST", body: JSON.stringify({ email: fan.email, password: "wrong-password-1" }) }),
    );
    expect(wrongPassword.status).toBe(401);
    expect(JSON.stringify(await wrongPassword.json())).not.toMatch(/stack|\.ts:\d+/);
  });

  it("limits calls per user: the 11th hold attempt of a minute gets 429 with Retry-After, and holds nothing", async () => {
    const showtimeId = (await makeConcert()).showtimes[0]!.id;
    await updateSettings(redis(), showtimeId, { enabled: false });
    const fan = await makeUser();
    const api = client(await tokenFor(fan.email, fan.password));
    await api("POST", `/showtimes/${showtimeId}/queue`);
    const accessToken = (await api("GET", `/showtimes/${showtimeId}/queue`)).body.accessToken as string;
    const seat = await prisma().seat.findFirstOrThrow({ where: { showtimeId }, select: { id: true } });
    // Ten refused attempts (no access token) use up the minute's allowance.
    for (let i = 0; i < 10; i++) expect((await api("POST", `/showtimes/${showtimeId}/holds`, { seatIds: [seat.id] })).status).toBe(403);
    const over = await api("POST", `/showtimes/${showtimeId}/holds`, { seatIds: [seat.id] }, { "x-access-token": accessToken });
    expect(over.status).toBe(429);
    expect(over.body.error.code).toBe("RATE_LIMITED");
    expect(Number(over.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(over.headers.get("X-RateLimit-Remaining")).toBe("0");
    expect(await prisma().hold.count({ where: { showtimeId } })).toBe(0);
  });

  it("publishes a valid OpenAPI document covering every route with its inputs", async () => {
    const doc = buildOpenApiDocument();
    await SwaggerParser.validate(structuredClone(doc) as never);
    const paths = doc.paths as Record<string, Record<string, { parameters: { name: string; in: string }[]; requestBody?: unknown }>>;
    for (const route of REST_ROUTES) expect(paths[route.path]?.[route.method.toLowerCase()], `${route.method} ${route.path}`).toBeDefined();
    const hold = paths["/showtimes/{showtimeId}/holds"]!.post!;
    expect(hold.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(["path:showtimeId", "header:X-Access-Token"]);
    expect(JSON.stringify(hold.requestBody)).toContain("seatIds");
    const search = paths["/concerts"]!.get!;
    expect(search.parameters.map((p) => p.name).sort()).toEqual(["city", "from", "page", "pageSize", "q", "sort", "to"]);
  });
});
