// Idle shoppers give their slot back: admitted fans with no hold who do nothing gated for the showtime's
// idle time are released by the admission tick, are told why, and may take their place back once. Real
// Redis and PostgreSQL; the race runs hundreds of hold attempts through the real gate against releases.
import { describe, expect, it } from "vitest";
import { createCaller } from "../../api/root.ts";
import { createContext } from "../../api/trpc.ts";
import { prisma } from "../../db.ts";
import { redis } from "../../redis.ts";
import { makeConcert, makeFans } from "../../../test/support/factories.ts";
import { releaseIdleShoppers, runAdmissionTick } from "./admission.ts";
import { assertAdmitted } from "./gate.ts";
import { wrKeys } from "./keys.ts";
import { getWaitingStatus, joinWaitingRoom, leaveWaitingRoom, reclaimPlace } from "./queue.ts";
import { runIdle, runRelease } from "./scripts.ts";
import { updateSettings, type TWaitingRoomSettingsInput } from "./settings.ts";

const IDLE_S = 60;

async function showtime(settings: TWaitingRoomSettingsInput = {}, layout?: { rows: number; seatsPerRow: number }) {
  const id = (await makeConcert({ layout })).showtimes[0]!.id;
  await updateSettings(redis(), id, { batchSize: 100, maxActive: 10_000, stockFactor: 100, idleSeconds: IDLE_S, ...settings });
  return id;
}

/** Admits `users` (in order) and returns their access tokens. */
async function admit(showtimeId: string, users: string[]): Promise<string[]> {
  for (const u of users) await joinWaitingRoom({ showtimeId, userId: u });
  await runAdmissionTick(showtimeId);
  return Promise.all(
    users.map(async (u) => {
      const s = await getWaitingStatus({ showtimeId, userId: u });
      if (s.state !== "READY") throw new Error(`${u} not admitted: ${s.state}`);
      return s.accessToken;
    }),
  );
}

/** As if the fans last did anything gated `seconds` ago (Redis keeps the time of each fan's last gated call). */
async function idleFor(showtimeId: string, users: string[], seconds: number) {
  const at = Date.now() - seconds * 1000;
  for (const u of users) await redis().zadd(wrKeys(showtimeId).touched, "XX", at, u);
}

async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string; details?: Record<string, unknown> };
  }
  throw new Error("expected a refusal");
}

const isActive = async (showtimeId: string, u: string) => (await redis().zscore(wrKeys(showtimeId).active, u)) !== null;

describe("idle release", () => {
  it("releases only idle fans with no hold, and the freed slots admit the next fans in the same tick", async () => {
    const id = await showtime({ maxActive: 4 });
    const [idle, holder, busy, fresh, ...waiting] = await makeFans(7);
    const [, holderToken] = await admit(id, [idle!, holder!, busy!, fresh!]);
    for (const u of waiting) await joinWaitingRoom({ showtimeId: id, userId: u });

    const seat = await prisma().seat.findFirstOrThrow({ where: { showtimeId: id }, orderBy: { id: "asc" }, select: { id: true } });
    const api = createCaller(createContext({ user: { id: holder!, email: `${holder}@example.test`, name: "Holder", role: "USER" } }));
    await api.holds.create({ showtimeId: id, seatIds: [seat.id], accessToken: holderToken });
    await idleFor(id, [idle!, holder!, busy!], IDLE_S + 1);
    await idleFor(id, [fresh!], IDLE_S - 5);
    // `busy` opened the seat map just now: the gate marks them active.
    const busyToken = (await getWaitingStatus({ showtimeId: id, userId: busy! })) as { accessToken: string };
    await assertAdmitted({ accessToken: busyToken.accessToken, userId: busy!, showtimeId: id });

    const tick = await runAdmissionTick(id);
    expect(tick).toMatchObject({ released: 1, admitted: 1, active: 4, waiting: 2 });
    expect(await isActive(id, idle!)).toBe(false);
    for (const u of [holder!, busy!, fresh!, waiting[0]!]) expect(await isActive(id, u)).toBe(true);
    // The holder counts as active from this look on: their next check is a whole idle time away.
    expect(await runIdle(redis(), wrKeys(id))).toEqual([]);
  });

  it("tells the released fan why, gives their place back once at the head of the line, and not twice", async () => {
    const id = await showtime({ maxActive: 1, batchSize: 1 });
    const [fan, next, later, stranger] = await makeFans(4);
    const [token] = await admit(id, [fan!]);
    await joinWaitingRoom({ showtimeId: id, userId: next! });
    await joinWaitingRoom({ showtimeId: id, userId: later! });

    await idleFor(id, [fan!], IDLE_S + 1);
    expect(await runAdmissionTick(id)).toMatchObject({ released: 1, admitted: 1 });
    expect(await refusal(assertAdmitted({ accessToken: token, userId: fan!, showtimeId: id }))).toMatchObject({
      code: "NOT_ADMITTED",
      details: { reason: "idle", reclaimable: true },
    });
    expect(await getWaitingStatus({ showtimeId: id, userId: fan! })).toEqual({
      state: "NONE",
      showtimeId: id,
      released: { reclaimable: true },
    });

    // Back in line ahead of `later`, who arrived after the fan was admitted; `next` holds the only slot.
    const back = await reclaimPlace({ showtimeId: id, userId: fan! });
    expect(back).toMatchObject({ state: "WAITING", position: 1, queueSize: 2 });
    expect(back.queueToken).toEqual(expect.any(String));
    expect(await getWaitingStatus({ showtimeId: id, userId: later! })).toMatchObject({ state: "WAITING", position: 2 });
    await idleFor(id, [next!], IDLE_S + 1);
    expect(await runAdmissionTick(id)).toMatchObject({ released: 1, admitted: 1 });
    expect(await getWaitingStatus({ showtimeId: id, userId: fan! })).toMatchObject({ state: "READY" });

    // Idle again: released, but the one give-back is spent.
    await idleFor(id, [fan!], IDLE_S + 1);
    await runAdmissionTick(id);
    expect(await getWaitingStatus({ showtimeId: id, userId: fan! })).toMatchObject({ released: { reclaimable: false } });
    expect(await refusal(reclaimPlace({ showtimeId: id, userId: fan! }))).toMatchObject({ code: "CONFLICT" });
    // `later` took the freed slot: a take-back answers their access as it is; a fan never released has none.
    expect(await reclaimPlace({ showtimeId: id, userId: later! })).toMatchObject({ state: "READY" });
    expect(await refusal(reclaimPlace({ showtimeId: id, userId: stranger! }))).toMatchObject({ code: "CONFLICT" });
    // Leaving gives the kept place up; a join is then an ordinary one, at the back.
    await leaveWaitingRoom({ showtimeId: id, userId: fan! });
    expect(await getWaitingStatus({ showtimeId: id, userId: fan! })).toEqual({ state: "NONE", showtimeId: id });
  });

  it("spares a fan who passed the gate between the look for idle fans and the release", async () => {
    const id = await showtime();
    const [quiet, back] = await makeFans(2);
    const [, token] = await admit(id, [quiet!, back!]);
    await idleFor(id, [quiet!, back!], IDLE_S + 1);
    const idle = await runIdle(redis(), wrKeys(id));
    expect(idle.sort()).toEqual([quiet!, back!].sort());
    await assertAdmitted({ accessToken: token!, userId: back!, showtimeId: id });
    expect(await runRelease(redis(), wrKeys(id), [], idle)).toEqual([quiet!]);
    expect(await isActive(id, back!)).toBe(true);
  });

  it("never releases while idle release is off, and drops the marks of fans whose access ended", async () => {
    const id = await showtime({ idleSeconds: 0, accessSeconds: 30 });
    const [fan, paid] = await makeFans(2);
    await admit(id, [fan!, paid!]);
    await idleFor(id, [fan!], 3600);
    await redis().zrem(wrKeys(id).active, paid!); // paid: access revoked
    await idleFor(id, [paid!], 31);
    expect(await releaseIdleShoppers(id)).toEqual([]);
    expect(await isActive(id, fan!)).toBe(true);
    expect(await redis().zscore(wrKeys(id).touched, paid!)).toBeNull();
    expect(await redis().hget(wrKeys(id).admitted, paid!)).toBeNull();
  });

  it("refuses an idle time the admin cannot mean, and changes nothing", async () => {
    const id = await showtime();
    await expect(updateSettings(redis(), id, { idleSeconds: 5 })).rejects.toThrow(/at least 15 seconds/);
    expect((await prisma().showtime.findUniqueOrThrow({ where: { id }, select: { wrIdleSeconds: true } })).wrIdleSeconds).toBe(IDLE_S);
  });
});

