// Attack: skipping the waiting room. For a showtime whose waiting room is on, every way of holding or
// paying without a valid, current access token of one's own (no token, expired, another showtime's or
// fan's, a queue token, unsigned, algorithm confusion, foreign keys, a tampered payload, a token replayed
// after the fan paid) is refused with 403 NOT_ADMITTED and its reason, through tRPC over HTTP and through
// REST, and the database is left exactly as it was.
import { createHash } from "node:crypto";
import { base64url, exportJWK, generateKeyPair, SignJWT } from "jose";
import { encode } from "next-auth/jwt";
import superjson from "superjson";
import { beforeAll, describe, expect, it, vi } from "vitest";

// Every attack below is a hold or checkout attempt by the same few fans, far more than the default
// 10 holds a minute per fan: the limiter (tested in bots.int.test.ts) is switched off here so the gate
// alone answers. Set before any module reads the environment.
vi.hoisted(() => {
  process.env.RATE_LIMITS = "off";
});

import { handleTrpcRequest } from "../../server/api/http.ts";
import { handleRestRequest, type RestError } from "../../server/api/rest/handler.ts";
import type { SessionUser } from "../../server/domain/auth/users.ts";
import { auditInvariants } from "../../server/domain/audit/invariants.ts";
import { rateLimits } from "../../server/domain/rate-limit/rate-limit.ts";
import { runAdmissionTick } from "../../server/domain/waiting-room/admission.ts";
import { wrKeys } from "../../server/domain/waiting-room/keys.ts";
import { getWaitingStatus, joinWaitingRoom } from "../../server/domain/waiting-room/queue.ts";
import { updateSettings } from "../../server/domain/waiting-room/settings.ts";
import { signAccessToken } from "../../server/domain/waiting-room/tokens.ts";
import { topUpWallet } from "../../server/domain/wallet/wallet.ts";
import { prisma } from "../../server/db.ts";
import { env } from "../../server/env.ts";
import { redis } from "../../server/redis.ts";
import { makeConcert, makeUser } from "../support/factories.ts";

type Fan = SessionUser;
type Refusal = { status: number; code: string | undefined; reason: unknown };

/** tRPC over HTTP, as the pages call it: the answer's status, app code and refusal reason. */
async function trpc(user: Fan, path: string, input: Record<string, unknown>): Promise<Refusal & { data?: unknown }> {
  const res = await handleTrpcRequest(
    new Request(`http://localhost/api/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": "198.51.100.7" },
      body: JSON.stringify(superjson.serialize(input)),
    }),
    async () => user,
  );
  const body = (await res.json()) as {
    error?: Parameters<typeof superjson.deserialize>[0];
    result?: { data: Parameters<typeof superjson.deserialize>[0] };
  };
  if (body.error) {
    const error = superjson.deserialize(body.error) as { data: { appCode: string; details?: { reason?: string } } };
    return { status: res.status, code: error.data.appCode, reason: error.data.details?.reason };
  }
  return { status: res.status, code: undefined, reason: undefined, data: superjson.deserialize(body.result!.data) };
}

/** REST, as an API client calls it: the access token in X-Access-Token. */
async function rest(user: Fan, method: string, path: string, body: unknown, accessToken: string | undefined): Promise<Refusal> {
  const req = new Request(`http://localhost/api/v1${path}`, {
    method,
    headers: {
      "content-type": "application/json",
      "x-forwarded-for": "198.51.100.8",
      ...(accessToken !== undefined ? { "x-access-token": accessToken } : {}),
    },
    body: JSON.stringify(body),
  });
  const res = await handleRestRequest(req, async () => user);
  const json = (await res.json()) as RestError;
  return { status: res.status, code: json.error?.code, reason: json.error?.details?.reason };
}

/** Everything a hold or checkout could change, for one showtime and a set of fans. */
async function snapshot(showtimeId: string, userIds: string[]) {
  const [holds, seats, orders, tickets, payments, ledger, wallets, active] = await Promise.all([
    prisma().hold.findMany({
      where: { showtimeId },
      orderBy: { id: "asc" },
      select: { id: true, status: true, heldUntil: true, extended: true, seatCount: true },
    }),
    prisma().seat.findMany({
      where: { showtimeId },
      orderBy: { id: "asc" },
      select: { id: true, status: true, holdId: true, heldUntil: true },
    }),
    prisma().order.findMany({ where: { showtimeId }, orderBy: { id: "asc" }, select: { id: true, status: true } }),
    prisma().ticket.count({ where: { seat: { showtimeId } } }),
    prisma().payment.count({ where: { userId: { in: userIds } } }),
    prisma().ledgerEntry.count({ where: { userId: { in: userIds } } }),
    prisma().wallet.findMany({ where: { userId: { in: userIds } }, orderBy: { id: "asc" }, select: { id: true, balanceMinor: true } }),
    redis().zrange(wrKeys(showtimeId).active, 0, -1),
  ]);
  return { holds, seats, orders, tickets, payments, ledger, wallets, active: active.sort() };
}

