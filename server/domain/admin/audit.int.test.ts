// The audit log's search: words matched in the action, the admin, and the target's names as the log shows
// them, and a span of time; every page of a search holds only entries that match, in order.
import { describe, expect, it } from "vitest";
import { prisma } from "../../db.ts";
import { buySeats, makeConcert, makeUser, uniq } from "../../../test/support/factories.ts";
import { listAudit, recordAudit } from "./audit.ts";

/** An entry by `actorId` on an entity, recorded at `at`. */
async function entry(actorId: string, action: string, entityType: string, entityId: string, at: Date) {
  await recordAudit(prisma(), { actorId, action, entityType, entityId });
  const last = await prisma().auditLog.findFirstOrThrow({
    where: { actorId, entityId, action },
    orderBy: { createdAt: "desc" },
    select: { id: true },
  });
  await prisma().auditLog.update({ where: { id: last.id }, data: { createdAt: at } });
  return last.id;
}

/** Every entry of a search, a page of `limit` at a time. */
async function allPages(input: Parameters<typeof listAudit>[0], limit: number) {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 50; pages++) {
    const page = await listAudit({ ...input, limit, ...(cursor ? { cursor } : {}) });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    ids.push(...page.items.map((i) => i.id));
    if (!page.nextCursor) return ids;
    cursor = page.nextCursor;
  }
  throw new Error("too many pages");
}

const day = (n: number) => new Date(Date.UTC(2026, 10, n, 12));

describe("the audit log's search", () => {
  it("matches the action, the admin and the targets' names as shown, and nothing else, on every page", async () => {
    const admin = await makeUser({ role: "ADMIN" });
    const word = uniq("zephyr");
    await prisma().user.update({ where: { id: admin.id }, data: { name: `Admin ${word}-name` } });
    const other = await makeUser({ role: "ADMIN" });
    const named = await makeConcert({ title: `The ${word} Tour` });
    const plain = await makeConcert({ title: `Unrelated ${uniq("show")}` });
    const buyer = await makeUser({ email: `${word}-buyer@example.test` });
    const order = await buySeats(plain.showtimes[0]!.id, buyer);
    await prisma().venue.update({ where: { id: plain.venue.id }, data: { name: `Hall ${word}` } });

    const concertEntry = await entry(other.id, "concert.update", "Concert", named.id, day(1));
    const showtimeOfNamed = await entry(other.id, "showtime.update", "Showtime", named.showtimes[0]!.id, day(2));
    // A showtime of the plain concert, at the venue now named with the word: the venue is shown, so it matches.
    const showtimeAtVenue = await entry(other.id, "showtime.publish", "Showtime", plain.showtimes[0]!.id, day(3));
    const orderEntry = await entry(other.id, "order.refund", "Order", order.orderId, day(4));
    const byAdmin = await entry(admin.id, "venue.create", "Venue", uniq("gone"), day(5));
    // Must not match: another concert, an order whose buyer and concert are others, a channel.
    await entry(other.id, "concert.update", "Concert", plain.id, day(6));
    await entry(other.id, "order.refund", "Order", uniq("no-such-order"), day(7));
    await entry(other.id, "channel.create", "Channel", uniq("channel"), day(8));

    const newestFirst = [byAdmin, orderEntry, showtimeAtVenue, showtimeOfNamed, concertEntry];
    expect(await allPages({ query: word.toUpperCase() }, 2)).toEqual(newestFirst);
    expect(await allPages({ query: word }, 100)).toEqual(newestFirst);
    // The buyer's email and the admin's name, each alone.
    expect(await allPages({ query: `${word}-buyer@` }, 2)).toEqual([orderEntry]);
    expect(await allPages({ query: `${word}-name`, actorId: admin.id }, 2)).toEqual([byAdmin]);
    expect(await allPages({ query: admin.email }, 2)).toEqual([byAdmin]);
    // The action, within one admin's entries.
    expect(await allPages({ query: "REFUND", actorId: other.id }, 1)).toHaveLength(2);
    // LIKE's wildcards are text like any other.
    expect(await allPages({ query: `${word}%`, actorId: other.id }, 10)).toEqual([]);
    expect(await allPages({ query: "_", actorId: other.id }, 10)).toEqual([]);
  });

  it("keeps entries from the first instant and before the second, on every page", async () => {
    const admin = await makeUser({ role: "ADMIN" });
    const ids = [];
    for (let n = 1; n <= 6; n++) ids.push(await entry(admin.id, "concert.update", "Concert", uniq("c"), day(n)));
    const from = new Date(Date.UTC(2026, 10, 2));
    const to = new Date(Date.UTC(2026, 10, 5));
    expect(await allPages({ actorId: admin.id, from, to }, 2)).toEqual([ids[3], ids[2], ids[1]]);
    expect(await allPages({ actorId: admin.id, from }, 2)).toEqual([ids[5], ids[4], ids[3], ids[2], ids[1]]);
    expect(await allPages({ actorId: admin.id, to }, 2)).toEqual([ids[3], ids[2], ids[1], ids[0]]);
    expect(await allPages({ actorId: admin.id, from: day(7) }, 2)).toEqual([]);
    await expect(listAudit({ from: to, to: from })).rejects.toMatchObject({
      issues: [{ path: ["from"], message: expect.stringMatching(/before the “to” date/) }],
    });
  });
});
