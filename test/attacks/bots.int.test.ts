// Attack: bots. One account, one address and one partner key each fire hundreds of parallel requests
// past their rate: exactly the limit gets through, the rest answer 429 RATE_LIMITED with Retry-After and
// X-RateLimit-* and do nothing. And one account firing hundreds of parallel holds (different seats,
// several addresses) never ends up with more seats than the per-user cap, read back from the database,
// with the auditor's "per-user limit kept" clean; a control with the per-user lock off shows the same
// kind of burst does break the cap, and the auditor says so.
import superjson from "superjson";
import { describe, expect, it, vi } from "vitest";

// Small limits so a burst of a few hundred crosses them, and a holds limit high enough that only the
// seat cap stops the hold burst. Set before any module reads the environment (env() is read once).
const LIMITS = vi.hoisted(() => {
  const limits = { default: { perUser: 40, perIp: 120 }, holds: { perUser: 2_000, perIp: 2_000 }, partner: { perUser: 50 } };
  process.env.RATE_LIMITS = JSON.stringify(limits);
  return limits;
});

import { handleTrpcRequest } from "../../server/api/http.ts";
import { handlePartnerPrice, PARTNER_BODIES } from "../../server/api/partner.ts";
import { handleRestRequest, type RestError } from "../../server/api/rest/handler.ts";
import { createCaller } from "../../server/api/root.ts";
import { createContext } from "../../server/api/trpc.ts";
import type { SessionUser } from "../../server/domain/auth/users.ts";
import { auditInvariants } from "../../server/domain/audit/invariants.ts";
import { createChannel, issueApiKey } from "../../server/domain/channels/channels.ts";
import { holdSeats } from "../../server/domain/holds/holds.ts";
import { rateLimits } from "../../server/domain/rate-limit/rate-limit.ts";
import { runAdmissionTick } from "../../server/domain/waiting-room/admission.ts";
import { getWaitingStatus, joinWaitingRoom } from "../../server/domain/waiting-room/queue.ts";
import { updateSettings } from "../../server/domain/waiting-room/settings.ts";
import { topUpWallet } from "../../server/domain/wallet/wallet.ts";
import { MAX_CARDS } from "../../server/domain/payments/methods.ts";
import { DEFAULT_LIMITS } from "../../server/domain/rate-limit/limits.ts";
import { prisma } from "../../server/db.ts";
import { redis } from "../../server/redis.ts";
import { makeConcert, makeFans, makeUser, uniq } from "../support/factories.ts";
import { lockSeatsApart } from "../support/races.ts";

const fanOf = (id: string): SessionUser => ({ id, email: `${id}@example.test`, name: "Bot", role: "USER" });

/** A distinct documentation address per call (so only the account's limit can bind), or a fixed one. */
let ipCounter = 0;
const freshIp = () => {
  ipCounter++;
  return `198.18.${Math.floor(ipCounter / 250) % 250}.${(ipCounter % 250) + 1}`;
};

type Answer = { status: number; code: string | undefined; headers: Headers };

async function restTopUp(user: SessionUser, ip: string, key: string): Promise<Answer> {
  const req = new Request("http://localhost/api/v1/wallet/top-ups", {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": ip },
    body: JSON.stringify({ currency: "KRW", amountMinor: 1_000, idempotencyKey: key }),
  });
  const res = await handleRestRequest(req, async () => user);
  const body = (await res.json()) as Partial<RestError>;
  return { status: res.status, code: body.error?.code, headers: res.headers };
}

async function trpcTopUp(user: SessionUser, ip: string, key: string): Promise<Answer> {
  const req = new Request("http://localhost/api/trpc/wallet.topUp", {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": ip },
    body: JSON.stringify(superjson.serialize({ currency: "KRW", amountMinor: 1_000, idempotencyKey: key })),
  });
  const res = await handleTrpcRequest(req, async () => user);
  const body = (await res.json()) as { error?: Parameters<typeof superjson.deserialize>[0] };
  const code = body.error ? (superjson.deserialize(body.error) as { data: { appCode: string } }).data.appCode : undefined;
  return { status: res.status, code, headers: res.headers };
}