async function admit(showtimeId: string, userId: string) {
  await joinWaitingRoom({ showtimeId, userId });
  await runAdmissionTick(showtimeId);
  const status = await getWaitingStatus({ showtimeId, userId });
  if (status.state !== "READY") throw new Error(`expected READY, got ${status.state}`);
  return status.accessToken;
}

const asFan = (u: { id: string; email: string; name: string; role: "USER" | "ADMIN" }): Fan => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
});

/** The waiting-room key as tokens.ts derives it: used below only to show that a right key with a wrong algorithm is still refused. */
const derivedKey = () => createHash("sha256").update(`onsale-waiting-room:${env().AUTH_SECRET}`).digest();
const b64json = (o: unknown) => base64url.encode(JSON.stringify(o));

describe("waiting-room bypass", () => {
  let showtimeId: string;
  let otherShowtimeId: string;
  let fan: Fan; // admitted, holds seats, has money: the gate is all that stands between them and more
  let friend: Fan; // admitted too; their token is not the fan's
  let fanToken: string;
  let fanHoldId: string;
  let freeSeatIds: number[];
  let attacks: [name: string, token: string | undefined, reason: string][];

  beforeAll(async () => {
    expect(rateLimits()).toBe("off");
    const concert = await makeConcert({ showtimes: [{ inDays: 10 }, { inDays: 11 }] });
    showtimeId = concert.showtimes[0]!.id;
    otherShowtimeId = concert.showtimes[1]!.id;
    for (const id of [showtimeId, otherShowtimeId]) {
      await updateSettings(redis(), id, { enabled: true, batchSize: 100, maxActive: 1000, stockFactor: 100, accessSeconds: 600 });
    }
    fan = asFan(await makeUser());
    friend = asFan(await makeUser());

    // The fan queues: their queue token is one of the attacks.
    const joined = await joinWaitingRoom({ showtimeId, userId: fan.id });
    expect(joined.state).toBe("WAITING");
    const queueToken = joined.queueToken!;
    fanToken = await admit(showtimeId, fan.id);
    const friendToken = await admit(showtimeId, friend.id);
    const otherShowtimeToken = await admit(otherShowtimeId, fan.id);

    // A live hold of two seats, and money enough to pay for it many times over.
    const seats = await prisma().seat.findMany({ where: { showtimeId }, orderBy: { id: "asc" }, select: { id: true } });
    const held = await trpc(fan, "holds.create", { showtimeId, seatIds: [seats[0]!.id, seats[1]!.id], accessToken: fanToken });
    expect(held.status).toBe(200);
    fanHoldId = (held.data as { holdId: string }).holdId;
    freeSeatIds = seats.slice(2, 4).map((s) => s.id);
    await topUpWallet({ currency: "KRW", amountMinor: 2_000_000, idempotencyKey: `topup-${fan.id}` }, fan.id);

    const now = Math.floor(Date.now() / 1000);
    const claims = { st: showtimeId, typ: "access", sub: fan.id, iss: "onsale", aud: "onsale-waiting-room", iat: now, exp: now + 300 };
    const signed = (alg: string, header: Record<string, unknown> = {}) =>
      new SignJWT({ st: showtimeId, typ: "access" })
        .setProtectedHeader({ alg, ...header })
        .setSubject(fan.id)
        .setIssuer("onsale")
        .setAudience("onsale-waiting-room")
        .setIssuedAt()
        .setExpirationTime(now + 300);
    const rsa = await generateKeyPair("RS256");
    const ec = await generateKeyPair("ES256");
    const [friendHeader, , friendSignature] = friendToken.split(".");
    const expired = await signAccessToken({ userId: fan.id, showtimeId, expiresAt: new Date(Date.now() - 5_000) });
    const [expiredHeader, expiredPayload, expiredSignature] = expired.split(".");
    const stretched = { ...(JSON.parse(Buffer.from(expiredPayload!, "base64url").toString()) as object), exp: now + 300 };

    attacks = [
      ["no token", undefined, "missing-token"],
      ["an empty token", "", "missing-token"],
      ["an expired access token", expired, "expired"],
      ["a token for another showtime", otherShowtimeToken, "other-showtime"],
      ["another fan's token", friendToken, "other-user"],
      ["a queue token instead of an access token", queueToken, "wrong-token-type"],
      ["alg none, unsigned, same claims", `${b64json({ alg: "none", typ: "JWT" })}.${b64json(claims)}.`, "bad-algorithm"],
      ["alg none with a real token's signature", `${b64json({ alg: "none" })}.${b64json(claims)}.${friendSignature}`, "bad-algorithm"],
      ["HS384 with the server's own derived key", await signed("HS384").sign(derivedKey()), "bad-algorithm"],
      ["HS512 with the server's own derived key", await signed("HS512").sign(derivedKey()), "bad-algorithm"],
      [
        "RS256 by a fresh key pair, public key in the jwk header",
        await signed("RS256", { jwk: await exportJWK(rsa.publicKey) }).sign(rsa.privateKey),
        "bad-algorithm",
      ],
      [
        "ES256 by a fresh key pair, public key in the jwk header",
        await signed("ES256", { jwk: await exportJWK(ec.publicKey) }).sign(ec.privateKey),
        "bad-algorithm",
      ],
      ["HS256 signed with the raw AUTH_SECRET", await signed("HS256").sign(new TextEncoder().encode(env().AUTH_SECRET)), "bad-signature"],
      [
        "a next-auth session token of the fan",
        await encode({ token: { sub: fan.id, email: fan.email, name: fan.name, role: fan.role }, secret: env().AUTH_SECRET }),
        "malformed",
      ],
      [
        "another fan's token with its subject changed to the fan",
        `${friendHeader}.${b64json({ ...claims, iat: now })}.${friendSignature}`,
        "bad-signature",
      ],
      ["an expired token with its expiry pushed forward", `${expiredHeader}.${b64json(stretched)}.${expiredSignature}`, "bad-signature"],
      ["garbage", "not.a.jwt", "malformed"],
    ];
  });

  it("refuses every forged, foreign or stale token on every gated tRPC and REST call, and changes nothing", async () => {
    const before = await snapshot(showtimeId, [fan.id, friend.id]);
    let calls = 0;
    for (const [name, token, reason] of attacks) {
      const accessToken = token === undefined ? {} : { accessToken: token };
      const attempts: [string, Promise<Refusal>][] = [
        ["tRPC holds.create", trpc(fan, "holds.create", { showtimeId, seatIds: freeSeatIds, ...accessToken })],
        ["tRPC holds.bestAvailable", trpc(fan, "holds.bestAvailable", { showtimeId, quantity: 2, ...accessToken })],
        ["tRPC holds.extend", trpc(fan, "holds.extend", { showtimeId, holdId: fanHoldId, ...accessToken })],
        [
          "tRPC orders.checkout",
          trpc(fan, "orders.checkout", { showtimeId, holdId: fanHoldId, idempotencyKey: `pay-${calls}-${Date.now()}`, ...accessToken }),
        ],
        ["REST POST holds", rest(fan, "POST", `/showtimes/${showtimeId}/holds`, { seatIds: freeSeatIds }, token)],
        ["REST POST holds/best-available", rest(fan, "POST", `/showtimes/${showtimeId}/holds/best-available`, { quantity: 2 }, token)],
        ["REST POST holds/{id}/extension", rest(fan, "POST", `/showtimes/${showtimeId}/holds/${fanHoldId}/extension`, {}, token)],
        [
          "REST POST orders",
          rest(fan, "POST", `/showtimes/${showtimeId}/orders`, { holdId: fanHoldId, idempotencyKey: `pay-r${calls}-${Date.now()}` }, token),
        ],
      ];
      for (const [entry, attempt] of attempts) {
        calls++;
        expect(await attempt, `${name} → ${entry}`).toEqual({ status: 403, code: "NOT_ADMITTED", reason });
      }
      // The body may carry a token too (REST): a forged one there is refused the same way.
      if (token !== undefined) {
        calls++;
        expect(
          await rest(fan, "POST", `/showtimes/${showtimeId}/holds`, { seatIds: freeSeatIds, accessToken: token }, undefined),
          `${name} → REST body`,
        ).toEqual({
          status: 403,
          code: "NOT_ADMITTED",
          reason,
        });
      }
    }
    expect(calls).toBe(attacks.length * 8 + attacks.filter(([, t]) => t !== undefined).length);
    expect(await snapshot(showtimeId, [fan.id, friend.id])).toEqual(before);
    // Only the fan's legitimate hold exists; every other seat is still free.
    expect(await prisma().hold.count({ where: { showtimeId } })).toBe(1);
    expect(await prisma().seat.count({ where: { showtimeId, status: { not: "AVAILABLE" } } })).toBe(2);
  });

  it("lets the same calls through with the fan's own token (so the refusals above are the gate's, not a broken call)", async () => {
    const extended = await trpc(fan, "holds.extend", { showtimeId, holdId: fanHoldId, accessToken: fanToken });
    expect(extended).toMatchObject({ status: 200, code: undefined });
    const viaRest = await rest(fan, "POST", `/showtimes/${showtimeId}/holds`, { seatIds: freeSeatIds }, fanToken);
    expect(viaRest.status).toBe(201);
    expect(await prisma().hold.count({ where: { showtimeId, userId: fan.id, status: "ACTIVE" } })).toBe(2);
  });

  it("refuses the access token replayed after the fan paid: no new hold, no second payment, the other hold unpaid", async () => {
    const secondHold = await prisma().hold.findFirstOrThrow({
      where: { showtimeId, userId: fan.id, id: { not: fanHoldId } },
      select: { id: true },
    });
    const paid = await trpc(fan, "orders.checkout", {
      showtimeId,
      holdId: fanHoldId,
      idempotencyKey: `pay-first-${fan.id}`,
      accessToken: fanToken,
    });
    expect(paid).toMatchObject({ status: 200, data: { charged: true } });
    // Paying ended the fan's turn.
    expect(await redis().zscore(wrKeys(showtimeId).active, fan.id)).toBeNull();

    const before = await snapshot(showtimeId, [fan.id, friend.id]);
    const seat = (
      await prisma().seat.findFirstOrThrow({ where: { showtimeId, status: "AVAILABLE" }, orderBy: { id: "asc" }, select: { id: true } })
    ).id;
    const replays: [string, Promise<Refusal>][] = [
      ["tRPC holds.create", trpc(fan, "holds.create", { showtimeId, seatIds: [seat], accessToken: fanToken })],
      ["tRPC holds.bestAvailable", trpc(fan, "holds.bestAvailable", { showtimeId, quantity: 1, accessToken: fanToken })],
      ["tRPC holds.extend", trpc(fan, "holds.extend", { showtimeId, holdId: secondHold.id, accessToken: fanToken })],
      [
        "tRPC orders.checkout (the other hold)",
        trpc(fan, "orders.checkout", { showtimeId, holdId: secondHold.id, idempotencyKey: `pay-2-${fan.id}`, accessToken: fanToken }),
      ],
      ["REST POST holds", rest(fan, "POST", `/showtimes/${showtimeId}/holds`, { seatIds: [seat] }, fanToken)],
      [
        "REST POST orders (the other hold)",
        rest(fan, "POST", `/showtimes/${showtimeId}/orders`, { holdId: secondHold.id, idempotencyKey: `pay-3-${fan.id}` }, fanToken),
      ],
    ];
    for (const [entry, attempt] of replays) {
      expect(await attempt, entry).toEqual({ status: 403, code: "NOT_ADMITTED", reason: "not-active" });
    }
    // Retrying the payment itself with its key answers the first order and charges nothing.
    const retried = await trpc(fan, "orders.checkout", {
      showtimeId,
      holdId: fanHoldId,
      idempotencyKey: `pay-first-${fan.id}`,
      accessToken: fanToken,
    });
    expect(retried).toMatchObject({ status: 200, data: { charged: false, orderId: (paid.data as { orderId: string }).orderId } });

    expect(await snapshot(showtimeId, [fan.id, friend.id])).toEqual(before);
    expect(await prisma().order.count({ where: { showtimeId } })).toBe(1);
    expect(await prisma().seat.count({ where: { showtimeId, holdId: secondHold.id, status: "HELD" } })).toBe(2);
    expect((await auditInvariants(prisma(), { showtimeId })).ok).toBe(true);
  });
});
