// The web server's own path for the API, over a real socket: what Next's proxy gave every API answer
// (security headers, request ids) it gives too, and the handlers behind it keep theirs (CSRF refusal,
// rate-limit headers, error bodies). Pages go to Next, represented here by a handler that only says so.
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { encode } from "next-auth/jwt";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "../domain/auth/users.ts";
import { env } from "../env.ts";
import { securityHeaders } from "../security-headers.ts";
import { publishSeatChanges } from "../domain/seatmap/events.ts";
import { servedSeatLayout } from "../domain/seatmap/layout.ts";
import { holdSeatsDirectly, makeConcert, makeUser } from "../../test/support/factories.ts";
import { apiRoutes, type ApiRoute } from "./api-routes.ts";
import { createWebServer, type WebServer } from "./server.ts";

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

let server: WebServer;
let base: string;
const pagesSeen: string[] = [];
/** A build's static folder: one script large enough to compress, one too small to bother. */
const staticDir = fs.mkdtempSync(path.join(os.tmpdir(), "onsale-static-"));
const script = Buffer.from(`export const seats = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => ({ id: i, row: "A" })))};\n`);
fs.mkdirSync(path.join(staticDir, "chunks"));
fs.writeFileSync(path.join(staticDir, "chunks", "app-1a2b.js"), script);
fs.writeFileSync(path.join(staticDir, "chunks", "tiny.css"), "a{}");
const outside = path.join(os.tmpdir(), "outside-static.js");
fs.writeFileSync(outside, "secret");

const failing: ApiRoute = {
  path: "/api/trpc/broken.on.purpose",
  methods: ["GET"],
  handle: () => {
    throw new Error("a handler bug");
  },
};

beforeAll(async () => {
  server = createWebServer({
    routes: [failing, ...apiRoutes({ webProcesses: () => ({ up: 2, of: 2 }) })],
    next: (req, res) => {
      pagesSeen.push(req.url ?? "");
      res.writeHead(200, { "content-type": "text/plain" }).end("next");
    },
    production: true,
    dev: false,
    staticDir,
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await server.shutdown(1000);
  fs.rmSync(staticDir, { recursive: true, force: true });
  fs.rmSync(outside, { force: true });
});

/** Raw node:http, so headers and bytes are exactly what went over the wire (fetch would decompress). */
function request(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method: opts.method ?? "GET", headers: opts.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(opts.body);
  });
}