/** The shape every refusal shares: 429 RATE_LIMITED, Retry-After within the window, X-RateLimit-* of the limit that bit. */
function expectRateLimited(answers: Answer[], limit: number) {
  for (const a of answers) {
    expect(a.status).toBe(429);
    expect(a.code).toBe("RATE_LIMITED");
    const retryAfter = Number(a.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(a.headers.get("x-ratelimit-limit")).toBe(String(limit));
    expect(a.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(Number(a.headers.get("x-ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000 - 1);
  }
}

const creditsOf = (userIds: string[]) => prisma().ledgerEntry.count({ where: { userId: { in: userIds }, type: "CHARGE" } });

describe("rate limits under a parallel burst", () => {
  it("run with the limits this file sets through RATE_LIMITS", () => {
    expect(rateLimits()).toMatchObject(LIMITS);
  });

  it("one account: 300 parallel top-ups from 300 addresses over REST and tRPC, exactly the account's 40 credited", async () => {
    const [id] = await makeFans(1);
    const bot = fanOf(id!);
    // The wallet exists before the burst (straight through the domain, not counted).
    await topUpWallet({ currency: "KRW", amountMinor: 1_000, idempotencyKey: uniq("seed") }, bot.id);
    const creditsBefore = await creditsOf([bot.id]);

    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, i) => (i % 2 ? restTopUp : trpcTopUp)(bot, freshIp(), `burst-${bot.id}-${i}`)),
    );
    const ok = answers.filter((a) => a.status === 200 || a.status === 201);
    const refused = answers.filter((a) => a.status !== 200 && a.status !== 201);
    expect(ok).toHaveLength(LIMITS.default.perUser);
    expect(refused).toHaveLength(300 - LIMITS.default.perUser);
    expectRateLimited(refused, LIMITS.default.perUser);
    // Each call that got through counted once: the remaining counts it saw are 39, 38, … 0, once each.
    expect(ok.map((a) => Number(a.headers.get("x-ratelimit-remaining"))).sort((a, b) => a - b)).toEqual(
      Array.from({ length: LIMITS.default.perUser }, (_, i) => i),
    );
    // What was refused did nothing: one credit per call let through.
    expect(await creditsOf([bot.id])).toBe(creditsBefore + LIMITS.default.perUser);
    expect((await prisma().wallet.findFirstOrThrow({ where: { userId: bot.id } })).balanceMinor).toBe(1_000 * (1 + LIMITS.default.perUser));
  });

  it("one address: 300 parallel top-ups by 10 accounts (30 each, under their own limit), exactly the address's 120 credited", async () => {
    const ids = await makeFans(10);
    for (const id of ids) await topUpWallet({ currency: "KRW", amountMinor: 1_000, idempotencyKey: uniq("seed") }, id);
    const creditsBefore = await creditsOf(ids);
    const ip = freshIp();

    const answers = await Promise.all(Array.from({ length: 300 }, (_, i) => restTopUp(fanOf(ids[i % 10]!), ip, `ip-burst-${i}-${ip}`)));
    const ok = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status !== 201);
    expect(ok).toHaveLength(LIMITS.default.perIp);
    expectRateLimited(refused, LIMITS.default.perIp);
    expect(await creditsOf(ids)).toBe(creditsBefore + LIMITS.default.perIp);
  });

  it("one partner key: 300 parallel price requests, exactly the key's 50 answered, the rest throttled in the partner's format", async () => {
    const admin = await makeUser({ role: "ADMIN" });
    const code = uniq("bots");
    const channel = await createChannel({ code, name: "Bot partner" }, admin.id);
    const { key } = await issueApiKey({ channelId: channel.id, name: "feed" }, admin.id);
    const productId = (await makeConcert()).showtimes[0]!.id;
    const call = async () => {
      // Every call from its own address: the partner limit is per key, whatever the address.
      const req = new Request(`http://localhost/v1/channel/price/ticket/${productId}`, {
        headers: { Authorization: `Token ${key}`, Channel: `Code ${code}`, "x-forwarded-for": freshIp() },
      });
      const res = await handlePartnerPrice(req, productId);
      return { status: res.status, headers: res.headers, body: await res.text() };
    };

    const answers = await Promise.all(Array.from({ length: 300 }, call));
    const ok = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status !== 200);
    expect(ok).toHaveLength(LIMITS.partner.perUser);
    expect(ok.every((a) => a.headers.get("x-ratelimit-limit") === String(LIMITS.partner.perUser))).toBe(true);
    for (const a of refused) {
      expect(a.status).toBe(429);
      const seconds = Number(a.headers.get("retry-after"));
      expect(seconds).toBeGreaterThanOrEqual(1);
      expect(a.body).toBe(JSON.stringify(PARTNER_BODIES.tooMany(seconds)));
      expect(a.headers.get("x-ratelimit-limit")).toBe(String(LIMITS.partner.perUser));
      expect(a.headers.get("x-ratelimit-remaining")).toBe("0");
    }
  });

  it("one account: 60 parallel card saves from 60 addresses, exactly the cards class's limit reach the processor", async () => {
    const [id] = await makeFans(1);
    const bot = fanOf(id!);
    const { perUser } = DEFAULT_LIMITS.cards;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) =>
        createCaller(createContext({ user: bot, ip: freshIp() })).paymentMethods.add({
          token: "tok_visa",
          idempotencyKey: uniq(`card-${i}`),
        }),
      ),
    );
    const codes = outcomes.map((o) => (o.status === "fulfilled" ? "OK" : String((o.reason as { cause?: { code?: string } }).cause?.code)));
    const count = (code: string) => codes.filter((c) => c === code).length;
    // Past the limit nothing is tried at the processor; within it, a fan keeps at most MAX_CARDS.
    expect(count("RATE_LIMITED")).toBe(60 - perUser);
    expect(count("OK")).toBe(MAX_CARDS);
    expect(count("LIMIT_EXCEEDED")).toBe(perUser - MAX_CARDS);
    expect(await prisma().paymentMethod.count({ where: { userId: bot.id } })).toBe(MAX_CARDS);
  });
});

