// Attack: reaching what is not yours. The authorization matrix is generated from the router: every tRPC
// procedure must be classified in test/attacks/surface.ts (public, signed-in, owner of an id, admin;
// the partner API apart), or this file fails. Each procedure that takes the id of a fan's thing is then
// called by its owner, another fan, the fan who sent it, anonymously, with a partner API key over REST,
// and by an admin; every refusal is checked against a fingerprint of the database (nothing changed).
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Hundreds of calls by the same few people: the limiter (tested in bots.int.test.ts) would answer 429
// before the checks under test. Set before any module reads the environment.
vi.hoisted(() => {
  process.env.RATE_LIMITS = "off";
});

import { prisma } from "../../server/db.ts";
import { rateLimits } from "../../server/domain/rate-limit/rate-limit.ts";
import { updateSettings } from "../../server/domain/waiting-room/settings.ts";
import { redis } from "../../server/redis.ts";
import { REST_ROUTES } from "../../server/api/rest/routes.ts";
import { apiRoutes } from "../../server/http/api-routes.ts";
import { admitFan, makeConcert } from "../support/factories.ts";
import {
  ACCESS,
  PARTNER_ROUTES,
  asSession,
  attempt,
  bearerFor,
  buildWorld,
  callerFor,
  closeOpenOffers,
  firstEvent,
  fingerprint,
  giveThings,
  makePerson,
  partnerCall,
  procedures,
  restCall,
  restRequest,
  restRouteOf,
  validInput,
  type Access,
  type Caller,
  type Outcome,
  type Person,
  type Things,
  type World,
} from "./surface.ts";

const repoRoot = path.resolve(import.meta.dirname, "../..");

/** Files named route.ts under a folder, relative to the repository. */
function routeFiles(dir: string): string[] {
  const abs = path.join(repoRoot, dir);
  return readdirSync(abs).flatMap((name) => {
    const full = path.join(abs, name);
    if (statSync(full).isDirectory()) return routeFiles(path.join(dir, name));
    return name === "route.ts" ? [path.join(dir, name)] : [];
  });
}

const REFUSED_AS_NOT_YOURS = ["NOT_FOUND", "FORBIDDEN"];
/** What an owner must never hear about their own thing. */
const NOT_FOR_OWNER = ["NOT_FOUND", "FORBIDDEN", "UNAUTHENTICATED", "NOT_ADMITTED", "INTERNAL"];

const describeOutcome = (o: Outcome) => (o.ok ? "ok" : `${o.appCode} (${o.status}): ${o.message}`);

/** Runs `act`, which must be refused, and proves the database did not change. */
async function refusedAndUnchanged(label: string, act: () => Promise<{ refused: boolean; detail: string }>) {
  const before = await fingerprint();
  const { refused, detail } = await act();
  expect(refused, `${label}: expected a refusal, got ${detail}`).toBe(true);
  expect(await fingerprint(), `${label}: the database changed`).toEqual(before);
}

/** The order owners act in: reads first, then changes that leave later ones possible. */
const OWNER_ORDER = [
  "holds.byId",
  "orders.byId",
  "paymentMethods.setDefault",
  "holds.extend",
  "tickets.offerTransfer",
  "tickets.cancelTransfer",
  "tickets.acceptTransfer",
  "tickets.declineTransfer",
  "holds.release",
  "orders.checkout",
  "orders.refund",
  "paymentMethods.remove",
];

