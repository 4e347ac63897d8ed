// Presale eligibility on PostgreSQL and Redis: codes used no more often than they allow (raced), one use
// per account, revoked codes, the emailed list, and the two gates that ask: joining the line and holding.
import { describe, expect, it } from "vitest";
import { prisma } from "../../db.ts";
import { redis } from "../../redis.ts";
import { makeConcert, makeFans, makeUser, uniq } from "../../../test/support/factories.ts";
import { barrier } from "../../../test/support/races.ts";
import { updateShowtime } from "../admin/catalog.ts";
import { holdSeats } from "../holds/holds.ts";
import { wrKeys } from "../waiting-room/keys.ts";
import { joinWaitingRoom } from "../waiting-room/queue.ts";
import { syncSettings, updateSettings } from "../waiting-room/settings.ts";
import {
  addToPresaleList,
  createPresaleCodes,
  getPresaleAdmin,
  presaleStanding,
  redeemPresaleCode,
  removeFromPresaleList,
  revokePresaleCode,
  updatePresaleSettings,
} from "./presale.ts";

const DAY = 86_400_000;

/** A published showtime whose presale runs now (general sale in two days), its waiting room open. */
async function presaleShowtime() {
  const concert = await makeConcert({ showtimes: [{ inDays: 10, saleOpensInDays: 2 }] });
  const showtimeId = concert.showtimes[0]!.id;
  await prisma().showtime.update({
    where: { id: showtimeId },
    data: { presaleStartsAt: new Date(Date.now() - DAY), presaleEndsAt: new Date(Date.now() + DAY), wrPrequeueMinutes: 0 },
  });
  await syncSettings(redis(), showtimeId);
  const admin = await makeUser({ role: "ADMIN" });
  return { showtimeId, admin };
}

const web = (userId: string) => ({ userId, client: "web", ip: "127.0.0.1" });

