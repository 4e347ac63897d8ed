// The waiting room against real Redis and PostgreSQL: exact positions, idempotent and racing joins,
// admission within stock, the verifiable pre-queue, and the gate.
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { createCaller } from "../../api/root.ts";
import { createContext } from "../../api/trpc.ts";
import { prisma } from "../../db.ts";
import { redis } from "../../redis.ts";
import { holdSeatsDirectly, makeConcert, uniq } from "../../../test/support/factories.ts";
import { barrier } from "../../../test/support/races.ts";
import { runAdmissionTick } from "./admission.ts";
import { onWaitingRoomEvent } from "./events.ts";
import { commitmentOf, entryIdOf, shuffleEntries } from "./fairness.ts";
import { wrKeys } from "./keys.ts";
import { getFairnessProof, getWaitingStatus, joinWaitingRoom, leaveWaitingRoom, revokeAccess } from "./queue.ts";
import { updateSettings, type TWaitingRoomSettingsInput } from "./settings.ts";
import { signAccessToken, signQueueToken } from "./tokens.ts";

const fans = (n: number) => Array.from({ length: n }, (_, i) => `${uniq("fan")}-${String(i).padStart(4, "0")}`);

async function showtime(settings: TWaitingRoomSettingsInput = {}, opts: Parameters<typeof makeConcert>[0] = {}) {
  const concert = await makeConcert(opts);
  const id = concert.showtimes[0]!.id;
  await updateSettings(redis(), id, { batchSize: 100, maxActive: 10_000, stockFactor: 100, ...settings });
  return id;
}

async function position(showtimeId: string, userId: string) {
  const s = await getWaitingStatus({ showtimeId, userId });
  return s.state === "WAITING" ? s.position : s.state;
}

async function errorOf(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string; details?: Record<string, unknown> };
  }
  throw new Error("expected a failure");
}