describe("authorization matrix", () => {
  let world: World;
  let admin: Person;
  let fanA: Person; // the owner
  let fanB: Person; // another fan
  let friend: Person; // offers tickets to A, B and the admin, and receives their offers
  const things = new Map<string, Things>();
  const tokens = new Map<string, string>();
  let partnerHeaders: Record<string, string>;
  const counts = { classified: {} as Record<string, number>, cases: 0 };

  /** A's identifiers: none may appear in what anyone else is told. */
  let secretsOfA: string[];

  const as = (p: Person | null): Caller => callerFor(p ? asSession(p) : null);
  const thingsOf = (p: Person) => things.get(p.id)!;
  /** An input aimed at `target`'s thing, with the caller's own access token for the gate. */
  const aimedAt = (p: string, target: Things, caller: Person | null) => {
    const input = validInput(p, world, target) as Record<string, unknown> | undefined;
    if (input && "accessToken" in input) return { ...input, accessToken: caller ? tokens.get(caller.id) : undefined };
    return input;
  };

  beforeAll(async () => {
    expect(rateLimits()).toBe("off");
    admin = await makePerson("ADMIN");
    world = await buildWorld(admin);
    [fanA, fanB, friend] = [await makePerson(), await makePerson(), await makePerson()];
    for (const p of [fanA, fanB, admin]) things.set(p.id, await giveThings(world, p, friend));
    // Paying ended the friend's turn: admitted again, so a refusal below is about ownership, not the gate.
    for (const p of [fanA, fanB, admin, friend])
      tokens.set(p.id, p.id === friend.id ? await admitFan(world.showtimeId, p.id) : thingsOf(p).accessToken);
    partnerHeaders = { Authorization: `Token ${world.apiKey}`, Channel: `Code ${world.channelCode}` };

    const a = thingsOf(fanA);
    const aTickets = await prisma().ticket.findMany({ where: { ownerId: fanA.id }, select: { id: true, code: true, orderId: true } });
    const aHolds = await prisma().hold.findMany({ where: { userId: fanA.id }, select: { id: true } });
    secretsOfA = [
      fanA.id,
      fanA.email,
      a.accessToken,
      a.outgoingTransferId,
      a.cardId,
      ...aHolds.map((h) => h.id),
      ...aTickets.flatMap((t) => [t.id, t.code, t.orderId]),
    ];
  }, 120_000);

  afterAll(() => closeOpenOffers());

  it("classifies every procedure, names none that does not exist, and agrees with the REST routes", () => {
    const all = procedures();
    const unclassified = [...all.keys()].filter((p) => !(p in ACCESS));
    const stale = Object.keys(ACCESS).filter((p) => !all.has(p));
    expect(unclassified, "procedures missing from ACCESS in test/attacks/surface.ts").toEqual([]);
    expect(stale, "ACCESS names procedures that no longer exist").toEqual([]);
    for (const access of Object.values(ACCESS)) counts.classified[access.who] = (counts.classified[access.who] ?? 0) + 1;
    counts.classified.partner = PARTNER_ROUTES.length;

    // REST exposes fan procedures only, each under the same rule as in the table.
    const restAuth = (a: Access) =>
      a.who === "public" ? "public" : a.who === "admin" ? "never" : "gated" in a && a.gated ? "admitted" : "user";
    for (const route of REST_ROUTES) {
      const access = ACCESS[route.procedure];
      expect(access, `${route.method} ${route.path} names an unclassified procedure`).toBeDefined();
      expect(restAuth(access!), `${route.method} ${route.path}`).not.toBe("never");
      expect(route.auth, `${route.method} ${route.path} (${route.procedure})`).toBe(restAuth(access!));
    }
    // Every HTTP entry point is known: the web server's API paths (the poster upload is tRPC's, with a larger
    // body), of which the partner API is the only one a partner key opens, and Next's route handlers:
    // next-auth's, and the public, read-only uploaded posters.
    const apiPaths = apiRoutes({ webProcesses: () => ({ up: 1, of: 1 }) }).map((r) => r.path);
    expect(apiPaths.filter((p) => p.startsWith("/v1/")).sort()).toEqual([...PARTNER_ROUTES].sort());
    expect(apiPaths.sort()).toEqual(
      [
        "/api/health",
        "/api/payments/webhook",
        "/api/seat-layout/{showtimeId}",
        "/api/seat-status/{showtimeId}",
        "/api/trpc/*",
        "/api/trpc/admin.concerts.uploadPoster",
        "/api/v1/*",
        "/api/v1/auth/token",
        "/api/v1/openapi.json",
        ...PARTNER_ROUTES,
      ].sort(),
    );
    expect(routeFiles("app").sort()).toEqual(["app/api/auth/[...nextauth]/route.ts", "app/posters/[name]/route.ts"]);
    console.log(`classified: ${JSON.stringify(counts.classified)} of ${all.size} procedures`);
  });

  it("a fan's things by id: the owner gets through; another fan, the sender, an admin, anonymous callers and a partner key are refused and change nothing", async () => {
    const ownerPaths = Object.entries(ACCESS)
      .filter(([, a]) => a.who === "owner")
      .map(([p]) => p);
    expect([...ownerPaths].sort(), "OWNER_ORDER must list every owner procedure").toEqual([...OWNER_ORDER].sort());

    // The admin's own things come second: a fan's procedures act on the admin's own things for an admin.
    for (const owner of [fanA, admin]) {
      const mine = thingsOf(owner);
      const others = [fanA, fanB, friend, admin].filter((p) => p.id !== owner.id);
      for (const p of OWNER_ORDER) {
        const type = procedures().get(p)!.type;
        for (const other of others) {
          await refusedAndUnchanged(
            `${p} by ${other === admin ? "an admin" : other === friend ? "the friend" : "another fan"} on ${owner === admin ? "the admin's" : "a fan's"} thing`,
            async () => {
              const o = await attempt(as(other), p, aimedAt(p, mine, other));
              counts.cases++;
              return { refused: !o.ok && REFUSED_AS_NOT_YOURS.includes(o.appCode), detail: describeOutcome(o) };
            },
          );
        }
        await refusedAndUnchanged(`${p} anonymously`, async () => {
          const o = await attempt(as(null), p, aimedAt(p, mine, null));
          counts.cases++;
          return { refused: !o.ok && o.appCode === "UNAUTHENTICATED", detail: describeOutcome(o) };
        });
        const route = restRouteOf(p);
        if (route) {
          await refusedAndUnchanged(`${route.method} ${route.path} with a partner key`, async () => {
            const input = { ...(validInput(p, world, mine) as Record<string, unknown>), accessToken: undefined };
            const answer = await restCall(restRequest(route, input, partnerHeaders));
            counts.cases++;
            return {
              refused: answer.status === 401 && answer.code === "UNAUTHENTICATED",
              detail: `${answer.status} ${JSON.stringify(answer.body)}`,
            };
          });
        }
        const o = await attempt(as(owner), p, aimedAt(p, mine, owner));
        counts.cases++;
        expect(o.ok || !NOT_FOR_OWNER.includes(o.appCode), `${p} by its owner: ${describeOutcome(o)}`).toBe(true);
        // In this world every one of them goes through for its owner.
        expect(o.ok, `${p} by its owner (${type}): ${describeOutcome(o)}`).toBe(true);
        // Paying ends the owner's turn (DESIGN.md): admitted again, so later refusals are about ownership.
        if (p === "orders.checkout") tokens.set(owner.id, await admitFan(world.showtimeId, owner.id));
      }
    }
  });

  it("signed-in procedures: anonymous callers and partner keys are refused; another fan's token opens no gate; no answer carries another fan's data", async () => {
    const userPaths = Object.entries(ACCESS)
      .filter(([p, a]) => a.who === "user" && procedures().get(p)!.type !== "subscription")
      .map(([p]) => p)
      // Leaving ends the fan's turn: last.
      .sort((x, y) => Number(x === "waitingRoom.leave") - Number(y === "waitingRoom.leave"));
    const b = thingsOf(fanB);
    for (const p of userPaths) {
      const access = ACCESS[p]!;
      await refusedAndUnchanged(`${p} anonymously`, async () => {
        const o = await attempt(as(null), p, aimedAt(p, b, null));
        counts.cases++;
        return { refused: !o.ok && o.appCode === "UNAUTHENTICATED", detail: describeOutcome(o) };
      });
      const route = restRouteOf(p);
      if (route) {
        await refusedAndUnchanged(`${route.method} ${route.path} with a partner key`, async () => {
          const input = (validInput(p, world, b) as Record<string, unknown> | undefined) ?? {};
          const answer = await restCall(restRequest(route, { ...input, accessToken: undefined }, partnerHeaders));
          counts.cases++;
          return {
            refused: answer.status === 401 && answer.code === "UNAUTHENTICATED",
            detail: `${answer.status} ${JSON.stringify(answer.body)}`,
          };
        });
      }
      if ("gated" in access && access.gated) {
        await refusedAndUnchanged(`${p} by a fan holding another fan's access token`, async () => {
          const input = { ...(aimedAt(p, b, fanB) as Record<string, unknown>), accessToken: tokens.get(fanA.id) };
          const o = await attempt(as(fanB), p, input);
          counts.cases++;
          return { refused: !o.ok && o.appCode === "NOT_ADMITTED", detail: describeOutcome(o) };
        });
      }
      // B's own call, even naming A's hold where an input can: nothing of A's comes back.
      const input = p === "holds.mine" ? { holdId: thingsOf(fanA).holdId } : aimedAt(p, b, fanB);
      const o = await attempt(as(fanB), p, input);
      counts.cases++;
      expect(o.ok || o.status < 500, `${p} by a fan: ${describeOutcome(o)}`).toBe(true);
      const told = JSON.stringify(o.ok ? o.data : o.message);
      for (const secret of secretsOfA) expect(told.includes(secret), `${p} told another fan ${secret}`).toBe(false);
      if (p === "holds.mine") expect((o as { data: { items: unknown[] } }).data.items).toEqual([]);
    }

    // Public procedures, asked anonymously, tell nobody's things either (the seat map says only seat states).
    for (const [p] of Object.entries(ACCESS).filter(([p, a]) => a.who === "public" && procedures().get(p)!.type !== "subscription")) {
      const o = await attempt(as(null), p, validInput(p, world, b));
      counts.cases++;
      expect(o.ok, `${p} anonymously: ${describeOutcome(o)}`).toBe(true);
      const told = JSON.stringify(o.ok ? o.data : null);
      for (const secret of secretsOfA) expect(told.includes(secret), `${p} told an anonymous caller ${secret}`).toBe(false);
    }
  });

  it("private streams: a fan hears only their own place in the line, even with another fan's queue token; anonymous callers hear nothing", async () => {
    const lineId = (await makeConcert()).showtimes[0]!.id;
    // A line that does not move: no tick runs here, and it is paused besides.
    await updateSettings(redis(), lineId, { enabled: true, paused: true });
    const joined = (await as(fanA).waitingRoom.join({ showtimeId: lineId })) as { state: string; queueToken?: string };
    expect(joined.state).toBe("WAITING");
    const queueToken = joined.queueToken!;

    const own = await firstEvent(as(fanA), "waitingRoom.watch", { showtimeId: lineId });
    expect(own).toMatchObject({ ok: true, data: { state: "WAITING", position: 1 } });

    for (const input of [{ showtimeId: lineId }, { showtimeId: lineId, queueToken }]) {
      for (const other of [fanB, admin]) {
        await refusedAndUnchanged(
          `waitingRoom.watch by ${other === admin ? "an admin" : "another fan"}${input.queueToken ? " with the fan's queue token" : ""}`,
          async () => {
            const o = await firstEvent(as(other), "waitingRoom.watch", input);
            counts.cases++;
            const told = JSON.stringify(o.ok ? o.data : null);
            // Their own (empty) place, nothing of A's: no position, no token, no "place lost" to take over.
            const own =
              o.ok && (o.data as { state: string; placeLost?: boolean }).state === "NONE" && !(o.data as { placeLost?: boolean }).placeLost;
            return { refused: own && !secretsOfA.some((s) => told.includes(s)) && !told.includes(queueToken), detail: told };
          },
        );
        const status = await attempt(as(other), "waitingRoom.status", input);
        counts.cases++;
        expect(status).toMatchObject({ ok: true, data: { state: "NONE" } });
        expect((status as { data: { placeLost?: boolean } }).data.placeLost).toBeUndefined();
      }
    }
    // Joining with A's queue token gives B a place of B's own, behind A: the token restores nothing.
    const bJoined = await attempt(as(fanB), "waitingRoom.join", { showtimeId: lineId, queueToken });
    counts.cases++;
    expect(bJoined).toMatchObject({ ok: true, data: { state: "WAITING", position: 2 } });
    expect((bJoined as { data: { restored?: boolean } }).data.restored).toBeUndefined();
    expect(await firstEvent(as(fanA), "waitingRoom.watch", { showtimeId: lineId })).toMatchObject({
      ok: true,
      data: { state: "WAITING", position: 1 },
    });

    await refusedAndUnchanged("waitingRoom.watch anonymously", async () => {
      const o = await firstEvent(as(null), "waitingRoom.watch", { showtimeId: lineId });
      counts.cases++;
      return { refused: !o.ok && o.appCode === "UNAUTHENTICATED", detail: describeOutcome(o) };
    });

    // The public seat stream names seats and states only: no fan, hold or order.
    const seatStream = (await as(null).showtimes.seatChanges({ showtimeId: world.showtimeId }))[Symbol.asyncIterator]();
    try {
      expect((await seatStream.next()).value).toEqual({ kind: "ready", version: expect.any(Number) });
      const seat = await prisma().seat.findFirstOrThrow({
        where: { showtimeId: world.showtimeId, status: "AVAILABLE" },
        select: { id: true },
      });
      const held = await as(fanA).holds.create({ showtimeId: world.showtimeId, accessToken: tokens.get(fanA.id), seatIds: [seat.id] });
      const event = (await seatStream.next()).value as { kind: string; seats: unknown[] };
      counts.cases++;
      expect(event).toEqual({ kind: "seats", from: expect.any(Number), to: expect.any(Number), seats: [[seat.id, 1]] });
      expect(JSON.stringify(event)).not.toContain(held.holdId);
      await as(fanA).holds.release({ holdId: held.holdId });
    } finally {
      await seatStream.return?.();
    }
  });

  it("a partner key opens the partner API and nothing else; no fan's or admin's session opens the partner API", async () => {
    const prices = await partnerCall(world.showtimeId, partnerHeaders);
    expect(prices.status).toBe(200);
    for (const route of REST_ROUTES) {
      const access = ACCESS[route.procedure]!;
      if (access.who === "public") continue;
      const input = (validInput(route.procedure, world, thingsOf(fanB)) as Record<string, unknown> | undefined) ?? {};
      await refusedAndUnchanged(`${route.method} ${route.path} with a partner key`, async () => {
        const answer = await restCall(restRequest(route, input, partnerHeaders));
        counts.cases++;
        return { refused: answer.status === 401, detail: `${answer.status} ${JSON.stringify(answer.body)}` };
      });
      // The key as a bearer token is no session either.
      await refusedAndUnchanged(`${route.method} ${route.path} with the partner key as a bearer token`, async () => {
        const answer = await restCall(restRequest(route, input, { Authorization: `Bearer ${world.apiKey}` }));
        counts.cases++;
        return { refused: answer.status === 401, detail: `${answer.status} ${JSON.stringify(answer.body)}` };
      });
    }
    const forbidden = { detail: "You do not have permission to perform this action." };
    for (const who of [fanA, admin]) {
      const bearer = await bearerFor(who);
      const attempts: Record<string, string>[] = [
        { Authorization: `Bearer ${bearer}` },
        { Authorization: `Bearer ${bearer}`, Channel: `Code ${world.channelCode}` },
        { Authorization: `Token ${bearer}`, Channel: `Code ${world.channelCode}` },
      ];
      for (const headers of attempts) {
        const answer = await partnerCall(world.showtimeId, headers);
        counts.cases++;
        expect(
          answer,
          `partner API with ${who === admin ? "an admin's" : "a fan's"} session ${JSON.stringify(Object.keys(headers))}`,
        ).toMatchObject({ status: 403, body: forbidden });
      }
    }
    const anonymous = await partnerCall(world.showtimeId, {});
    counts.cases++;
    expect(anonymous).toMatchObject({ status: 403, body: forbidden });
  });

  it("admin-only procedures: fans are FORBIDDEN, anonymous callers UNAUTHENTICATED, nothing changes; the admin gets through", async () => {
    const adminPaths = Object.entries(ACCESS)
      .filter(([, a]) => a.who === "admin")
      .map(([p]) => p)
      // Revoking the partner's key and refunding go last; the rest do not depend on order.
      .sort((x, y) => Number(x.endsWith("revokeKey") || x.endsWith("refund")) - Number(y.endsWith("revokeKey") || y.endsWith("refund")));
    expect(adminPaths.length).toBeGreaterThan(20);
    // Admin procedures aim at a fan's things: B's order is still paid (A refunded theirs above).
    const target = thingsOf(fanB);
    for (const p of adminPaths) {
      expect(restRouteOf(p), `${p} must not be reachable over REST`).toBeUndefined();
      for (const fan of [fanA, fanB]) {
        await refusedAndUnchanged(`${p} by a fan`, async () => {
          const o = await attempt(as(fan), p, validInput(p, world, target));
          counts.cases++;
          return { refused: !o.ok && o.appCode === "FORBIDDEN", detail: describeOutcome(o) };
        });
      }
      await refusedAndUnchanged(`${p} anonymously`, async () => {
        const o = await attempt(as(null), p, validInput(p, world, target));
        counts.cases++;
        return { refused: !o.ok && o.appCode === "UNAUTHENTICATED", detail: describeOutcome(o) };
      });
      const o = await attempt(as(admin), p, validInput(p, world, target));
      counts.cases++;
      // A business refusal (a section with sold seats keeps its tier) is fine; a refused admin is not.
      expect(
        o.ok || !["FORBIDDEN", "UNAUTHENTICATED", "INTERNAL", "NOT_FOUND"].includes(o.appCode),
        `${p} by the admin: ${describeOutcome(o)}`,
      ).toBe(true);
      if (procedures().get(p)!.type === "query") expect(o.ok, `${p} by the admin: ${describeOutcome(o)}`).toBe(true);
    }
    // A demoted admin is refused at once: the role is read from the database, not the session.
    await prisma().user.update({ where: { id: admin.id }, data: { role: "USER" } });
    const demoted = await attempt(as(admin), "admin.whoami", undefined);
    expect(demoted.ok || demoted.appCode).toBe("FORBIDDEN");
    await prisma().user.update({ where: { id: admin.id }, data: { role: "ADMIN" } });
    counts.cases++;
    console.log(`authorization matrix: ${counts.cases} cases`);
  });
});
