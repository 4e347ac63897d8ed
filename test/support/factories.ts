// Test data built through the domain functions where they exist, with unique names per call.
import { createCaller } from "../../server/api/root.ts";
import { createContext } from "../../server/api/trpc.ts";
import { prisma } from "../../server/db.ts";
import type { SessionUser } from "../../server/domain/auth/users.ts";
import { registerUser } from "../../server/domain/auth/users.ts";
import { createShowtimeInventory } from "../../server/domain/showtimes/inventory.ts";
import { createVenue } from "../../server/domain/venues/venues.ts";
import { runAdmissionTick } from "../../server/domain/waiting-room/admission.ts";
import { getWaitingStatus, joinWaitingRoom } from "../../server/domain/waiting-room/queue.ts";
import { updateSettings } from "../../server/domain/waiting-room/settings.ts";
import { redis } from "../../server/redis.ts";
import type { Currency } from "../../server/generated/prisma/enums.ts";

export function uniq(label = "t"): string {
  return `${label}-${crypto.randomUUID().slice(0, 8)}`;
}

export async function makeUser(overrides: { email?: string; role?: "USER" | "ADMIN" } = {}) {
  const email = overrides.email ?? `${uniq("fan")}@example.test`;
  const password = "correct-horse-42";
  const user = await registerUser({ name: "Test Fan", email, password }, { role: overrides.role ?? "USER" });
  return { ...user, password };
}

export async function makeVenue(opts: { city?: string; rows?: number; seatsPerRow?: number } = {}) {
  const slug = uniq("venue");
  const venue = await createVenue({
    slug,
    name: `Venue ${slug}`,
    city: opts.city ?? "Testville",
    country: "KR",
    address: "1 Test Street",
    timezone: "Asia/Seoul",
    width: 400,
    height: 400,
    stage: { x: 100, y: 10, w: 200, h: 40 },
    sections: [
      { name: "Front", rows: opts.rows ?? 2, seatsPerRow: opts.seatsPerRow ?? 5, x: 200, y: 80 },
      { name: "Back", rows: opts.rows ?? 2, seatsPerRow: opts.seatsPerRow ?? 5, x: 200, y: 200 },
    ],
  });
  return { ...venue, slug };
}

const DAY = 86_400_000;

export async function makeConcert(
  opts: {
    title?: string;
    artist?: string;
    city?: string;
    status?: "DRAFT" | "PUBLISHED" | "CANCELLED";
    showtimes?: { inDays: number; saleOpensInDays?: number; status?: "DRAFT" | "PUBLISHED" | "CANCELLED" }[];
    currency?: Currency;
    /** Rows and seats per row of each of the venue's two sections (default 2 × 5). */
    layout?: { rows: number; seatsPerRow: number };
  } = {},
) {
  const venue = await makeVenue({ city: opts.city, ...opts.layout });
  const slug = uniq("concert");
  const concert = await prisma().concert.create({
    data: {
      slug,
      title: opts.title ?? `Concert ${slug}`,
      artist: opts.artist ?? "Test Artist",
      description: "A test concert.",
      imageUrl: "/images/concerts/default.svg",
      category: "Pop",
      status: opts.status ?? "PUBLISHED",
    },
  });
  const now = Date.now();
  const showtimes = [];
  for (const s of opts.showtimes ?? [{ inDays: 10 }]) {
    const startsAt = new Date(now + s.inDays * DAY);
    const showtime = await prisma().showtime.create({
      data: {
        concertId: concert.id,
        venueId: venue.id,
        status: s.status ?? "PUBLISHED",
        startsAt,
        doorsAt: new Date(startsAt.getTime() - 3_600_000),
        generalSaleStartsAt: new Date(now + (s.saleOpensInDays ?? -1) * DAY),
        saleEndsAt: startsAt,
        priceTiers: {
          create: [
            { name: "Gold", priceMinor: 120_000, feeMinor: 5_000, currency: opts.currency ?? "KRW", color: "#f5a623", sortOrder: 0 },
            { name: "Silver", priceMinor: 80_000, feeMinor: 3_000, currency: opts.currency ?? "KRW", color: "#9b9b9b", sortOrder: 1 },
          ],
        },
      },
      select: { id: true, priceTiers: { orderBy: { sortOrder: "asc" }, select: { id: true, name: true } } },
    });
    const [gold, silver] = showtime.priceTiers;
    await createShowtimeInventory(showtime.id, { Front: gold!.id, Back: silver!.id });
    showtimes.push(showtime);
  }
  return { ...concert, venue, showtimes };
}

/** A fan admitted to the showtime's waiting room (enabled or not), with the access token the gate wants. */
export async function admitFan(showtimeId: string, userId: string): Promise<string> {
  await updateSettings(redis(), showtimeId, { batchSize: 100, stockFactor: 100 });
  await joinWaitingRoom({ showtimeId, userId });
  await runAdmissionTick(showtimeId);
  const status = await getWaitingStatus({ showtimeId, userId });
  if (status.state !== "READY") throw new Error(`fan not admitted: ${status.state}`);
  return status.accessToken;
}

/** Many fans at once, straight into the table (no password hashing: they never sign in). */
export async function makeFans(n: number): Promise<string[]> {
  const tag = uniq("bulk");
  const data = Array.from({ length: n }, (_, i) => ({
    id: `${tag}-${i}`,
    email: `${tag}-${i}@example.test`,
    name: `Fan ${i}`,
    passwordHash: "x",
  }));
  await prisma().user.createMany({ data });
  return data.map((d) => d.id);
}

/** Marks seats HELD by a new hold of a new fan until `heldUntil` (past or future), as a hold would. */
export async function holdSeatsDirectly(showtimeId: string, seatIds: number[], heldUntil: Date) {
  const [userId] = await makeFans(1);
  const hold = await prisma().hold.create({
    data: { showtimeId, userId: userId!, heldUntil, seatCount: seatIds.length, seatIds, client: "test", ip: "127.0.0.1" },
  });
  await prisma().seat.updateMany({ where: { id: { in: seatIds } }, data: { status: "HELD", holdId: hold.id, heldUntil } });
  return hold.id;
}

/**
 * A paid order of `count` seats of the showtime for the fan, through the fan's own procedures (waiting room,
 * hold, top-up, checkout); the wallet is topped up by the order's total first.
 */
export async function buySeats(showtimeId: string, fan: SessionUser, count = 1) {
  const api = createCaller(createContext({ user: fan }));
  const accessToken = await admitFan(showtimeId, fan.id);
  const seats = await prisma().seat.findMany({
    where: { showtimeId, status: "AVAILABLE" },
    take: count,
    orderBy: { id: "asc" },
    select: { id: true, priceTier: { select: { priceMinor: true, feeMinor: true, currency: true } } },
  });
  const total = seats.reduce((sum, s) => sum + s.priceTier.priceMinor + s.priceTier.feeMinor, 0);
  const hold = await api.holds.create({ showtimeId, accessToken, seatIds: seats.map((s) => s.id) });
  await api.wallet.topUp({ currency: seats[0]!.priceTier.currency, amountMinor: total, idempotencyKey: uniq("topup") });
  return api.orders.checkout({ showtimeId, accessToken, holdId: hold.holdId, idempotencyKey: uniq("pay") });
}
