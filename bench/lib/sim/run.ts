// The on-sale itself, shared by `npm run simulate` and `npm run chaos`: fans created and signed in, the
// showtime put on sale, every fan run on its own (round robin over the web processes) with a sampler and a
// progress line, until they are done or the cap stops them. Import only after DATABASE_URL/REDIS_URL/
// REDIS_PREFIX are set: setup.ts and the server modules read them on load.
import pg from "pg";
import type { SeatLayout } from "../../../server/domain/seatmap/layout.ts";
import { createFans } from "../fans.ts";
import { wrKeys } from "../../../server/domain/waiting-room/keys.ts";
import { redis } from "../../../server/redis.ts";
import { arrivalOffsets, seededRandom } from "./arrival.ts";
import { closeFanPools, FanClient } from "./client.ts";
import { runFan, type FanPlan, type FanRecord } from "./fan.ts";
import { Metrics, type FanState, type Sample } from "./metrics.ts";
import type { SimOptions } from "./options.ts";
import { createOnSale, type OnSale } from "./setup.ts";

/** The on-sale options both commands take (bench/lib/sim/options.ts). */
export type OnSaleOptions = Pick<
  SimOptions,
  | "fans"
  | "seats"
  | "arrival"
  | "abandon"
  | "double-click"
  | "prepaid"
  | "open-after"
  | "max-seconds"
  | "hold-seconds"
  | "batch"
  | "tick-ms"
  | "idle-seconds"
  | "seed"
  | "quiet"
>;

export type OnSaleRun = {
  onSale: OnSale;
  showtimeId: string;
  /** When the first fan arrives (epoch ms); every `t`/`*At` in the records is relative to it. */
  t0: number;
  openAfterMs: number;
  batch: number;
  plans: FanPlan[];
  /** Each fan's user id, in plan order. */
  userIds: string[];
  metrics: Metrics;
  records: FanRecord[];
  samples: Sample[];
  /** ms from t0 to the end of the fans' run. */
  durationMs: number;
  /** Fans with a request still open 15 s after the stop (left out of `records`). */
  hung: number;
  /** Times the admission scheduler had to be put back by the keeper. */
  rescheduled: number;
};

/** 1–4 seats: pairs most often, as ticketing data usually shows. */
function quantityOf(random: () => number): number {
  const r = random();
  return r < 0.2 ? 1 : r < 0.65 ? 2 : r < 0.8 ? 3 : 4;
}

export function progressLine(m: Metrics, seats: number, elapsedMs: number): string {
  const c = (s: FanState) => m.count(s);
  return (
    `${(elapsedMs / 1000).toFixed(0).padStart(4)}s  arrived ${m.arrived}  waiting ${c("waiting")}  admitted ${c("admitted")}  ` +
    `holding ${c("holding")}  paid ${c("paid")}  sold ${m.seatsSold}/${seats}  left ${c("soldOut") + c("gaveUp") + c("abandoned")}  errors ${m.errors}`
  );
}

/**
 * Runs the on-sale to its end (every fan done, or `max-seconds` after the first arrival, or `signal`).
 * The caller owns `controller` (aborting it stops the fans) and runs `cleanups` afterwards.
 */