describe("presale codes", () => {
  it("a shared code is used by at most its limit of accounts, however many race for it", async () => {
    const { showtimeId, admin } = await presaleShowtime();
    const { codes } = await createPresaleCodes({ showtimeId, label: "Fan club", maxUses: 5, count: 1, code: "club-2026" }, admin.id);
    expect(codes).toEqual(["CLUB-2026"]);
    const fans = await makeFans(200);
    const results = await Promise.allSettled(fans.map((id) => redeemPresaleCode({ showtimeId, code: " club-2026 " }, id)));
    const ok = results.filter((r) => r.status === "fulfilled");
    expect(ok).toHaveLength(5);
    for (const r of results) {
      if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "PRESALE_CODE_INVALID", details: { reason: "used-up" } });
    }
    expect(await prisma().presaleRedemption.count({ where: { showtimeId } })).toBe(5);
    expect(await prisma().presaleCode.findFirstOrThrow({ where: { showtimeId } })).toMatchObject({ uses: 5 });
  });

  it("control: read the uses, then write them, and a 5-use code lets 200 racing accounts in", async () => {
    const { showtimeId, admin } = await presaleShowtime();
    await createPresaleCodes({ showtimeId, label: "Fan club", maxUses: 5, count: 1, code: "RACY-CODE" }, admin.id);
    const fans = await makeFans(200);
    const lineUp = barrier(fans.length);
    // The straw man: check the count read earlier, then write it back one higher.
    const readThenWrite = async (userId: string) => {
      const code = await prisma().presaleCode.findUniqueOrThrow({ where: { showtimeId_code: { showtimeId, code: "RACY-CODE" } } });
      await lineUp();
      if (code.uses >= code.maxUses) throw new Error("used up");
      await prisma().presaleRedemption.create({ data: { showtimeId, userId, codeId: code.id } });
      await prisma().presaleCode.update({ where: { id: code.id }, data: { uses: code.uses + 1 } });
    };
    const results = await Promise.allSettled(fans.map(readThenWrite));
    expect(results.filter((r) => r.status === "fulfilled").length).toBeGreaterThan(5);
    expect(await prisma().presaleRedemption.count({ where: { showtimeId } })).toBeGreaterThan(5);
  });

  it("one account racing with itself takes one use; an eligible account takes none", async () => {
    const { showtimeId, admin } = await presaleShowtime();
    await createPresaleCodes({ showtimeId, label: "Shared", maxUses: 3, count: 1, code: "SHARED-1" }, admin.id);
    const fan = await makeUser();
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => redeemPresaleCode({ showtimeId, code: "SHARED-1" }, fan.id)));
    expect(results.every((r) => r.status === "fulfilled")).toBe(true);
    expect(await prisma().presaleCode.findFirstOrThrow({ where: { showtimeId } })).toMatchObject({ uses: 1 });

    // Listed by email, a fan's code stays unused.
    const listed = await makeUser();
    await addToPresaleList({ showtimeId, emails: listed.email.toUpperCase() }, admin.id);
    expect(await redeemPresaleCode({ showtimeId, code: "SHARED-1" }, listed.id)).toEqual({ eligible: true, via: "list" });
    expect(await prisma().presaleCode.findFirstOrThrow({ where: { showtimeId } })).toMatchObject({ uses: 1 });
  });

  it("single-use codes work once each; unknown and other showtimes' codes are refused", async () => {
    const { showtimeId, admin } = await presaleShowtime();
    const other = await presaleShowtime();
    const { codes } = await createPresaleCodes({ showtimeId, label: "Mailing", maxUses: 1, count: 3 }, admin.id);
    expect(new Set(codes).size).toBe(3);
    for (const c of codes) expect(c).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    const [a, b] = [await makeUser(), await makeUser()];
    expect(await redeemPresaleCode({ showtimeId, code: codes[0]!.toLowerCase() }, a.id)).toEqual({ eligible: true, via: "code" });
    await expect(redeemPresaleCode({ showtimeId, code: codes[0]! }, b.id)).rejects.toMatchObject({ details: { reason: "used-up" } });
    await expect(redeemPresaleCode({ showtimeId, code: "NOPE-NOPE" }, b.id)).rejects.toMatchObject({
      code: "PRESALE_CODE_INVALID",
      details: { reason: "unknown" },
    });
    await expect(redeemPresaleCode({ showtimeId: other.showtimeId, code: codes[1]! }, b.id)).rejects.toMatchObject({
      details: { reason: "unknown" },
    });
    await expect(redeemPresaleCode({ showtimeId, code: "x!" }, b.id)).rejects.toMatchObject({ name: "ZodError" });
    expect(await presaleStanding(showtimeId, b.id)).toEqual({ eligible: false, via: null });
  });

  it("revoking a code refuses it from then on and ends the access it gave", async () => {
    const { showtimeId, admin } = await presaleShowtime();
    await createPresaleCodes({ showtimeId, label: "Leaked", maxUses: 100, count: 1, code: "LEAKED-1" }, admin.id);
    const fan = await makeUser();
    await redeemPresaleCode({ showtimeId, code: "LEAKED-1" }, fan.id);
    const [code] = (await getPresaleAdmin(showtimeId)).codes;
    await revokePresaleCode(code!.id, admin.id);
    expect(await presaleStanding(showtimeId, fan.id)).toEqual({ eligible: false, via: null });
    await expect(redeemPresaleCode({ showtimeId, code: "LEAKED-1" }, (await makeUser()).id)).rejects.toMatchObject({
      details: { reason: "revoked" },
    });
    expect(await prisma().auditLog.count({ where: { entityId: showtimeId, action: "presale.code.revoke" } })).toBe(1);
  });
});

describe("presale list", () => {
  it("lets listed emails in, including an account made after listing; removing one ends it", async () => {
    const { showtimeId, admin } = await presaleShowtime();
    const early = await makeUser();
    const laterEmail = `${uniq("later")}@example.test`;
    expect(await addToPresaleList({ showtimeId, emails: `${early.email}, ${laterEmail.toUpperCase()}\n${early.email}` }, admin.id)).toEqual(
      {
        added: 2,
        alreadyListed: 0,
      },
    );
    expect(await addToPresaleList({ showtimeId, emails: [early.email] }, admin.id)).toEqual({ added: 0, alreadyListed: 1 });
    await expect(addToPresaleList({ showtimeId, emails: "fine@example.test not-an-email" }, admin.id)).rejects.toMatchObject({
      name: "ZodError",
    });
    expect(await prisma().presaleListEntry.count({ where: { showtimeId } })).toBe(2);

    const later = await makeUser({ email: laterEmail });
    expect(await presaleStanding(showtimeId, early.id)).toEqual({ eligible: true, via: "list" });
    expect(await presaleStanding(showtimeId, later.id)).toEqual({ eligible: true, via: "list" });
    await removeFromPresaleList({ showtimeId, email: early.email }, admin.id);
    expect(await presaleStanding(showtimeId, early.id)).toEqual({ eligible: false, via: null });
  });
});

