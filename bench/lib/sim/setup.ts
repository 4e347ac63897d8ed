// The on-sale under test, created in the database through the domain functions: a venue with exactly the
// seats asked for, a concert and a showtime whose sale opens shortly, waiting room on, admission ticks
// scheduled. Imported only after DATABASE_URL/REDIS_URL/REDIS_PREFIX are set (server/ reads them on load).
import { randomBytes } from "node:crypto";
import { prisma } from "../../../server/db.ts";
import { createShowtimeInventory } from "../../../server/domain/showtimes/inventory.ts";
import { createVenue } from "../../../server/domain/venues/venues.ts";
import { scheduleAdmission, schedulerIdOf } from "../../../server/domain/waiting-room/schedule.ts";
import { syncSettings } from "../../../server/domain/waiting-room/settings.ts";
import { waitingRoomQueue } from "../../../server/queue/queues.ts";
import { redis } from "../../../server/redis.ts";
import { SECTIONS, sectionRows } from "./plan.ts";

export type OnSale = {
  showtimeId: string;
  opensAt: Date;
  seats: number;
  tiers: { name: string; section: string; priceMinor: number; feeMinor: number }[];
  /**
   * Puts the admission scheduler back if a worker removed it: a worker that is still starting runs its
   * scheduler sync from a showtime list read before this showtime existed, and drops ours (seen in smoke
   * runs as ~30 s without admissions, until the next periodic sync). Returns whether it had to.
   */
  ensureScheduled(): Promise<boolean>;
  close(): Promise<void>;
};

export async function createOnSale(opts: {
  seats: number;
  opensAt: Date;
  holdSeconds: number;
  batch: number;
  tickMs: number;
  /** How long an admitted fan keeps access (default 300 s). */
  accessSeconds?: number;
  idleSeconds?: number;
}): Promise<OnSale> {
  const tag = `sim-${randomBytes(4).toString("hex")}`;
  const plan = sectionRows(opts.seats);
  const venue = await createVenue({
    slug: `${tag}-arena`,
    name: `Simulation Arena ${tag}`,
    city: "Seoul",
    country: "KR",
    address: "1 Simulation Road",
    timezone: "Asia/Seoul",
    width: 1000,
    height: 200 + plan.reduce((h, s) => h + s.rows * 12 + 40, 0),
    stage: { x: 400, y: 10, w: 200, h: 40 },
    sections: plan.reduce<{ y: number; specs: { name: string; rows: number; seatsPerRow: number; x: number; y: number }[] }>(
      (acc, s) => ({ y: acc.y + s.rows * 12 + 40, specs: [...acc.specs, { ...s, x: 500, y: acc.y }] }),
      { y: 100, specs: [] },
    ).specs,
  });
  if (venue.seatCount !== opts.seats) throw new Error(`venue has ${venue.seatCount} seats, not ${opts.seats}`);
  const used = SECTIONS.filter((s) => plan.some((p) => p.name === s.name));
  const startsAt = new Date(Date.now() + 30 * 86_400_000);
  const concert = await prisma().concert.create({
    data: {
      slug: `${tag}-concert`,
      title: `On-sale simulation ${tag}`,
      artist: "The Simulators",
      description: "A concert created by npm run simulate.",
      imageUrl: "/images/concerts/default.svg",
      category: "Pop",
      status: "PUBLISHED",
      showtimes: {
        create: {
          venueId: venue.id,
          status: "PUBLISHED",
          startsAt,
          doorsAt: new Date(startsAt.getTime() - 3_600_000),
          generalSaleStartsAt: opts.opensAt,
          saleEndsAt: startsAt,
          holdSeconds: opts.holdSeconds,
          wrEnabled: true,
          wrBatchSize: opts.batch,
          wrIntervalMs: opts.tickMs,
          wrAccessSeconds: opts.accessSeconds ?? 300,
          wrIdleSeconds: opts.idleSeconds ?? 60,
          wrPrequeueMinutes: 60,
          priceTiers: {
            create: used.map((s, i) => ({
              name: s.tier,
              priceMinor: s.priceMinor,
              feeMinor: s.feeMinor,
              currency: "KRW" as const,
              color: s.color,
              sortOrder: i,
            })),
          },
        },
      },
    },
    select: { showtimes: { select: { id: true, priceTiers: { select: { id: true, name: true } } } } },
  });
  const showtime = concert.showtimes[0]!;
  const tierId = (tier: string) => showtime.priceTiers.find((t) => t.name === tier)!.id;
  const created = await createShowtimeInventory(showtime.id, Object.fromEntries(used.map((s) => [s.name, tierId(s.tier)])));
  if (created !== opts.seats) throw new Error(`created ${created} seats, not ${opts.seats}`);

  // What the worker's periodic sync would do within 30 s, done now so ticks run from the start.
  await syncSettings(redis(), showtime.id);
  const queue = waitingRoomQueue();
  // A Redis outage (npm run chaos restarts Redis) is an 'error' event; unheard, it would end this process.
  queue.on("error", () => {});
  await scheduleAdmission(queue, showtime.id, opts.tickMs);
  const ensureScheduled = async () => {
    if (await queue.getJobScheduler(schedulerIdOf(showtime.id))) return false;
    await scheduleAdmission(queue, showtime.id, opts.tickMs);
    return true;
  };
  return {
    showtimeId: showtime.id,
    opensAt: opts.opensAt,
    seats: created,
    tiers: used.map((s) => ({ name: s.tier, section: s.name, priceMinor: s.priceMinor, feeMinor: s.feeMinor })),
    ensureScheduled,
    close: () => queue.close(),
  };
}
