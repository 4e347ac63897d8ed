// Admin procedures: every one refuses fans and anonymous callers (the list comes from the router, so a
// new procedure is covered the day it is added), validates its input with a clear message and changes
// nothing when refused, and is audited.
import { describe, expect, it } from "vitest";
import { prisma } from "../../db.ts";
import { setSectionTier, updateShowtime } from "../../domain/admin/catalog.ts";
import { verifyApiKey } from "../../domain/channels/channels.ts";
import { holdSeats } from "../../domain/holds/holds.ts";
import { holdLocks, waiterOn } from "../../../test/support/races.ts";
import { admitFan, makeConcert, makeUser, makeVenue, uniq } from "../../../test/support/factories.ts";
import { appRouter, createCaller } from "../root.ts";
import { createContext } from "../trpc.ts";

type Caller = ReturnType<typeof createCaller>;

async function callers() {
  const admin = await makeUser({ role: "ADMIN" });
  const fan = await makeUser();
  return { admin, fan, asAdmin: createCaller(createContext({ user: admin })), asFan: createCaller(createContext({ user: fan })) };
}

/** Procedures only admins may call: the whole admin router, plus the waiting room's admin settings. */
const ADMIN_PATHS = Object.keys(appRouter._def.procedures)
  .filter((path) => path.startsWith("admin.") || ["waitingRoom.settings", "waitingRoom.updateSettings", "waitingRoom.stats"].includes(path))
  .sort();

function call(caller: Caller, path: string, input: unknown): Promise<unknown> {
  // Walks the caller proxy by the dotted path, as a client would address the procedure.
  const fn = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (
    i: unknown,
  ) => Promise<unknown>;
  return fn(input);
}

const DAY = 86_400_000;
const at = (days: number) => new Date(Date.now() + days * DAY);

function showtimeInput(concertId: string, venueId: string, overrides: Record<string, unknown> = {}) {
  return {
    concertId,
    venueId,
    startsAt: at(30),
    doorsAt: new Date(at(30).getTime() - 3_600_000),
    generalSaleStartsAt: at(-1),
    saleEndsAt: at(30),
    holdSeconds: 300,
    holdExtendSeconds: 120,
    perUserLimit: 6,
    refundCutoffHours: 24,
    tiers: [
      { name: "VIP", priceMinor: 150_000, feeMinor: 6_000, currency: "KRW" as const, color: "#aa3355" },
      { name: "Floor", priceMinor: 90_000, feeMinor: 4_000, currency: "KRW" as const, color: "#3355aa" },
    ],
    tierBySection: { Front: "VIP", Back: "Floor" },
    waitingRoom: { enabled: true, batchSize: 50, intervalMs: 1_000 },
    publish: true,
    ...overrides,
  };
}