export async function runOnSale(
  opts: OnSaleOptions,
  ctx: {
    baseUrls: string[];
    authSecret: string;
    controller: AbortController;
    cleanups: (() => Promise<void>)[];
    log: (line: string) => void;
    /** Fans that go back in line and retry through outages (npm run chaos); off: the simulator's fans. */
    resilient?: boolean;
    /** How long an admitted fan keeps access (the showtime's wrAccessSeconds; default 300). */
    accessSeconds?: number;
    /**
     * True once the keeper must stop putting the admission scheduler back (npm run chaos: from the first
     * fault on, bringing it back after a Redis restart is the worker's job, not the test's).
     */
    stopKeeping?: () => boolean;
    /** Appended to the progress line. */
    progressSuffix?: () => string;
    /** Called once the showtime exists and just before the first fan arrives (t0 = its arrival time). */
    onStart?: (run: { showtimeId: string; t0: number; metrics: Metrics }) => void;
  },
): Promise<OnSaleRun> {
  const { controller, cleanups, log } = ctx;
  // 1. Fans (bulk SQL, minted session cookies) and the on-sale.
  const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  const fans = await createFans(db, opts.fans, ctx.authSecret).finally(() => db.end());
  const batch = opts.batch ?? Math.max(25, Math.round(opts.seats / 4));
  const openAfterMs = opts["open-after"] * 1000;
  const t0 = Date.now() + 1500; // first arrival, after the setup below
  const onSale = await createOnSale({
    seats: opts.seats,
    opensAt: new Date(t0 + openAfterMs),
    holdSeconds: opts["hold-seconds"],
    batch,
    tickMs: opts["tick-ms"],
    accessSeconds: ctx.accessSeconds,
    idleSeconds: opts["idle-seconds"],
  });
  cleanups.push(() => onSale.close());
  const { showtimeId } = onSale;
  // Until shortly after opening, check every second that no starting worker dropped the admission ticks.
  let rescheduled = 0;
  const keeper = setInterval(() => {
    if (Date.now() > t0 + openAfterMs + 10_000 || ctx.stopKeeping?.()) return clearInterval(keeper);
    void onSale.ensureScheduled().then(
      (again) => {
        if (again) rescheduled++;
      },
      () => {},
    );
  }, 1000);
  cleanups.push(async () => clearInterval(keeper));
  const keys = wrKeys(showtimeId);
  log(
    `Showtime ${showtimeId}: ${onSale.seats} seats (${onSale.tiers.map((t) => `${t.section}/${t.name}`).join(", ")}), sale opens ${opts["open-after"]} s after the first fan; ${opts.fans} fans, arrival ${opts.arrival.spec}, admission ${batch} per ${opts["tick-ms"]} ms`,
  );

  const random = seededRandom(opts.seed);
  const offsets = arrivalOffsets(opts.arrival, opts.fans, random);
  const plans: FanPlan[] = offsets.map((arriveAtMs, index) => ({
    index,
    arriveAtMs,
    quantity: quantityOf(random),
    abandons: random() < opts.abandon,
    doubleClicks: random() < opts["double-click"],
    prepaid: random() < opts.prepaid,
    random: seededRandom(opts.seed * 100_003 + index),
  }));

  // 2. The run: every fan on its own, spread over the web processes round robin; a sampler and a progress line.
  const metrics = new Metrics();
  const now = () => Date.now() - t0;
  const samples: Sample[] = [];
  const tty = process.stdout.isTTY && !opts.quiet;
  let lastPlain = 0;
  const sampler = setInterval(() => {
    void (async () => {
      let queueLength: number | null = null;
      let active: number | null = null;
      try {
        const [w, p, a] = await Promise.all([
          redis().zcard(keys.waiting),
          redis().zcard(keys.prequeue),
          redis().zcount(keys.active, Date.now(), "+inf"),
        ]);
        queueLength = w + (opts["open-after"] > 0 && now() < openAfterMs ? p : 0);
        active = a;
      } catch {
        // a missed sample is a gap in the chart, not a failure
      }
      samples.push({
        t: Math.max(0, now()),
        arrived: metrics.arrived,
        waiting: metrics.count("waiting"),
        admitted: metrics.count("admitted"),
        holding: metrics.count("holding"),
        paid: metrics.count("paid"),
        seatsSold: metrics.seatsSold,
        queueLength,
        active,
        errors: metrics.errors,
      });
      const line = progressLine(metrics, onSale.seats, Math.max(0, now())) + (ctx.progressSuffix?.() ?? "");
      if (tty) process.stdout.write(`\r\x1b[2K${line}`);
      else if (!opts.quiet && Date.now() - lastPlain >= 5000) {
        lastPlain = Date.now();
        console.log(line);
      }
    })();
  }, 1000);
  const cap = setTimeout(() => controller.abort(), Math.max(0, t0 - Date.now()) + opts["max-seconds"] * 1000);
  ctx.onStart?.({ showtimeId, t0, metrics });
  const layouts = new Map<string, SeatLayout>();
  cleanups.push(async () => closeFanPools());
  const running = plans.map((plan, i) => {
    const fan = fans[i]!;
    const client = new FanClient(
      ctx.baseUrls[i % ctx.baseUrls.length]!,
      fan.cookie,
      `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      metrics,
      controller.signal,
    );
    return runFan(plan, fan.id, {
      showtimeId,
      client,
      metrics,
      signal: controller.signal,
      now,
      totalSeats: onSale.seats,
      layouts,
      resilient: ctx.resilient,
    });
  });
  // Once stopped, fans get 15 s to wind down; one that still hangs is reported, not waited for.
  const settled = await Promise.race([
    Promise.all(running),
    new Promise<"hung">((resolve) =>
      controller.signal.addEventListener("abort", () => setTimeout(() => resolve("hung"), 15_000).unref(), { once: true }),
    ),
  ]);
  const hung = settled === "hung";
  const records: FanRecord[] = hung
    ? (await Promise.allSettled(running.map((r) => Promise.race([r, Promise.reject(new Error("hung"))])))).flatMap((r) =>
        r.status === "fulfilled" ? [r.value] : [],
      )
    : settled;
  if (hung)
    console.error(`${plans.length - records.length} fan(s) still had a request open 15 s after the stop; left out of the fairness check`);
  clearTimeout(cap);
  clearInterval(sampler);
  const durationMs = now();
  if (tty) process.stdout.write("\n");
  log(progressLine(metrics, onSale.seats, durationMs));
  if (rescheduled) log(`(the admission scheduler was dropped by a starting worker and put back ${rescheduled} time(s))`);
  return {
    onSale,
    showtimeId,
    t0,
    openAfterMs,
    batch,
    plans,
    userIds: fans.map((f) => f.id),
    metrics,
    records,
    samples,
    durationMs,
    hung: plans.length - records.length,
    rescheduled,
  };
}