describe("the per-user seat cap under a parallel hold burst", () => {
  const IPS = ["203.0.113.10", "203.0.113.11", "203.0.113.12", "198.51.100.20", "198.51.100.21", "192.0.2.30"];

  /** A showtime with the waiting room on and 240 seats, and one fan admitted to it. */
  async function onSale() {
    const concert = await makeConcert({ layout: { rows: 10, seatsPerRow: 12 } });
    const showtimeId = concert.showtimes[0]!.id;
    await updateSettings(redis(), showtimeId, { enabled: true, batchSize: 100, maxActive: 1000, stockFactor: 100 });
    const seatIds = (await prisma().seat.findMany({ where: { showtimeId }, orderBy: { id: "asc" }, select: { id: true } })).map(
      (s) => s.id,
    );
    const [perUserLimit] = [
      (await prisma().showtime.findUniqueOrThrow({ where: { id: showtimeId }, select: { perUserLimit: true } })).perUserLimit,
    ];
    return { showtimeId, seatIds, perUserLimit };
  }

  async function admit(showtimeId: string, userId: string) {
    await joinWaitingRoom({ showtimeId, userId });
    await runAdmissionTick(showtimeId);
    const status = await getWaitingStatus({ showtimeId, userId });
    if (status.state !== "READY") throw new Error(`expected READY, got ${status.state}`);
    return status.accessToken;
  }

  /** What the fan has in the showtime, from the database: seats of live holds plus valid tickets. */
  async function seatsOf(showtimeId: string, userId: string) {
    const [held, bought] = await Promise.all([
      prisma().seat.count({ where: { showtimeId, status: "HELD", heldUntil: { gt: new Date() }, hold: { userId, status: "ACTIVE" } } }),
      prisma().ticket.count({ where: { ownerId: userId, status: "VALID", seat: { showtimeId } } }),
    ]);
    return { held, bought, total: held + bought };
  }

  /** n parallel one-seat holds through the router, alternating hand-picked and best-available, spread over the addresses. */
  async function burst(fan: SessionUser, showtimeId: string, accessToken: string, seatIds: number[], n: number) {
    const outcomes = await Promise.allSettled(
      Array.from({ length: n }, (_, i) => {
        const api = createCaller(createContext({ user: fan, ip: IPS[i % IPS.length]!, client: i % 3 === 0 ? "api" : "web" }));
        return i % 4 === 3
          ? api.holds.bestAvailable({ showtimeId, quantity: 1, accessToken })
          : api.holds.create({ showtimeId, seatIds: [seatIds[i % seatIds.length]!], accessToken });
      }),
    );
    const codes = outcomes.map((o) =>
      o.status === "fulfilled" ? "OK" : String((o.reason as { cause?: { code?: string } }).cause?.code ?? o.reason),
    );
    return {
      ok: codes.filter((c) => c === "OK").length,
      codes: [...new Set(codes.filter((c) => c !== "OK"))].sort(),
      limited: codes.filter((c) => c === "LIMIT_EXCEEDED").length,
    };
  }

  it("holds exactly the cap from 240 parallel holds, then after a release and a payment tops up to the cap again, never past it", async () => {
    const { showtimeId, seatIds, perUserLimit } = await onSale();
    expect(perUserLimit).toBe(8);
    const [id] = await makeFans(1);
    const fan = fanOf(id!);
    const token = await admit(showtimeId, fan.id);

    const first = await burst(fan, showtimeId, token, seatIds, 240);
    expect(first.ok).toBe(perUserLimit);
    // The rest were refused for the cap (or, for a few, because the fan's own racing hold took that seat).
    expect(first.codes.every((c) => c === "LIMIT_EXCEEDED" || c === "SEATS_UNAVAILABLE")).toBe(true);
    expect(first.limited).toBeGreaterThan(200);
    expect(await seatsOf(showtimeId, fan.id)).toEqual({ held: perUserLimit, bought: 0, total: perUserLimit });
    const holdsByIp = await prisma().hold.groupBy({ by: ["ip"], where: { showtimeId, userId: fan.id }, _count: true });
    expect(holdsByIp.reduce((n, g) => n + g._count, 0)).toBe(perUserLimit);

    // Release three holds and pay for one: 1 bought + 4 held. Paying ends the fan's turn, so they queue again.
    const holds = await prisma().hold.findMany({
      where: { showtimeId, userId: fan.id, status: "ACTIVE" },
      orderBy: { createdAt: "asc" },
      select: { id: true },
    });
    const api = createCaller(createContext({ user: fan, ip: IPS[0]! }));
    for (const h of holds.slice(0, 3)) await api.holds.release({ holdId: h.id });
    await topUpWallet({ currency: "KRW", amountMinor: 1_000_000, idempotencyKey: uniq("money") }, fan.id);
    await api.orders.checkout({ showtimeId, holdId: holds[3]!.id, idempotencyKey: uniq("pay"), accessToken: token });
    expect(await seatsOf(showtimeId, fan.id)).toEqual({ held: 4, bought: 1, total: 5 });
    const again = await admit(showtimeId, fan.id);

    const free = (
      await prisma().seat.findMany({ where: { showtimeId, status: "AVAILABLE" }, orderBy: { id: "desc" }, select: { id: true } })
    ).map((s) => s.id);
    const second = await burst(fan, showtimeId, again, free, 200);
    expect(second.ok).toBe(perUserLimit - 5);
    expect(second.codes.every((c) => c === "LIMIT_EXCEEDED" || c === "SEATS_UNAVAILABLE")).toBe(true);
    expect(await seatsOf(showtimeId, fan.id)).toEqual({ held: perUserLimit - 1, bought: 1, total: perUserLimit });

    const audit = await auditInvariants(prisma(), { showtimeId });
    expect(audit.checks.find((c) => c.name === "per-user limit kept")).toMatchObject({ ok: true, violations: 0 });
    expect(audit.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it("control: the same kind of burst with the per-user lock switched off does go past the cap (so the burst really races)", async () => {
    const { showtimeId, seatIds, perUserLimit } = await onSale();
    const [id] = await makeFans(1);
    // Straight to the domain function with the test-only switch, the seats locked apart: every claim the
    // pool runs counts the fan's seats before any of them writes, as unlocked racers would in a real surge.
    const lock = await lockSeatsApart(seatIds.slice(0, 40));
    const racing = Promise.allSettled(
      Array.from({ length: 40 }, (_, i) =>
        holdSeats(
          { showtimeId, seatIds: [seatIds[i]!] },
          { userId: id!, client: "web", ip: IPS[i % IPS.length]! },
          { protections: { userLock: false } },
        ),
      ),
    );
    await lock.queued(10);
    await lock.release();
    const outcomes = await racing;
    expect(outcomes.filter((o) => o.status === "fulfilled").length).toBeGreaterThan(perUserLimit);
    expect((await seatsOf(showtimeId, id!)).total).toBeGreaterThan(perUserLimit);
    // The auditor is the witness: it names the broken cap.
    const audit = await auditInvariants(prisma(), { showtimeId });
    expect(audit.checks.find((c) => c.name === "per-user limit kept")).toMatchObject({ ok: false, violations: 1 });
  });
});