describe("admin procedures", () => {
  it("refuse anonymous callers and fans, for every admin procedure", async () => {
    expect(ADMIN_PATHS.length).toBeGreaterThan(15);
    const { asFan } = await callers();
    const anon = createCaller(createContext({}));
    const auditBefore = await prisma().auditLog.count();
    for (const path of ADMIN_PATHS) {
      await expect(call(anon, path, {}), path).rejects.toMatchObject({ code: "UNAUTHORIZED" });
      await expect(call(asFan, path, {}), path).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    expect(await prisma().auditLog.count()).toBe(auditBefore);
  });

  it("refuse empty or malformed input to every admin change with a 400-class answer, changing nothing", async () => {
    const { asAdmin } = await callers();
    const mutations = ADMIN_PATHS.filter(
      (path) => (appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)[path]!._def.type === "mutation",
    );
    expect(mutations.length).toBeGreaterThan(8);
    const before = await Promise.all([
      prisma().auditLog.count(),
      prisma().venue.count(),
      prisma().concert.count(),
      prisma().showtime.count(),
      prisma().channel.count(),
    ]);
    for (const path of mutations) {
      for (const input of [{}, { id: 42, status: "BOGUS", showtimeId: "../../etc", patch: "x" }]) {
        const refusal = await call(asAdmin, path, input).then(
          () => null,
          (err: { code?: string }) => err.code,
        );
        expect(["BAD_REQUEST", "UNPROCESSABLE_CONTENT", "NOT_FOUND"], `${path} ${JSON.stringify(input)}`).toContain(refusal);
      }
    }
    expect(
      await Promise.all([
        prisma().auditLog.count(),
        prisma().venue.count(),
        prisma().concert.count(),
        prisma().showtime.count(),
        prisma().channel.count(),
      ]),
    ).toEqual(before);
  });

  it("build a venue, a concert and an on-sale showtime with its inventory, audited", async () => {
    const { admin, asAdmin } = await callers();
    const slug = uniq("hall");
    const venue = await asAdmin.admin.venues.create({
      slug,
      name: "Admin Hall",
      city: "Daegu",
      country: "KR",
      address: "1 Admin Road",
      timezone: "Asia/Seoul",
      width: 600,
      height: 500,
      stage: { x: 200, y: 10, w: 200, h: 40 },
      sections: [
        { name: "Front", rows: 5, seatsPerRow: 12, x: 300, y: 90, curve: 10 },
        { name: "Back", rows: 8, seatsPerRow: 20, x: 300, y: 220, aisleEvery: 10 },
      ],
    });
    expect(venue.seatCount).toBe(5 * 12 + 8 * 20);
    const concert = await asAdmin.admin.concerts.create({
      slug: uniq("tour"),
      title: "Admin Tour",
      artist: "The Admins",
      category: "Rock",
    });
    expect(concert.status).toBe("DRAFT");
    await asAdmin.admin.concerts.setStatus({ concertId: concert.id, status: "PUBLISHED" });
    const showtime = await asAdmin.admin.showtimes.create(showtimeInput(concert.id, venue.id));
    expect(showtime.seatCount).toBe(venue.seatCount);
    const tiers = await prisma().seat.groupBy({ by: ["priceTierId"], where: { showtimeId: showtime.id }, _count: true });
    expect(tiers.map((t) => t._count).sort((a, b) => a - b)).toEqual([60, 160]);
    expect(await prisma().showtime.findUniqueOrThrow({ where: { id: showtime.id } })).toMatchObject({
      status: "PUBLISHED",
      perUserLimit: 6,
      wrBatchSize: 50,
    });
    const editable = await asAdmin.admin.showtimes.byId({ showtimeId: showtime.id });
    expect(editable).toMatchObject({
      venue: { id: venue.id, timezone: "Asia/Seoul" },
      perUserLimit: 6,
      refundCutoffHours: 24,
      waitingRoom: { enabled: true, batchSize: 50, intervalMs: 1_000 },
      priceTiers: [
        { name: "VIP", priceMinor: 150_000, sold: 0, held: 0, available: 60 },
        { name: "Floor", available: 160 },
      ],
    });
    expect(editable.sections.map((sec) => [sec.name, sec.seats])).toEqual([
      ["Front", 60],
      ["Back", 160],
    ]);
    expect((await asAdmin.admin.whoami()).id).toBe(admin.id);

    const audit = await asAdmin.admin.audit({ actorId: admin.id });
    expect(audit.items.map((a) => a.action)).toEqual(["showtime.create", "concert.publish", "concert.create", "venue.create"]);
    expect(audit.items[1]).toMatchObject({ before: { status: "DRAFT" }, after: { status: "PUBLISHED" }, actor: { email: admin.email } });
  });

  it("refuse bad venues, concerts and showtimes with messages per field, creating nothing", async () => {
    const { asAdmin } = await callers();
    const venues = await prisma().venue.count();
    const base = {
      slug: uniq("bad"),
      name: "Bad",
      city: "X",
      country: "KR",
      address: "X",
      timezone: "Asia/Seoul",
      width: 100,
      height: 100,
      stage: { x: 0, y: 0, w: 10, h: 10 },
    };
    await expect(asAdmin.admin.venues.create({ ...base, sections: [] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      asAdmin.admin.venues.create({ ...base, sections: [{ name: "A", rows: 0, seatsPerRow: 5, x: 0, y: 0 }] }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      asAdmin.admin.venues.create({
        ...base,
        sections: [
          { name: "A", rows: 1, seatsPerRow: 5, x: 0, y: 0 },
          { name: "a", rows: 1, seatsPerRow: 5, x: 0, y: 50 },
        ],
      }),
    ).rejects.toMatchObject({ cause: { code: "VALIDATION_FAILED", message: "Each section needs its own name." } });
    expect(await prisma().venue.count()).toBe(venues);

    await expect(asAdmin.admin.concerts.create({ slug: "Not A Slug!", title: "X", artist: "Y", category: "Pop" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });

    const concert = await makeConcert();
    const venue = await makeVenue();
    const showtimes = await prisma().showtime.count();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ saleEndsAt: at(40) }, /Sales must end by the time the show starts/],
      [{ doorsAt: at(31) }, /Doors must open before the show starts/],
      [{ presaleStartsAt: at(-3) }, /both a start and an end/],
      [{ presaleStartsAt: at(-3), presaleEndsAt: at(2) }, /presale must end by the time general sale starts/],
      [{ tierBySection: { Front: "VIP" } }, /missing: Back/],
    ];
    for (const [overrides, message] of cases) {
      await expect(asAdmin.admin.showtimes.create(showtimeInput(concert.id, venue.id, overrides)), String(message)).rejects.toMatchObject({
        cause: { code: "VALIDATION_FAILED", message },
      });
    }
    const negative = showtimeInput(concert.id, venue.id);
    negative.tiers[0]!.priceMinor = -1;
    await expect(asAdmin.admin.showtimes.create(negative)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await prisma().showtime.count()).toBe(showtimes);
  });

  it("refuse price and tier changes that would touch sold or held seats", async () => {
    const { asAdmin, fan } = await callers();
    const concert = await makeConcert();
    const showtimeId = concert.showtimes[0]!.id;
    const gold = concert.showtimes[0]!.priceTiers.find((t) => t.name === "Gold")!;
    const silver = concert.showtimes[0]!.priceTiers.find((t) => t.name === "Silver")!;
    const seat = await prisma().seat.findFirstOrThrow({
      where: { showtimeId, priceTierId: gold.id },
      select: { id: true, venueSeat: { select: { row: { select: { sectionId: true } } } } },
    });
    const accessToken = await admitFan(showtimeId, fan.id);
    await createCaller(createContext({ user: fan })).holds.create({ showtimeId, accessToken, seatIds: [seat.id] });

    await expect(asAdmin.admin.showtimes.update({ showtimeId, patch: { tiers: [{ id: gold.id, priceMinor: 1 }] } })).rejects.toMatchObject({
      cause: { code: "CONFLICT", message: /1 seats sold or on hold/ },
    });
    await expect(
      asAdmin.admin.showtimes.setSectionTier({ showtimeId, sectionId: seat.venueSeat.row.sectionId, priceTierId: silver.id }),
    ).rejects.toMatchObject({
      cause: { code: "CONFLICT" },
    });
    expect((await prisma().priceTier.findUniqueOrThrow({ where: { id: gold.id } })).priceMinor).toBe(120_000);
    // The untouched tier can still be renamed and repriced.
    const updated = await asAdmin.admin.showtimes.update({
      showtimeId,
      patch: { tiers: [{ id: silver.id, priceMinor: 85_000, name: "Silver+" }], perUserLimit: 4 },
    });
    expect(updated).toMatchObject({
      perUserLimit: 4,
      priceTiers: expect.arrayContaining([expect.objectContaining({ name: "Silver+", priceMinor: 85_000 })]),
    });
  });

  /** A showtime, its Gold and Silver tiers, and Gold's seats in id order with their section. */
  async function goldSeats() {
    const [showtime] = (await makeConcert()).showtimes;
    const [gold, silver] = [showtime!.priceTiers[0]!, showtime!.priceTiers[1]!];
    const seats = await prisma().seat.findMany({
      where: { showtimeId: showtime!.id, priceTierId: gold.id },
      orderBy: { id: "asc" },
      select: { id: true, venueSeat: { select: { row: { select: { sectionId: true } } } } },
    });
    return { showtimeId: showtime!.id, gold, silver, seats };
  }
  const asFan = (userId: string) => ({ userId, client: "web", ip: "127.0.0.1" });

  // The change queues behind a lock on the tier's (or section's) lowest seat; meanwhile a fan holds its
  // highest. The change locks every seat before it counts them, so it finds that hold and refuses.
  it.each(["reprice the tier", "move the section to another tier"] as const)(
    "refuse to %s when a fan holds one of its seats while the change waits for them",
    async (change) => {
      const { asAdmin, fan } = await callers();
      const { showtimeId, gold, silver, seats } = await goldSeats();
      const [lowest, highest] = [seats[0]!, seats.at(-1)!];
      const blocker = await holdLocks((tx) => tx.$queryRaw`SELECT id FROM "Seat" WHERE id = ${lowest.id} FOR UPDATE`);
      const changing =
        change === "reprice the tier"
          ? asAdmin.admin.showtimes.update({ showtimeId, patch: { tiers: [{ id: gold.id, priceMinor: 1 }] } })
          : asAdmin.admin.showtimes.setSectionTier({ showtimeId, sectionId: lowest.venueSeat.row.sectionId, priceTierId: silver.id });
      const outcome = changing.then(
        () => "changed",
        (err: unknown) => err,
      );
      await waiterOn([blocker.pid]);
      await holdSeats({ showtimeId, seatIds: [highest.id] }, asFan(fan.id));
      await blocker.release();
      expect(await outcome).toMatchObject({ cause: { code: "CONFLICT" } });
      expect((await prisma().priceTier.findUniqueOrThrow({ where: { id: gold.id } })).priceMinor).toBe(120_000);
      expect(await prisma().seat.count({ where: { id: { in: seats.map((s) => s.id) }, priceTierId: gold.id } })).toBe(seats.length);
    },
  );

  it.each(["reprice the tier", "move the section to another tier"] as const)(
    "control: without the seat lock, a change that counted no taken seat goes through over a fan's hold made after the count (%s)",
    async (change) => {
      const { admin, fan } = await callers();
      const { showtimeId, gold, silver, seats } = await goldSeats();
      const seat = seats[0]!;
      // Between the change's count and its write, the fan holds a seat of the tier.
      const protections = { seatLock: false, pause: () => holdSeats({ showtimeId, seatIds: [seat.id] }, asFan(fan.id)).then(() => {}) };
      if (change === "reprice the tier") {
        await updateShowtime(showtimeId, { tiers: [{ id: gold.id, priceMinor: 1 }] }, admin.id, { protections });
        expect((await prisma().priceTier.findUniqueOrThrow({ where: { id: gold.id } })).priceMinor).toBe(1);
      } else {
        await setSectionTier({ showtimeId, sectionId: seat.venueSeat.row.sectionId, priceTierId: silver.id }, admin.id, { protections });
      }
      // The held seat's price changed under the hold.
      expect(await prisma().seat.findUniqueOrThrow({ where: { id: seat.id } })).toMatchObject({
        status: "HELD",
        priceTierId: change === "reprice the tier" ? gold.id : silver.id,
      });
    },
  );

  it("find orders by email, id and showtime, refund on the fan's behalf with an audit, and show the sale live", async () => {
    const { asAdmin, admin, fan } = await callers();
    const showtimeId = (await makeConcert()).showtimes[0]!.id;
    const api = createCaller(createContext({ user: fan }));
    const accessToken = await admitFan(showtimeId, fan.id);
    const seats = (await prisma().seat.findMany({ where: { showtimeId }, take: 2, orderBy: { id: "asc" }, select: { id: true } })).map(
      (s) => s.id,
    );
    const hold = await api.holds.create({ showtimeId, accessToken, seatIds: seats });
    await api.wallet.topUp({ currency: "KRW", amountMinor: 1_000_000, idempotencyKey: uniq("topup") });
    const paid = await api.orders.checkout({ showtimeId, accessToken, holdId: hold.holdId, idempotencyKey: uniq("pay") });

    expect((await asAdmin.admin.orders.search({ query: fan.email.toUpperCase().slice(0, 12) })).items.map((o) => o.id)).toContain(
      paid.orderId,
    );
    expect((await asAdmin.admin.orders.search({ query: paid.orderId })).items.map((o) => o.id)).toEqual([paid.orderId]);
    expect((await asAdmin.admin.orders.search({ showtimeId })).items.map((o) => o.id)).toEqual([paid.orderId]);
    expect((await asAdmin.admin.orders.byId({ orderId: paid.orderId })).tickets).toHaveLength(2);

    const live = await asAdmin.admin.showtimes.live({ showtimeId });
    expect(live.seats).toMatchObject({ sold: 2, held: 0 });
    expect(live.revenue).toMatchObject({ minor: paid.totalMinor, orders: 1, currency: "KRW" });
    expect(live.salesPerMinute).toHaveLength(30);
    expect(live.salesPerMinute.at(-1)).toMatchObject({ tickets: 2, orders: 1 });

    // A reason is required, and a refused one changes nothing.
    await expect(asAdmin.admin.orders.refund({ orderId: paid.orderId, reason: "  " })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await prisma().order.findUniqueOrThrow({ where: { id: paid.orderId } })).toMatchObject({ status: "PAID", refundReason: null });
    const reason = "The show moved to a date you cannot make, as you asked by email.";
    await asAdmin.admin.orders.refund({ orderId: paid.orderId, reason: `  ${reason} ` });
    await expect(asAdmin.admin.orders.refund({ orderId: paid.orderId, reason })).rejects.toMatchObject({ cause: { code: "CONFLICT" } });
    expect(await prisma().order.findUniqueOrThrow({ where: { id: paid.orderId } })).toMatchObject({
      status: "REFUNDED",
      refundedById: admin.id,
      refundReason: reason,
    });
    // The fan sees why on their order.
    expect(await api.orders.byId({ orderId: paid.orderId })).toMatchObject({ status: "REFUNDED", refundReason: reason });
    expect(await asAdmin.admin.orders.byId({ orderId: paid.orderId })).toMatchObject({
      buyer: { id: fan.id, email: fan.email },
      refundedBy: { id: admin.id },
    });
    expect(await api.orders.byId({ orderId: paid.orderId })).not.toHaveProperty("buyer");
    expect((await api.wallet.balances())[0]!.balanceMinor).toBe(1_000_000);
    expect((await asAdmin.admin.audit({ entityType: "Order", entityId: paid.orderId })).items).toMatchObject([
      {
        action: "order.refund",
        actor: { id: admin.id },
        after: { status: "REFUNDED", refundedMinor: paid.totalMinor, reason },
        target: { detail: `bought by ${fan.email}`, at: { timeZone: expect.any(String) } },
      },
    ]);

    // Pausing admission is audited too, and shows in the live view.
    await asAdmin.waitingRoom.updateSettings({ showtimeId, settings: { paused: true, batchSize: 7 } });
    expect((await asAdmin.admin.showtimes.live({ showtimeId })).waitingRoom).toMatchObject({ paused: true, batchSize: 7 });
    expect((await asAdmin.admin.audit({ entityType: "Showtime", entityId: showtimeId })).items[0]).toMatchObject({
      action: "waitingRoom.update",
      before: { paused: false },
      after: { paused: true, batchSize: 7 },
      target: {
        name: (await prisma().showtime.findUniqueOrThrow({ where: { id: showtimeId }, select: { concert: { select: { title: true } } } }))
          .concert.title,
      },
    });
  });

  it("create channels, issue keys shown once and stored hashed, and revoke them", async () => {
    const { asAdmin } = await callers();
    const code = uniq("partner");
    const channel = await asAdmin.admin.channels.create({ code, name: "Partner" });
    await expect(asAdmin.admin.channels.create({ code, name: "Again" })).rejects.toMatchObject({ cause: { code: "CONFLICT" } });
    const issued = await asAdmin.admin.channels.issueKey({ channelId: channel.id, name: "Price feed" });
    expect(issued.key.startsWith(issued.prefix)).toBe(true);
    const stored = await prisma().apiKey.findUniqueOrThrow({ where: { id: issued.id } });
    expect(stored.hash).not.toContain(issued.key);
    expect(JSON.stringify(await asAdmin.admin.channels.list())).not.toContain(issued.key);
    expect(await verifyApiKey(issued.key, code)).toMatchObject({ channelId: channel.id });
    expect(await verifyApiKey(issued.key, "another-channel")).toBeNull();
    expect(await verifyApiKey(`${issued.key.slice(0, -1)}x`, code)).toBeNull();
    await asAdmin.admin.channels.revokeKey({ keyId: issued.id });
    expect(await verifyApiKey(issued.key, code)).toBeNull();
    await expect(asAdmin.admin.channels.revokeKey({ keyId: issued.id })).rejects.toMatchObject({ cause: { code: "CONFLICT" } });
  });

  it("generates a 20,000-seat layout in one request", async () => {
    const { asAdmin } = await callers();
    const sections = Array.from({ length: 20 }, (_, i) => ({
      name: `S${i + 1}`,
      rows: 25,
      seatsPerRow: 40,
      x: 500 + (i % 5) * 450,
      y: 300 + Math.floor(i / 5) * 350,
    }));
    const venue = await asAdmin.admin.venues.create({
      slug: uniq("arena"),
      name: "Big Arena",
      city: "Seoul",
      country: "KR",
      address: "1 Arena Way",
      timezone: "Asia/Seoul",
      width: 2600,
      height: 1800,
      stage: { x: 1000, y: 20, w: 600, h: 120 },
      sections,
    });
    expect(venue.seatCount).toBe(20_000);
    expect(await prisma().venueSeat.count({ where: { row: { section: { venueId: venue.id } } } })).toBe(20_000);
  });
});