const trpcGet = (procedure: string, input?: unknown) =>
  `/api/trpc/${procedure}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`}`;

async function sessionCookieOf(user: SessionUser): Promise<string> {
  const token = await encode({ token: { sub: user.id, email: user.email, name: user.name, role: user.role }, secret: env().AUTH_SECRET });
  return `next-auth.session-token=${token}`;
}

const API_SECURITY = Object.entries(securityHeaders({ production: true, dev: false })).map(([k, v]) => [k.toLowerCase(), v] as const);

describe("the web server's API path", () => {
  it("answers every API path itself, with the security headers and a request id; everything else goes to Next", async () => {
    const concert = await makeConcert();
    const answers = {
      trpc: await request(trpcGet("catalog.cities")),
      rest: await request("/api/v1/concerts"),
      openapi: await request("/api/v1/openapi.json"),
      health: await request("/api/health"),
      partner: await request(`/v1/channel/price/ticket/${concert.showtimes[0]!.id}`),
      token: await request("/api/v1/auth/token", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }),
    };
    for (const [name, answer] of Object.entries(answers)) {
      for (const [header, value] of API_SECURITY) expect(answer.headers[header], `${name}: ${header}`).toBe(value);
      expect(answer.headers["x-request-id"], name).toMatch(/^[0-9a-f-]{36}$/);
      expect(answer.headers["content-type"], name).toMatch(/^application\/json/);
    }
    expect(answers.trpc.status).toBe(200);
    expect(answers.rest.status).toBe(200);
    expect(answers.openapi.status).toBe(200);
    expect(answers.partner.status).toBe(403); // no partner key
    expect(JSON.parse(answers.partner.body.toString())).toEqual({ detail: "You do not have permission to perform this action." });
    expect(answers.token.status).toBe(400);
    expect(pagesSeen).toEqual([]);

    for (const page of ["/", "/concerts/some-slug", "/api/auth/session", "/api/trpcx", "/v1/other", "/_next/static/x.js"]) {
      const answer = await request(page);
      expect(answer.body.toString(), page).toBe("next");
    }
    expect(pagesSeen).toEqual(["/", "/concerts/some-slug", "/api/auth/session", "/api/trpcx", "/v1/other", "/_next/static/x.js"]);
  });

  it("keeps a caller's well-formed request id through to the error body, and replaces a forged one", async () => {
    const kept = await request(trpcGet("catalog.concert", { slug: "no-such-concert" }), { headers: { "x-request-id": "req-12345678" } });
    expect(kept.status).toBe(404);
    expect(kept.headers["x-request-id"]).toBe("req-12345678");
    expect(JSON.stringify(JSON.parse(kept.body.toString()))).toContain('"requestId":"req-12345678"');
    const forged = await request(trpcGet("catalog.cities"), { headers: { "x-request-id": 'x" level=50' } });
    expect(forged.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("health names how many web processes are up", async () => {
    const health = JSON.parse((await request("/api/health")).body.toString()) as { web: { processes: number; of: number; pid: number } };
    expect(health.web).toEqual({ processes: 2, of: 2, pid: process.pid });
  });

  it("refuses a cross-site mutation riding on the session cookie before anything runs", async () => {
    const fan = await makeUser();
    const cookie = await sessionCookieOf(fan);
    const body = JSON.stringify(superjson.serialize({ amountMinor: 10_000, currency: "KRW", idempotencyKey: crypto.randomUUID() }));
    const refused = await request("/api/trpc/wallet.topUp", {
      method: "POST",
      headers: { cookie, "content-type": "application/json", origin: "https://evil.example", "sec-fetch-site": "cross-site" },
      body,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.toString()).toContain("came from another site");
    // The same cookie from our own page gets through to the procedure (its answer is whatever it is, not FORBIDDEN).
    const own = await request(trpcGet("auth.me"), { headers: { cookie, "sec-fetch-site": "same-origin" } });
    expect(own.status, own.body.toString()).toBe(200);
    expect(own.body.toString()).toContain(fan.email);
  });

  it("passes on the rate-limit headers of a limited call, counted per client address as Next counted them", async () => {
    const first = await request("/api/v1/concerts");
    const second = await request("/api/v1/concerts");
    expect(Number(first.headers["x-ratelimit-limit"])).toBeGreaterThan(0);
    expect(Number(second.headers["x-ratelimit-remaining"])).toBe(Number(first.headers["x-ratelimit-remaining"]) - 1);
    // Another address (a proxy in front says so) has its own count.
    const other = await request("/api/v1/concerts", { headers: { "x-forwarded-for": "198.51.100.7" } });
    expect(other.headers["x-ratelimit-remaining"]).toBe(String(Number(other.headers["x-ratelimit-limit"]) - 1));
  });

  it("answers a method a path does not take with 405 and Allow, and HEAD like GET without a body", async () => {
    const wrong = await request("/api/health", { method: "DELETE" });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe("GET");
    const head = await request("/api/v1/openapi.json", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.body.byteLength).toBe(0);
  });

  it("gzips a large answer for a client that takes gzip, and only then", async () => {
    const plain = await request("/api/v1/openapi.json");
    const zipped = await request("/api/v1/openapi.json", { headers: { "accept-encoding": "gzip, deflate, br" } });
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(zipped.headers.vary).toContain("Accept-Encoding");
    expect(Number(zipped.headers["content-length"])).toBe(zipped.body.byteLength);
    expect(zipped.body.byteLength).toBeLessThan(plain.body.byteLength);
    expect(zlib.gunzipSync(zipped.body).equals(plain.body)).toBe(true);
    // A small answer goes out as it is.
    const small = await request(trpcGet("catalog.cities"), { headers: { "accept-encoding": "gzip" } });
    expect(small.headers["content-encoding"]).toBeUndefined();
  });

  it("serves a seat layout compressed ahead of time with a strong ETag, and 304 to a client that has it", async () => {
    const concert = await makeConcert();
    const path = `/api/seat-layout/${concert.showtimes[0]!.id}`;
    const plain = await request(path);
    expect(plain.status).toBe(200);
    const layout = JSON.parse(plain.body.toString()) as { sections: { rows: { seats: unknown[] }[] }[] };
    expect(layout.sections.flatMap((s) => s.rows.flatMap((r) => r.seats))).toHaveLength(20);
    const etag = plain.headers.etag!;
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(plain.headers["cache-control"]).toBe("public, no-cache");
    for (const [accept, encoding, unzip] of [
      ["gzip, deflate, br, zstd", "br", zlib.brotliDecompressSync],
      ["gzip", "gzip", zlib.gunzipSync],
    ] as const) {
      const packed = await request(path, { headers: { "accept-encoding": accept } });
      expect(packed.headers["content-encoding"]).toBe(encoding);
      // Each coding's bytes have their own strong ETag.
      expect(packed.headers.etag).toBe(`${etag.slice(0, -1)}-${encoding}"`);
      expect(unzip(packed.body).equals(plain.body)).toBe(true);
    }
    const brEtag = `${etag.slice(0, -1)}-br"`;
    const again = await request(path, { headers: { "if-none-match": brEtag, "accept-encoding": "br" } });
    expect(again.status).toBe(304);
    expect(again.body.byteLength).toBe(0);
    expect(again.headers.etag).toBe(brEtag);
    expect((await request(path, { headers: { "if-none-match": etag } })).status).toBe(304);
    for (const [header, value] of API_SECURITY) expect(again.headers[header], header).toBe(value);
    expect((await request(path, { headers: { "if-none-match": '"something-else"' } })).status).toBe(200);
    const missing = await request("/api/seat-layout/no-such-showtime");
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body.toString())).toMatchObject({ error: { code: "NOT_FOUND" } });
  });

  it("answers a build's static files from memory, compressed once, cached for a year; anything else under /_next goes to Next", async () => {
    const path = "/_next/static/chunks/app-1a2b.js";
    const [br, gz, plain] = await Promise.all([
      request(path, { headers: { "accept-encoding": "gzip, deflate, br, zstd" } }),
      request(path, { headers: { "accept-encoding": "gzip" } }),
      request(path),
    ]);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(zlib.brotliDecompressSync(br.body).equals(script)).toBe(true);
    expect(br.body.byteLength).toBeLessThan(script.byteLength / 4);
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(gz.body).equals(script)).toBe(true);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.equals(script)).toBe(true);
    for (const answer of [br, gz, plain]) {
      expect(answer.status).toBe(200);
      expect(answer.headers["content-type"]).toBe("application/javascript; charset=UTF-8");
      expect(answer.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
      expect(answer.headers["x-content-type-options"]).toBe("nosniff");
      expect(Number(answer.headers["content-length"])).toBe(answer.body.byteLength);
    }
    const head = await request(path, { method: "HEAD", headers: { "accept-encoding": "br" } });
    expect(head.status).toBe(200);
    expect(head.body.byteLength).toBe(0);
    expect(Number(head.headers["content-length"])).toBe(br.body.byteLength);
    // Too small to gain from compression: as it is.
    const tiny = await request("/_next/static/chunks/tiny.css", { headers: { "accept-encoding": "br, gzip" } });
    expect(tiny.headers["content-encoding"]).toBeUndefined();
    expect(tiny.body.toString()).toBe("a{}");

    // Missing files, paths out of the folder and other methods are Next's to answer, as before.
    pagesSeen.length = 0;
    for (const [method, other] of [
      ["GET", "/_next/static/chunks/missing.js"],
      ["GET", "/_next/static/%2e%2e/%2e%2e/outside-static.js"],
      ["GET", "/_next/static/..%2f..%2foutside-static.js"],
      ["POST", path],
      ["GET", "/_next/image?url=%2Ffavicon.svg&w=64&q=75"],
    ] as const) {
      const answer = await request(other, { method });
      expect(answer.body.toString(), other).toBe("next");
    }
    expect(pagesSeen).toHaveLength(5);
  });

  it("serves the seat statuses at a version, never cached, gzipped once per version, counted against the seat map's rate limit", async () => {
    const concert = await makeConcert();
    const showtimeId = concert.showtimes[0]!.id;
    const path = `/api/seat-status/${showtimeId}`;
    const plain = await request(path, { headers: { "x-forwarded-for": "198.51.100.31" } });
    expect(plain.status).toBe(200);
    expect(plain.headers["cache-control"]).toBe("no-store");
    const first = JSON.parse(plain.body.toString()) as { version: number; seats: string };
    expect([...Buffer.from(first.seats, "base64")]).toEqual(Array.from({ length: 20 }, () => 0));
    for (const [header, value] of API_SECURITY) expect(plain.headers[header], header).toBe(value);
    const zipped = await request(path, { headers: { "accept-encoding": "gzip, deflate, br", "x-forwarded-for": "198.51.100.31" } });
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(zipped.body).equals(plain.body)).toBe(true);
    // The seat map's class, per client address: each read counts.
    expect(Number(zipped.headers["x-ratelimit-remaining"])).toBe(Number(plain.headers["x-ratelimit-remaining"]) - 1);

    // A hold is a new version, and the next read has it.
    const { seatIds } = await servedSeatLayout(showtimeId);
    const held = seatIds[3]!;
    await holdSeatsDirectly(showtimeId, [held], new Date(Date.now() + 60_000));
    await publishSeatChanges(showtimeId, [held], "HELD");
    const after = JSON.parse((await request(path)).body.toString()) as { version: number; seats: string };
    expect(after.version).toBeGreaterThan(first.version);
    expect([...Buffer.from(after.seats, "base64")][3]).toBe(1);

    const missing = await request("/api/seat-status/no-such-showtime");
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body.toString())).toMatchObject({ error: { code: "NOT_FOUND" } });
  });

  it("answers a handler's crash with 500, the request id and no stack", async () => {
    const answer = await request("/api/trpc/broken.on.purpose", { headers: { "x-request-id": "req-crash-0001" } });
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body.toString())).toEqual({
      error: {
        code: "INTERNAL_SERVER_ERROR",
        message: "Something went wrong on our side. Please try again.",
        request_id: "req-crash-0001",
      },
    });
  });

  it("streams a live feed as it happens, and ends it when the server shuts down", async () => {
    const concert = await makeConcert();
    const path = `${trpcGet("showtimes.seatChanges", { showtimeId: concert.showtimes[0]!.id })}`;
    const own = createWebServer({
      routes: apiRoutes({ webProcesses: () => ({ up: 1, of: 1 }) }),
      next: (_req, res) => void res.end(),
      production: true,
      dev: false,
    });
    await new Promise<void>((resolve) => own.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(own.address() as AddressInfo).port}${path}`;
    const { first, ended } = await new Promise<{ first: string; ended: Promise<string> }>((resolve, reject) => {
      http
        .get(url, { headers: { accept: "text/event-stream" } }, (res) => {
          expect(res.statusCode).toBe(200);
          expect(res.headers["content-type"]).toMatch(/^text\/event-stream/);
          let text = "";
          // Only a response that ended with its last chunk counts, not a connection cut.
          const ended = new Promise<string>((done, fail) => {
            res.on("end", () => (res.complete ? done(text) : fail(new Error("the stream was cut, not ended"))));
            res.on("error", fail);
          });
          res.once("data", (chunk: Buffer) => {
            text += chunk.toString();
            res.on("data", (more: Buffer) => (text += more.toString()));
            resolve({ first: text, ended });
          });
        })
        .on("error", reject);
    });
    expect(first).toMatch(/^(?:event|data|:|retry|id)/m); // an SSE frame arrived before the stream ended
    // A grace far beyond the test's time limit: only ending the stream lets the shutdown finish.
    await own.shutdown(3_600_000);
    await ended;
  });
});