describe("join, status, leave", () => {
  it("gives exact positions, and after k admissions every remaining fan moves up by exactly k", async () => {
    const id = await showtime({ batchSize: 5 });
    const users = fans(20);
    for (const u of users) await joinWaitingRoom({ showtimeId: id, userId: u });
    expect(await Promise.all(users.map((u) => position(id, u)))).toEqual(users.map((_, i) => i + 1));

    const tick = await runAdmissionTick(id);
    expect(tick.admitted).toBe(5);
    const after = await Promise.all(users.map((u) => getWaitingStatus({ showtimeId: id, userId: u })));
    expect(after.slice(0, 5).map((s) => s.state)).toEqual(Array(5).fill("READY"));
    expect(after.slice(5).map((s) => (s.state === "WAITING" ? s.position : -1))).toEqual(users.slice(5).map((_, i) => i + 1));
    expect(after[19]).toMatchObject({ state: "WAITING", ahead: 14, queueSize: 15 });
  });

  it("keeps one place per account: joining again returns the same place", async () => {
    const id = await showtime();
    const [a, b] = fans(2);
    const first = await joinWaitingRoom({ showtimeId: id, userId: a! });
    await joinWaitingRoom({ showtimeId: id, userId: b! });
    const again = await joinWaitingRoom({ showtimeId: id, userId: a! });
    expect(first).toMatchObject({ state: "WAITING", position: 1 });
    expect(again).toMatchObject({ state: "WAITING", position: 1, queueSize: 2 });
    expect(await redis().zcard(wrKeys(id).waiting)).toBe(2);
  });

  it("a join is one Redis round trip, and its answer is the same status a status call then reads", async () => {
    const id = await showtime();
    const [first, second] = fans(2);
    // Its own connection, watched as it talks (the script is loaded on this connection's first call).
    const client = redis().duplicate();
    try {
      await joinWaitingRoom({ showtimeId: id, userId: first! }, { redis: client });
      const sent: string[] = [];
      const sendCommand = client.sendCommand.bind(client);
      client.sendCommand = ((command: { name: string }) => {
        sent.push(command.name);
        return sendCommand(command as Parameters<typeof sendCommand>[0]);
      }) as typeof client.sendCommand;
      const joined = await joinWaitingRoom({ showtimeId: id, userId: second! }, { redis: client });
      expect(sent).toEqual(["evalsha"]);
      const { queueToken, ...status } = joined;
      expect(queueToken).toEqual(expect.any(String));
      expect(status).toEqual(await getWaitingStatus({ showtimeId: id, userId: second! }));
      expect(status).toMatchObject({ state: "WAITING", position: 2, ahead: 1, queueSize: 2, paused: false, soldOut: false });
    } finally {
      client.disconnect();
    }
  });

  it("leave removes the fan; joining later goes to the back", async () => {
    const id = await showtime();
    const [a, b, c] = fans(3);
    for (const u of [a, b, c]) await joinWaitingRoom({ showtimeId: id, userId: u! });
    expect(await leaveWaitingRoom({ showtimeId: id, userId: a! })).toEqual({ left: true });
    expect(await position(id, b!)).toBe(1);
    expect(await getWaitingStatus({ showtimeId: id, userId: a! })).toMatchObject({ state: "NONE" });
    await joinWaitingRoom({ showtimeId: id, userId: a! });
    expect(await position(id, a!)).toBe(3);
  });

  it("control: a join that reads the line and then writes (two round trips, not one script) gives 1,000 parallel fans one place", async () => {
    // The protection off: the place taken from the line's length, read and then written instead of in one
    // atomic script. The line lives in Redis and the auditor reads PostgreSQL, so the witness is the line
    // itself: fans sharing a place.
    const id = await showtime();
    const naive = `${wrKeys(id).waiting}:naive`;
    const users = fans(1000);
    const lineUp = barrier(1000);
    await Promise.all(
      users.map(async (u) => {
        const size = await redis().zcard(naive);
        await lineUp();
        await redis().zadd(naive, size + 1, u);
      }),
    );
    const scores = (await redis().zrange(naive, 0, -1, "WITHSCORES")).filter((_, i) => i % 2 === 1);
    expect(scores).toHaveLength(1000);
    expect(new Set(scores)).toEqual(new Set(["1"]));
  });

  it("1,000 parallel joins get 1,000 distinct consecutive places and arrival numbers", async () => {
    const id = await showtime();
    const users = fans(1000);
    const results = await Promise.all(users.map((u) => joinWaitingRoom({ showtimeId: id, userId: u })));
    const positions = results.map((r) => (r.state === "WAITING" ? r.position : -1)).sort((x, y) => x - y);
    expect(positions).toEqual(users.map((_, i) => i + 1));
    expect(await redis().zcard(wrKeys(id).waiting)).toBe(1000);
    const scores = (await redis().zrange(wrKeys(id).waiting, 0, -1, "WITHSCORES")).filter((_, i) => i % 2 === 1).map(Number);
    expect(new Set(scores).size).toBe(1000);
    expect(Math.max(...scores) - Math.min(...scores)).toBe(999);
    // Each fan's returned place matches what status says now (no one admitted in between).
    const sample = users.slice(0, 50);
    const now = await Promise.all(sample.map((u) => position(id, u)));
    expect(now).toEqual(
      sample.map((u) => {
        const r = results[users.indexOf(u)]!;
        return r.state === "WAITING" ? r.position : -1;
      }),
    );
  });

  it("answers QUEUE_FULL when the line is full, and adds nobody", async () => {
    const id = await showtime({ maxQueue: 3 });
    const users = fans(4);
    for (const u of users.slice(0, 3)) await joinWaitingRoom({ showtimeId: id, userId: u });
    expect(await errorOf(joinWaitingRoom({ showtimeId: id, userId: users[3]! }))).toMatchObject({ code: "QUEUE_FULL" });
    expect(await redis().zcard(wrKeys(id).waiting)).toBe(3);
  });

  it("admits at once when the waiting room is off", async () => {
    const id = await showtime({ enabled: false });
    const result = await joinWaitingRoom({ showtimeId: id, userId: fans(1)[0]! });
    expect(result.state).toBe("READY");
  });

  it("refuses showtimes that are not on sale, clearly", async () => {
    const ended = await showtime();
    await prisma().showtime.update({ where: { id: ended }, data: { saleEndsAt: new Date(Date.now() - 1000) } });
    await updateSettings(redis(), ended, {});
    expect(await errorOf(joinWaitingRoom({ showtimeId: ended, userId: "x" }))).toMatchObject({
      code: "NOT_ON_SALE",
      message: "Sales for this showtime have ended.",
    });

    const cancelled = await showtime();
    await prisma().showtime.update({ where: { id: cancelled }, data: { status: "CANCELLED" } });
    await updateSettings(redis(), cancelled, {});
    expect(await errorOf(joinWaitingRoom({ showtimeId: cancelled, userId: "x" }))).toMatchObject({ code: "NOT_ON_SALE" });

    const later = await showtime({ prequeueMinutes: 60 }, { showtimes: [{ inDays: 20, saleOpensInDays: 3 }] });
    const early = await errorOf(joinWaitingRoom({ showtimeId: later, userId: "x" }));
    expect(early).toMatchObject({ code: "NOT_ON_SALE" });
    expect(early.details?.opensAt).toEqual(expect.any(String));
    expect(await redis().zcard(wrKeys(later).prequeue)).toBe(0);

    expect(await errorOf(joinWaitingRoom({ showtimeId: "no-such-showtime", userId: "x" }))).toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("admission within stock", () => {
  it("admits no more than sellable seats × factor, says sold out at once, and resumes when seats return", async () => {
    // 20 seats, factor 1: at most 20 shoppers at once.
    const id = await showtime({ stockFactor: 1, batchSize: 100 });
    const users = fans(30);
    for (const u of users) await joinWaitingRoom({ showtimeId: id, userId: u });
    expect(await runAdmissionTick(id)).toMatchObject({ admitted: 20, active: 20, waiting: 10, sellable: 20 });

    const seats = await prisma().seat.findMany({ where: { showtimeId: id }, orderBy: { id: "asc" }, select: { id: true } });
    await prisma().seat.updateMany({ where: { id: { in: seats.slice(0, 18).map((s) => s.id) } }, data: { status: "SOLD" } });
    await holdSeatsDirectly(
      id,
      seats.slice(18).map((s) => s.id),
      new Date(Date.now() + 60_000),
    );
    expect(await runAdmissionTick(id)).toMatchObject({ admitted: 0, sellable: 0 });
    const waiting = await getWaitingStatus({ showtimeId: id, userId: users[25]! });
    expect(waiting).toMatchObject({ state: "WAITING", soldOut: true, position: 6 });

    // The holds run out (no job needed) and the buyers' access ends: two seats, two more shoppers.
    await prisma().seat.updateMany({
      where: { id: { in: seats.slice(18).map((s) => s.id) } },
      data: { heldUntil: new Date(Date.now() - 1) },
    });
    for (const u of users.slice(0, 20)) await revokeAccess(id, u);
    expect(await runAdmissionTick(id)).toMatchObject({ admitted: 2, active: 2, sellable: 2 });
    expect(await getWaitingStatus({ showtimeId: id, userId: users[25]! })).toMatchObject({ soldOut: false, position: 4 });
  });

  it("admits min(batch, maxActive − active) and drops expired access first", async () => {
    const id = await showtime({ batchSize: 4, maxActive: 6, accessSeconds: 30 });
    const users = fans(12);
    for (const u of users) await joinWaitingRoom({ showtimeId: id, userId: u });
    expect((await runAdmissionTick(id)).admitted).toBe(4);
    expect((await runAdmissionTick(id)).admitted).toBe(2);
    expect((await runAdmissionTick(id)).admitted).toBe(0);
    // Two shoppers' access runs out.
    await redis().zadd(wrKeys(id).active, Date.now() - 1, users[0]!, Date.now() - 1, users[1]!);
    expect(await runAdmissionTick(id)).toMatchObject({ admitted: 2, active: 6 });
    expect(await position(id, users[8]!)).toBe(1);
  });

  it("does nothing while paused", async () => {
    const id = await showtime({ paused: true });
    const [a] = fans(1);
    await joinWaitingRoom({ showtimeId: id, userId: a! });
    expect((await runAdmissionTick(id)).admitted).toBe(0);
    await updateSettings(redis(), id, { paused: false });
    expect((await runAdmissionTick(id)).admitted).toBe(1);
  });

  it("closes the line to new fans once every seat is sold, tells those in it, and opens it again when a seat comes back", async () => {
    const id = await showtime({ stockFactor: 1, batchSize: 1 });
    const [early, waiting, late, later] = fans(4);
    await joinWaitingRoom({ showtimeId: id, userId: early! });
    const { queueToken } = await joinWaitingRoom({ showtimeId: id, userId: waiting! });
    const seats = await prisma().seat.findMany({ where: { showtimeId: id }, orderBy: { id: "asc" }, select: { id: true } });

    // All but one seat sold and that one held: sold out for now, the line stays open.
    await prisma().seat.updateMany({ where: { id: { in: seats.slice(1).map((s) => s.id) } }, data: { status: "SOLD" } });
    await holdSeatsDirectly(id, [seats[0]!.id], new Date(Date.now() + 60_000));
    await runAdmissionTick(id);
    expect(await getWaitingStatus({ showtimeId: id, userId: waiting! })).toMatchObject({ state: "WAITING", soldOut: true, closed: false });
    expect(await joinWaitingRoom({ showtimeId: id, userId: late! })).toMatchObject({ state: "WAITING", closed: false });

    // The last seat sold: closed. Nobody new gets in; those in line keep their places and are told.
    await prisma().seat.update({ where: { id: seats[0]!.id }, data: { status: "SOLD", holdId: null, heldUntil: null } });
    await runAdmissionTick(id);
    const size = await redis().zcard(wrKeys(id).waiting);
    const refused = await errorOf(joinWaitingRoom({ showtimeId: id, userId: later! }));
    expect(refused).toMatchObject({ code: "NOT_ON_SALE", details: { soldOut: true } });
    expect(refused.message).toMatch(/sold out/);
    expect(await redis().zcard(wrKeys(id).waiting)).toBe(size);
    expect(await getWaitingStatus({ showtimeId: id, userId: later! })).toMatchObject({ state: "NONE" });
    expect(await getWaitingStatus({ showtimeId: id, userId: waiting! })).toMatchObject({ state: "WAITING", soldOut: true, closed: true });
    expect(await joinWaitingRoom({ showtimeId: id, userId: waiting! })).toMatchObject({ state: "WAITING", closed: true });

    // Redis loses the line while it is closed: the fan in it gets their place back with their token, as
    // always; someone new still does not get in.
    const k = wrKeys(id);
    await redis().del(k.waiting, k.active, k.prequeue, k.seq, k.meta, k.seen);
    await runAdmissionTick(id);
    expect(await errorOf(joinWaitingRoom({ showtimeId: id, userId: later! }))).toMatchObject({
      code: "NOT_ON_SALE",
      details: { soldOut: true },
    });
    expect(await joinWaitingRoom({ showtimeId: id, userId: waiting!, queueToken })).toMatchObject({
      state: "WAITING",
      restored: true,
      closed: true,
    });

    // A refund puts a seat back: the next tick opens the line again.
    await prisma().seat.update({ where: { id: seats[0]!.id }, data: { status: "AVAILABLE" } });
    await runAdmissionTick(id);
    expect(await joinWaitingRoom({ showtimeId: id, userId: later! })).toMatchObject({ state: "WAITING", closed: false });
  });
});

describe("a pause", () => {
  it("is told to waiting fans at once, with the organiser's note, and a resume takes the note away", async () => {
    const id = await showtime();
    const [fan] = fans(1);
    await joinWaitingRoom({ showtimeId: id, userId: fan! });
    const events: string[] = [];
    const stop = await onWaitingRoomEvent(id, (e) => events.push(e.type));
    try {
      await updateSettings(redis(), id, { paused: true, pauseNote: "  We’re fixing a payment problem: back in about 10 minutes.  " });
      expect(await getWaitingStatus({ showtimeId: id, userId: fan! })).toMatchObject({
        state: "WAITING",
        paused: true,
        pauseNote: "We’re fixing a payment problem: back in about 10 minutes.",
      });
      await expect.poll(() => events).toContain("settings");

      // Too long a note is refused and changes nothing.
      await expect(updateSettings(redis(), id, { pauseNote: "x".repeat(281) })).rejects.toThrow(/280 characters/);
      expect(await getWaitingStatus({ showtimeId: id, userId: fan! })).toMatchObject({
        pauseNote: "We’re fixing a payment problem: back in about 10 minutes.",
      });

      // A blank note is none.
      await updateSettings(redis(), id, { pauseNote: "   " });
      expect(await getWaitingStatus({ showtimeId: id, userId: fan! })).toMatchObject({ paused: true, pauseNote: null });
      await updateSettings(redis(), id, { pauseNote: "Back soon." });
      await updateSettings(redis(), id, { paused: false });
      // Kept for the record, shown only while paused.
      expect(await getWaitingStatus({ showtimeId: id, userId: fan! })).toMatchObject({ paused: false, pauseNote: null });
      expect(events.filter((e) => e === "settings").length).toBeGreaterThanOrEqual(4);
    } finally {
      await stop();
    }
  });
});

describe("pre-queue", () => {
  it("randomises early fans at opening, verifiably, and queues later fans behind them in order", async () => {
    const opensInMs = 2_500;
    const concert = await makeConcert();
    const id = concert.showtimes[0]!.id;
    await prisma().showtime.update({ where: { id }, data: { generalSaleStartsAt: new Date(Date.now() + opensInMs) } });
    await updateSettings(redis(), id, { prequeueMinutes: 60, batchSize: 1, maxActive: 1, stockFactor: 100 });

    const early = fans(30);
    for (const u of early) expect((await joinWaitingRoom({ showtimeId: id, userId: u })).state).toBe("PREQUEUED");
    // Refreshing before opening changes nothing.
    const again = await joinWaitingRoom({ showtimeId: id, userId: early[0]! });
    expect(again).toMatchObject({ state: "PREQUEUED", prequeueSize: 30 });
    const before = await getFairnessProof({ showtimeId: id, userId: early[0]! });
    expect(before).toMatchObject({ opened: false, seed: null, yourPlace: null });
    expect(again.state === "PREQUEUED" && again.commitment).toBe(before.commitment);

    await new Promise((r) => setTimeout(r, opensInMs + 200));
    const late = fans(5);
    for (const u of late) expect((await joinWaitingRoom({ showtimeId: id, userId: u })).state).toBe("WAITING");

    const proof = await getFairnessProof({ showtimeId: id, userId: early[7]! });
    expect(proof.opened).toBe(true);
    expect(commitmentOf(proof.seed!)).toBe(before.commitment);
    const order = shuffleEntries(proof.seed!, proof.entries);
    const expected = order.map((entry) => early.find((u) => entryIdOf(u, id) === entry)!);
    // Every early fan holds exactly the place the published seed and entries give them…
    const places = await Promise.all(early.map((u) => position(id, u)));
    expect(early.map((u, i) => [u, places[i]])).toEqual(early.map((u) => [u, expected.indexOf(u) + 1]));
    expect(proof.yourPlace).toBe(expected.indexOf(early[7]!) + 1);
    // …which is not their arrival order…
    expect(expected).not.toEqual(early);
    // …and later fans follow in arrival order.
    expect(await Promise.all(late.map((u) => position(id, u)))).toEqual([31, 32, 33, 34, 35]);
    expect(proof.left).toEqual([]);

    // Fans who leave after the draw stay in it, marked: every place can still be recomputed as it was made.
    const leavers = [expected[0]!, expected[12]!];
    for (const u of leavers) await leaveWaitingRoom({ showtimeId: id, userId: u });
    const after = await getFairnessProof({ showtimeId: id, userId: expected[20]! });
    expect(after.entries).toEqual(proof.entries);
    expect(after.left).toEqual(leavers.map((u) => entryIdOf(u, id)).sort());
    expect(after.yourPlace).toBe(21);
    expect(await position(id, expected[20]!)).toBe(19);
    const gone = await getFairnessProof({ showtimeId: id, userId: expected[12]! });
    expect(gone).toMatchObject({ yourEntry: entryIdOf(expected[12]!, id), yourPlace: 13 });
  }, 20_000);
});

describe("the gate", () => {
  const user = (id: string) => ({ id, email: `${id}@example.test`, name: "Fan", role: "USER" as const });
  const asFan = (id: string) => createCaller(createContext({ user: user(id) }));

  it("lets an admitted fan through, and refuses forged, expired, other-user, other-showtime, queue and revoked tokens", async () => {
    const id = await showtime({ batchSize: 10 });
    const other = await showtime();
    const [a, b] = fans(2);
    await joinWaitingRoom({ showtimeId: id, userId: a! });
    await joinWaitingRoom({ showtimeId: id, userId: b! });
    await runAdmissionTick(id);
    const status = await getWaitingStatus({ showtimeId: id, userId: a! });
    if (status.state !== "READY") throw new Error("expected READY");
    const ok = await asFan(a!).showtimes.selection({ showtimeId: id, accessToken: status.accessToken });
    expect(ok).toMatchObject({ showtimeId: id, perUserLimit: 8 });
    expect(ok.accessExpiresAt.getTime()).toBe(status.accessExpiresAt.getTime());

    const activeBefore = await redis().zrange(wrKeys(id).active, 0, -1, "WITHSCORES");
    const forged = await new SignJWT({ st: id, typ: "access" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(a!)
      .setIssuer("onsale")
      .setAudience("onsale-waiting-room")
      .setExpirationTime("10m")
      .sign(new TextEncoder().encode("not-the-server-secret-not-the-server-secret"));
    const expired = await signAccessToken({ userId: a!, showtimeId: id, expiresAt: new Date(Date.now() - 5_000) });
    const otherShowtime = await signAccessToken({ userId: a!, showtimeId: other, expiresAt: new Date(Date.now() + 60_000) });
    const queueToken = await signQueueToken({ userId: a!, showtimeId: id, seq: 1 });
    const refusals: [string, string | undefined, string][] = [
      ["missing", undefined, "missing-token"],
      ["garbage", "not.a.jwt", "malformed"],
      ["forged", forged, "bad-signature"],
      ["expired", expired, "expired"],
      ["other showtime", otherShowtime, "other-showtime"],
      ["queue token", queueToken, "wrong-token-type"],
    ];
    for (const [, token, reason] of refusals) {
      const err = await errorOf(asFan(a!).showtimes.selection({ showtimeId: id, accessToken: token }));
      expect(err).toMatchObject({ code: "FORBIDDEN", cause: { code: "NOT_ADMITTED", details: { reason } } });
    }
    // B is admitted too, but A's token is not B's.
    const err = await errorOf(asFan(b!).showtimes.selection({ showtimeId: id, accessToken: status.accessToken }));
    expect(err).toMatchObject({ cause: { details: { reason: "other-user" } } });
    // A token for a showtime A was never admitted to, and for the one A was, with A's access revoked.
    const notActive = await signAccessToken({ userId: a!, showtimeId: other, expiresAt: new Date(Date.now() + 60_000) });
    expect(await errorOf(asFan(a!).showtimes.selection({ showtimeId: other, accessToken: notActive }))).toMatchObject({
      cause: { details: { reason: "not-active" } },
    });
    expect(await redis().zrange(wrKeys(id).active, 0, -1, "WITHSCORES")).toEqual(activeBefore);
    await revokeAccess(id, a!);
    expect(await errorOf(asFan(a!).showtimes.selection({ showtimeId: id, accessToken: status.accessToken }))).toMatchObject({
      cause: { details: { reason: "not-active" } },
    });
  });

  it("needs a signed-in fan", async () => {
    const anon = createCaller(createContext({}));
    expect(await errorOf(anon.showtimes.selection({ showtimeId: "x", accessToken: "y" }))).toMatchObject({ code: "UNAUTHORIZED" });
    expect(await errorOf(anon.waitingRoom.join({ showtimeId: "x" }))).toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("live status", () => {
  it("pushes a new position when the line moves, and READY when admitted", async () => {
    const id = await showtime({ batchSize: 1 });
    const [a, b] = fans(2);
    const caller = createCaller(createContext({ user: { id: b!, email: "b@example.test", name: "B", role: "USER" } }));
    await joinWaitingRoom({ showtimeId: id, userId: a! });
    await caller.waitingRoom.join({ showtimeId: id });
    const stream = (await caller.waitingRoom.watch({ showtimeId: id })) as AsyncIterable<{ state: string; position?: number }>;
    const seen: { state: string; position?: number }[] = [];
    const done = (async () => {
      for await (const s of stream) {
        seen.push(s);
        if (s.state === "READY") break;
      }
    })();
    await expect.poll(() => seen.length, { timeout: 5_000 }).toBe(1);
    expect(seen[0]).toMatchObject({ state: "WAITING", position: 2 });
    await runAdmissionTick(id);
    await expect.poll(() => seen.at(-1)?.position, { timeout: 5_000 }).toBe(1);
    await runAdmissionTick(id);
    await done;
    expect(seen.at(-1)?.state).toBe("READY");
  }, 20_000);
});