describe("presale gates", () => {
  it("the line refuses a fan who may not buy in the presale, before they join, and lets an eligible one in", async () => {
    const { showtimeId, admin } = await presaleShowtime();
    const [outsider, member] = [await makeUser(), await makeUser()];
    await expect(joinWaitingRoom({ showtimeId, userId: outsider.id })).rejects.toMatchObject({ code: "PRESALE_ONLY" });
    const keys = wrKeys(showtimeId);
    expect(await redis().zscore(keys.waiting, outsider.id)).toBeNull();
    expect(await redis().zscore(keys.prequeue, outsider.id)).toBeNull();
    expect(await redis().sismember(keys.seen, outsider.id)).toBe(0);

    await addToPresaleList({ showtimeId, emails: member.email }, admin.id);
    expect((await joinWaitingRoom({ showtimeId, userId: member.id })).state).toMatch(/WAITING|READY/);

    // With the line switched off, the presale is still only for eligible fans.
    await updateSettings(redis(), showtimeId, { enabled: false });
    await expect(joinWaitingRoom({ showtimeId, userId: outsider.id })).rejects.toMatchObject({ code: "PRESALE_ONLY" });
    expect(await redis().zscore(keys.active, outsider.id)).toBeNull();
  });

  it("a presale added to a showtime whose line already has its settings closes the line to outsiders at once", async () => {
    const concert = await makeConcert({ showtimes: [{ inDays: 10, saleOpensInDays: 2 }] });
    const showtimeId = concert.showtimes[0]!.id;
    const admin = await makeUser({ role: "ADMIN" });
    const outsider = await makeUser();
    // Too early: the line is not open yet, but its settings are now in Redis.
    await expect(joinWaitingRoom({ showtimeId, userId: outsider.id })).rejects.toMatchObject({ code: "NOT_ON_SALE" });
    await updateShowtime(showtimeId, { presaleStartsAt: new Date(Date.now() - DAY), presaleEndsAt: new Date(Date.now() + DAY) }, admin.id);
    await expect(joinWaitingRoom({ showtimeId, userId: outsider.id })).rejects.toMatchObject({ code: "PRESALE_ONLY" });
  });

  it("a hold in the presale needs eligibility and keeps to the presale's limit; general sale lifts both", async () => {
    const { showtimeId, admin } = await presaleShowtime();
    await updatePresaleSettings({ showtimeId, presaleFor: "Fan club members", presaleLimit: 2 }, admin.id);
    await expect(updatePresaleSettings({ showtimeId, presaleFor: null, presaleLimit: 99 }, admin.id)).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
    });
    const seats = (await prisma().seat.findMany({ where: { showtimeId }, orderBy: { id: "asc" }, select: { id: true } })).map((s) => s.id);
    const [outsider, member] = [await makeUser(), await makeUser()];
    await addToPresaleList({ showtimeId, emails: member.email }, admin.id);

    await expect(holdSeats({ showtimeId, seatIds: [seats[0]!] }, web(outsider.id))).rejects.toMatchObject({ code: "PRESALE_ONLY" });
    await expect(holdSeats({ showtimeId, seatIds: seats.slice(0, 3) }, web(member.id))).rejects.toMatchObject({
      code: "LIMIT_EXCEEDED",
      details: { limit: 2 },
    });
    await holdSeats({ showtimeId, seatIds: seats.slice(0, 2) }, web(member.id));
    await expect(holdSeats({ showtimeId, seatIds: [seats[2]!] }, web(member.id))).rejects.toMatchObject({
      code: "LIMIT_EXCEEDED",
      details: { held: 2 },
    });
    expect(await prisma().hold.count({ where: { showtimeId, userId: outsider.id } })).toBe(0);

    // General sale: everyone, up to the showtime's own limit.
    const generalNow = new Date(Date.now() + 3 * DAY);
    await holdSeats({ showtimeId, seatIds: [seats[3]!] }, web(outsider.id), { now: generalNow });
    await holdSeats({ showtimeId, seatIds: [seats[4]!] }, web(member.id), { now: generalNow });
  });
});
