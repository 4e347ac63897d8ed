// Attack: hostile input on every procedure. For each query and mutation (the router's list; streams
// apart), fast-check puts hostile values into a valid input (test/attacks/hostile-input.ts): extra keys,
// wrong types, bad numbers, oversize and broken text, deep nesting. Every call must be refused with a
// 4xx (never INTERNAL_SERVER_ERROR) and change nothing, checked against a fingerprint of the database;
// the only answers allowed to succeed are inputs the procedure's own schema calls valid. As a fan and as
// an admin, through the caller and over HTTP; then raw bodies at the REST handler.
import fc from "fast-check";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Thousands of calls by two people: the limiter (tested in bots.int.test.ts) would answer 429 before
// the input is even read. Set before any module reads the environment.
vi.hoisted(() => {
  process.env.RATE_LIMITS = "off";
});

import { handleTrpcRequest } from "../../server/api/http.ts";
import { handleRestRequest } from "../../server/api/rest/handler.ts";
import { REST_ROUTES } from "../../server/api/rest/routes.ts";
import { issueApiKey } from "../../server/domain/channels/channels.ts";
import { ERROR_CODES, type ErrorCode } from "../../server/domain/errors.ts";
import { rateLimits } from "../../server/domain/rate-limit/rate-limit.ts";
import { admitFan } from "../support/factories.ts";
import { hasBrokenText, HOSTILE_STRINGS, preview, variantsOf, type Variant } from "./hostile-input.ts";
import {
  asSession,
  attempt,
  bearerFor,
  buildWorld,
  callerFor,
  closeOpenOffers,
  fingerprint,
  giveThings,
  makePerson,
  partnerCall,
  procedures,
  schemaAccepts,
  validInput,
  type Outcome,
  type Person,
  type Things,
  type World,
} from "./surface.ts";

/** Runs per procedure and caller: 56 procedures × 2 callers × this, plus the HTTP and REST runs. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);

const describeOutcome = (o: Outcome) => (o.ok ? "accepted" : `${o.appCode} ${o.status} (${o.trpcCode}): ${o.message.slice(0, 300)}`);
const show = (v: Variant) => `${v.kind} at ${v.where}: ${preview(v.input)}`;

/**
 * The input as the pages' client sends it (superjson). superjson refuses to write "__proto__" or
 * "constructor" keys, which an attacker's own client writes anyway: then plain JSON in its envelope.
 */
function wire(input: unknown): string {
  try {
    return JSON.stringify(superjson.serialize(input));
  } catch {
    return JSON.stringify({ json: input }, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  }
}

/** A path segment as a client would put it; a lone surrogate has no UTF-8, so its WTF-8 bytes go instead. */
function pathSegment(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return "%ED%BF%BF";
  }
}

/** A 4xx of the shared vocabulary; 5xx (INTERNAL, UNAVAILABLE, QUEUE_FULL) is a failure here. */
function isClientError(o: Outcome & { ok: false }): boolean {
  return o.trpcCode !== "INTERNAL_SERVER_ERROR" && o.status >= 400 && o.status < 500 && ERROR_CODES[o.appCode as ErrorCode].status < 500;
}