describe("race: hold attempts through the gate against idle releases", () => {
  const FANS = 240;

  /**
   * Every fan is idle; each tries to hold a seat of their own through the real gate while releases run
   * over and over. Returns the fans who ended with a live hold but no slot.
   */
  async function race(release: (showtimeId: string) => Promise<unknown>) {
    const id = await showtime({ batchSize: 1000 }, { rows: 12, seatsPerRow: 10 });
    const fans = await makeFans(FANS);
    const tokens = await admit(id, fans);
    await idleFor(id, fans, IDLE_S + 1);
    const seats = await prisma().seat.findMany({ where: { showtimeId: id }, orderBy: { id: "asc" }, select: { id: true } });
    let done = false;
    const releases = (async () => {
      while (!done) await release(id);
    })();
    await Promise.allSettled(
      fans.map((u, i) =>
        createCaller(
          createContext({ user: { id: u, email: `${u}@example.test`, name: u, role: "USER" }, ip: `10.9.${i >> 8}.${i & 255}` }),
        ).holds.create({
          showtimeId: id,
          seatIds: [seats[i % seats.length]!.id],
          accessToken: tokens[i]!,
        }),
      ),
    );
    done = true;
    await releases;
    await release(id);
    const holders = await prisma().hold.findMany({ where: { showtimeId: id, status: "ACTIVE" }, select: { userId: true } });
    expect(holders.length).toBeGreaterThan(0);
    const stranded: string[] = [];
    for (const h of holders) if (!(await isActive(id, h.userId))) stranded.push(h.userId);
    return stranded;
  }

  it("never releases a fan who holds seats", async () => {
    expect(await race((id) => releaseIdleShoppers(id))).toEqual([]);
  });

  it("control: a release that trusts its first look strands fans who took a hold meanwhile", async () => {
    // The straw man: read who is idle and who holds seats, then drop the idle non-holders without the
    // release script's second look at their last gated call.
    const trusting = async (id: string) => {
      const keys = wrKeys(id);
      const idle = await runIdle(redis(), keys);
      const holding = new Set(
        (await prisma().hold.findMany({ where: { showtimeId: id, userId: { in: idle }, status: "ACTIVE" }, select: { userId: true } })).map(
          (h) => h.userId,
        ),
      );
      await new Promise((r) => setTimeout(r, 5));
      for (const u of idle) if (!holding.has(u)) await redis().zrem(keys.active, u);
    };
    expect((await race(trusting)).length).toBeGreaterThan(0);
  });
});