describe("hostile input", () => {
  let world: World;
  let fan: Person;
  let admin: Person;
  const things = new Map<string, Things>();
  const tally = { calls: 0, refused: 0, accepted: 0, ignored: 0, byProcedure: new Map<string, number>() };
  const started = Date.now();

  beforeAll(async () => {
    expect(rateLimits()).toBe("off");
    admin = await makePerson("ADMIN");
    world = await buildWorld(admin);
    fan = await makePerson();
    const friend = await makePerson();
    for (const p of [fan, admin]) things.set(p.id, await giveThings(world, p, friend));
    console.log(`fuzz seed ${SEED} (FUZZ_SEED=${SEED} to replay)`);
  }, 120_000);

  afterAll(async () => {
    await closeOpenOffers();
    console.log(
      `fuzz: ${tally.calls} calls (${tally.refused} refused, ${tally.accepted} accepted as valid, ${tally.ignored} to procedures without input) over ${tally.byProcedure.size} procedures, ` +
        `${Math.round((Date.now() - started) / 1000)} s; per procedure ${[...new Set(tally.byProcedure.values())].join("/")} calls`,
    );
    // Nothing reached Object.prototype through a "__proto__" or "constructor" key.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  /** One call's verdict: refused with a 4xx and nothing changed, or accepted because it was valid after all. */
  async function check(path: string, who: Person, v: Variant) {
    const type = procedures().get(path)!.type;
    const before = type === "mutation" ? await fingerprint() : undefined;
    const o = await attempt(callerFor(asSession(who)), path, v.input);
    tally.calls++;
    tally.byProcedure.set(path, (tally.byProcedure.get(path) ?? 0) + 1);
    if (o.ok) {
      if (procedures().get(path)!.inputs.length === 0) return void tally.ignored++;
      tally.accepted++;
      if (process.env.FUZZ_VERBOSE) console.log(`accepted ${path}: ${show(v)}`);
      // Mass assignment: an unknown key is refused, never dropped, whatever the schema would make of it.
      // A key the base input left out may still be one the schema knows (an optional filter such as
      // `status`): then the parsed input keeps it. A key that was dropped instead is mass assignment.
      if (v.unknownKey !== undefined && !keptByParser(path, v)) {
        expect.fail(`${path} accepted an unknown key: ${show(v)}`);
      }
      // Accepted only when the procedure's own schema says the input is valid, and never with text the
      // database cannot store. (A procedure without input ignores whatever it is sent.)
      expect(schemaAccepts(path, v.input), `${path} accepted input its schema refuses: ${show(v)}`).toBe(true);
      expect(hasBrokenText(v.input), `${path} accepted NUL or broken UTF-16: ${show(v)}`).toBe(false);
      return;
    }
    tally.refused++;
    expect(isClientError(o), `${path} as ${who.role}: ${describeOutcome(o)} for ${show(v)}`).toBe(true);
    if (before) expect(await fingerprint(), `${path} refused but changed the database: ${show(v)}`).toEqual(before);
  }

  const paths = [...procedures()].filter(([, d]) => d.type !== "subscription").map(([p]) => p);

  for (const role of ["fan", "admin"] as const) {
    it(`every procedure refuses hostile input from ${role === "fan" ? "a fan" : "an admin"} with a 4xx and changes nothing`, async () => {
      const who = role === "fan" ? fan : admin;
      const mine = things.get(who.id)!;
      // Gated procedures need a live turn: paying in an earlier run would have ended it.
      mine.accessToken = await admitFan(world.showtimeId, who.id);
      for (const path of paths) {
        const base = validInput(path, world, mine);
        const queryBefore = procedures().get(path)!.type === "query" ? await fingerprint() : undefined;
        await fc.assert(
          fc.asyncProperty(variantsOf(base), (v) => check(path, who, v)),
          { numRuns: RUNS, seed: SEED, endOnFailure: true },
        );
        // Queries never write.
        if (queryBefore) expect(await fingerprint(), `${path} (a query) changed the database`).toEqual(queryBefore);
      }
      // The fingerprint hashes every row of the shared database twice per query procedure, so this takes
      // longer the more rows the files before it left (15 s alone, over 60 s after the checkout races).
    }, 180_000);
  }

  it("the tRPC HTTP endpoint answers hostile input (superjson types included) with a 4xx, never a 500", async () => {
    const mine = things.get(fan.id)!;
    mine.accessToken = await admitFan(world.showtimeId, fan.id);
    const arb = fc.constantFrom(...paths).chain((path) => variantsOf(validInput(path, world, mine)).map((v) => ({ path, v })));
    const before = await fingerprint();
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(arb, async ({ path, v }) => {
        const type = procedures().get(path)!.type;
        const payload = wire(v.input);
        const url = `http://localhost/api/trpc/${path}`;
        const req =
          type === "query"
            ? new Request(`${url}?input=${encodeURIComponent(payload)}`, { headers: { "x-forwarded-for": "192.0.2.50" } })
            : new Request(url, {
                method: "POST",
                headers: { "content-type": "application/json", "x-forwarded-for": "192.0.2.50" },
                body: payload,
              });
        const res = await handleTrpcRequest(req, async () => asSession(fan));
        tally.calls++;
        const body = await res.text();
        expect(res.status, `${path} over HTTP: ${res.status} ${body.slice(0, 300)} for ${show(v)}`).toBeLessThan(500);
        expect(body).not.toMatch(/"stack"|at .+\.ts:\d+/);
        if (res.status < 300) {
          accepted++;
          // superjson's reader drops "__proto__" keys before any of our code runs, and a key whose value
          // JSON cannot carry (undefined) is not on the wire at all; every other unknown key is refused.
          const sent = v.unknownKey !== undefined && payload.includes(JSON.stringify(v.unknownKey));
          if (procedures().get(path)!.inputs.length > 0 && v.unknownKey !== "__proto__" && sent) {
            expect(v.unknownKey, `${path} over HTTP accepted an unknown key: ${show(v)}`).toBeUndefined();
          }
        }
      }),
      { numRuns: 150, seed: SEED, endOnFailure: true },
    );
    // Successes (inputs valid after all) may write; the rest must not. Only refusals here is the usual case.
    if (accepted === 0) expect(await fingerprint()).toEqual(before);
  });

  it("the REST handler answers raw hostile bodies, queries and paths with a 400-class JSON error, never a 500", async () => {
    const bearer = await bearerFor(fan);
    const auth = { authorization: `Bearer ${bearer}`, "x-forwarded-for": "192.0.2.60" };
    const postRoutes = REST_ROUTES.filter((r) => r.method === "POST");
    // A key of its own: the admin's fuzzing may well have revoked the world's (a valid revokeKey input).
    const { key } = await issueApiKey({ channelId: world.channelId, name: "fuzz" }, admin.id);
    const partnerHeaders = { Authorization: `Token ${key}`, Channel: `Code ${world.channelCode}` };
    const before = await fingerprint();
    const expectJsonError = async (res: Response, what: string) => {
      const text = await res.text();
      tally.calls++;
      expect(res.status, `${what}: ${res.status} ${text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${what}: ${res.status} ${text.slice(0, 300)}`).toBeLessThan(500);
      const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
      expect(body.error?.code, what).toBeTruthy();
      expect(text).not.toMatch(/"stack"|at .+\.ts:\d+/);
    };
    const send = (url: string, init: RequestInit) => handleRestRequest(new Request(url, init), async () => asSession(fan));
    const urlOf = (path: string, params: Record<string, string> = {}) =>
      `http://localhost/api/v1${path.replace(/\{([A-Za-z]+)\}/g, (_, n: string) => params[n] ?? world.showtimeId)}`;

    // Bodies that are not JSON objects.
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...postRoutes),
        fc.oneof(
          fc.string({ unit: "binary", maxLength: 200 }),
          fc.constantFrom(
            "{",
            "[]",
            "null",
            "1",
            '"x"',
            "{'a':1}",
            '{"a":1',
            "\u0000",
            "\uFEFF{}",
            '{"__proto__":{"polluted":true}}',
            "{}".repeat(10_000),
          ),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        async (route, body) => {
          const res = await send(urlOf(route.path), { method: "POST", headers: { ...auth, "content-type": "application/json" }, body });
          const text = await res.clone().text();
          // A JSON object that happens to be a valid input may succeed; the rest is a 4xx.
          if (res.status < 300) return;
          await expectJsonError(res, `${route.path} with body ${JSON.stringify(body.slice(0, 80))} → ${text.slice(0, 120)}`);
        },
      ),
      { numRuns: 80, seed: SEED, endOnFailure: true },
    );

    // A valid JSON input sent as another content type is refused, not read.
    const topUp = REST_ROUTES.find((r) => r.procedure === "wallet.topUp")!;
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", ""]) {
      const body = JSON.stringify({ currency: "KRW", amountMinor: 1000, idempotencyKey: `ct-${type.length}-abcdefgh` });
      const headers: Record<string, string> = { ...auth };
      if (type) headers["content-type"] = type;
      await expectJsonError(await send(urlOf(topUp.path), { method: "POST", headers, body }), `content-type ${JSON.stringify(type)}`);
    }

    // Two megabytes: a huge string, a huge array, and deep nesting.
    const big = "x".repeat(2 * 1024 * 1024);
    for (const body of [
      JSON.stringify({ currency: "KRW", amountMinor: 1000, idempotencyKey: big }),
      JSON.stringify({ currency: "KRW", amountMinor: 1000, idempotencyKey: "abcdefgh-big", pad: Array.from({ length: 300_000 }, () => 1) }),
      `{"a":${"[".repeat(100_000)}${"]".repeat(100_000)}}`,
      big,
    ]) {
      await expectJsonError(
        await send(urlOf(topUp.path), { method: "POST", headers: { ...auth, "content-type": "application/json" }, body }),
        `a ${body.length}-byte body`,
      );
    }

    // Hostile path parameters and query strings on every route.
    const hostileText = fc.oneof(
      fc.constantFrom(...HOSTILE_STRINGS.filter((s) => s.length < 1000), "%E0%A4%A", "%00", "..", "%2e%2e%2f", "a".repeat(5000)),
      fc.string({ unit: "binary", maxLength: 30 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...REST_ROUTES),
        hostileText,
        fc.dictionary(
          fc.constantFrom("limit", "cursor", "status", "currency", "q", "page", "pageSize", "price", "userId", "__proto__"),
          hostileText,
        ),
        async (route, param, query) => {
          const url = new URL(urlOf(route.path.replace(/\{([A-Za-z]+)\}/g, "PARAM")).replace("PARAM", pathSegment(param)));
          for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
          const init: RequestInit = {
            method: route.method,
            headers: { ...auth, ...(route.method === "POST" ? { "content-type": "application/json" } : {}) },
          };
          if (route.method === "POST") init.body = "{}";
          const res = await send(url.toString(), init);
          if (res.status < 300 || res.status === 405) return void (await res.text());
          await expectJsonError(res, `${route.method} ${url.pathname}${url.search.slice(0, 200)}`);
        },
      ),
      { numRuns: 120, seed: SEED, endOnFailure: true },
    );

    // The partner API with a hostile product id: 403 or 404 in the partner's shapes, never a 500.
    await fc.assert(
      fc.asyncProperty(hostileText, async (productId) => {
        const answer = await partnerCall(productId, partnerHeaders);
        tally.calls++;
        expect([200, 404], `product ${JSON.stringify(productId.slice(0, 60))}: ${answer.status}`).toContain(answer.status);
      }),
      { numRuns: 40, seed: SEED, endOnFailure: true },
    );
    expect(await fingerprint(), "raw REST input changed the database").toEqual(before);
  });
});

/** True when one of the procedure's input parsers keeps the variant's added key in its output (a known key). */
function keptByParser(path: string, v: Variant): boolean {
  const parsers = procedures().get(path)!.inputs as { safeParse(x: unknown): { success: boolean; data?: unknown } }[];
  return parsers.some((parser) => {
    const result = parser.safeParse(v.input);
    if (!result.success) return false;
    let node: unknown = result.data;
    for (const step of v.unknownAt ?? []) node = (node as Record<string | number, unknown> | undefined)?.[step];
    return typeof node === "object" && node !== null && Object.hasOwn(node, v.unknownKey!);
  });
}
