// Each web process's copy of a showtime's seat statuses: one byte per seat (0 available, 1 held, 2 sold)
// in the layout's seat order, at a known seat version (events.ts). It is read from PostgreSQL once, then
// kept current by the change stream: a change numbered one past the copy's version is applied in place;
// any other number means a change was missed, and the next read builds the copy again. A read first asks
// Redis for the version now, and waits for the stream to bring the copy there (or builds it again), so it
// sees every change published before it began. While read, the copy is also built again every
// RECONCILE_MS, which bounds what a change published out of order (or a hold that ran out with no worker
// to say so) can leave wrong.
import { prisma, type DbTx } from "../../db.ts";
import { log } from "../../log.ts";
import { redis as sharedRedis, type RedisClient } from "../../redis.ts";
import { ZId } from "../ids.ts";
import { onSeatChanges, seatVersionOf, type SeatChangeMessage } from "./events.ts";
import { servedSeatLayout } from "./layout.ts";
import { SEAT_STATUS_CODE } from "./seat-map.ts";

/** The statuses as a reader gets them: the vector's bytes base64-encoded, and the version they are at. */
export type SeatStatusVector = { version: number; seats: string };

const RECONCILE_MS = 5_000;
/** How long a read waits for the stream to bring the copy to the version Redis names, before building it. */
const CATCH_UP_MS = 100;
/** A showtime whose statuses nobody read for this long is dropped (and its change stream left). */
const IDLE_MS = 10 * 60_000;

type Entry = {
  version: number;
  bytes: Uint8Array;
  order: Map<number, number>;
  seatIds: Int32Array;
  /** A change was missed: build again before the next read. */
  stale: boolean;
  builtAt: number;
  readAt: number;
  /** Changes that arrived while the copy was being built, applied once it is. */
  arrived: SeatChangeMessage[] | null;
  building: Promise<void> | null;
  encoded: SeatStatusVector | null;
  /** Reads waiting for the copy to reach a version. */
  waiters: { version: number; resolve: () => void }[];
  stop: Promise<() => Promise<void>>;
};

const globalForStatus = globalThis as unknown as { onsaleSeatStatus?: { entries: Map<string, Entry>; sweeper: NodeJS.Timeout } };

function entries(): Map<string, Entry> {
  if (!globalForStatus.onsaleSeatStatus) {
    const map = new Map<string, Entry>();
    const sweeper = setInterval(() => {
      const now = Date.now();
      for (const [id, entry] of map) {
        if (now - entry.readAt < IDLE_MS) continue;
        map.delete(id);
        void entry.stop.then((stop) => stop()).catch(() => undefined);
      }
    }, 60_000);
    sweeper.unref();
    globalForStatus.onsaleSeatStatus = { entries: map, sweeper };
  }
  return globalForStatus.onsaleSeatStatus.entries;
}

function applyChange(entry: Entry, change: SeatChangeMessage): void {
  for (const [id, code] of change.seats) {
    const i = entry.order.get(id);
    if (i !== undefined) entry.bytes[i] = code;
  }
  entry.version = change.version;
  entry.encoded = null;
  wakeWaiters(entry);
}

function wakeWaiters(entry: Entry): void {
  if (entry.waiters.length === 0) return;
  const still = entry.waiters.filter((w) => w.version > entry.version);
  for (const w of entry.waiters) if (w.version <= entry.version) w.resolve();
  entry.waiters = still;
}

/** Waits until the copy reaches `version`, a gap is found, or CATCH_UP_MS pass; says whether it got there. */
function caughtUp(entry: Entry, version: number): Promise<boolean> {
  if (entry.version >= version) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      entry.waiters = entry.waiters.filter((w) => w !== waiter);
      resolve(false);
    }, CATCH_UP_MS);
    const waiter = {
      version,
      resolve: () => {
        clearTimeout(timer);
        resolve(true);
      },
    };
    entry.waiters.push(waiter);
  });
}

function receive(entry: Entry, change: SeatChangeMessage): void {
  if (entry.arrived) return void entry.arrived.push(change);
  if (entry.stale || change.version <= entry.version) return;
  if (change.version !== entry.version + 1) {
    entry.stale = true;
    // Readers waiting for the stream to catch up build the copy again now, not after their wait.
    for (const w of entry.waiters) w.resolve();
    entry.waiters = [];
    return;
  }
  applyChange(entry, change);
}

/** Reads the statuses from PostgreSQL at the version Redis names now, then applies what arrived meanwhile. */
async function build(showtimeId: string, entry: Entry, { db, redis }: { db: DbTx; redis: RedisClient }): Promise<void> {
  entry.arrived = [];
  try {
    await entry.stop; // listening before reading, so nothing falls between the read and the stream
    const version = (await seatVersionOf(showtimeId, redis)) ?? 0;
    const now = Date.now();
    const rows = await db.$queryRaw<{ id: number; status: keyof typeof SEAT_STATUS_CODE; heldUntil: Date | null }[]>`
      SELECT id, status::text AS status, "heldUntil" FROM "Seat" WHERE "showtimeId" = ${showtimeId}`;
    const bytes = new Uint8Array(entry.bytes.length);
    for (const r of rows) {
      const i = entry.order.get(r.id);
      if (i === undefined) continue;
      // A hold past its time is dead even if no job has tidied it yet (DESIGN.md, Inventory).
      bytes[i] = r.status === "HELD" && r.heldUntil !== null && r.heldUntil.getTime() <= now ? 0 : SEAT_STATUS_CODE[r.status];
    }
    entry.bytes = bytes;
    entry.version = version;
    entry.stale = false;
    entry.encoded = null;
    entry.builtAt = now;
    const arrived = entry.arrived.sort((a, b) => a.version - b.version);
    entry.arrived = null;
    for (const change of arrived) receive(entry, change);
    wakeWaiters(entry);
  } catch (err) {
    entry.stale = true;
    throw err;
  } finally {
    entry.arrived = null;
  }
}

/**
 * The showtime's seat statuses from this process's copy: built on first read (and when a change was
 * missed), current to the last change this process heard of. NOT_FOUND for a showtime that is missing or
 * not published.
 */
export async function getSeatStatus(
  showtimeId: string,
  { db = prisma(), redis = sharedRedis() }: { db?: DbTx; redis?: RedisClient } = {},
): Promise<SeatStatusVector> {
  const id = ZId.parse(showtimeId);
  const { order, seatIds } = await servedSeatLayout(id, { db, redis });
  const map = entries();
  let entry = map.get(id);
  if (entry && entry.seatIds !== seatIds && sameSeats(entry.seatIds, seatIds)) Object.assign(entry, { order, seatIds });
  if (!entry || entry.seatIds !== seatIds) {
    // New, or its layout's seats changed: a fresh copy in the layout's order (the old one's stream is left).
    if (entry) void entry.stop.then((stop) => stop()).catch(() => undefined);
    const created: Entry = {
      version: 0,
      bytes: new Uint8Array(seatIds.length),
      order,
      seatIds,
      stale: true,
      builtAt: 0,
      readAt: Date.now(),
      arrived: null,
      building: null,
      encoded: null,
      waiters: [],
      stop: onSeatChanges(id, (change) => receive(created, change)),
    };
    created.stop.catch((err: unknown) => {
      // Not listening (Redis away): forget this copy, so a later read listens again.
      log.warn({ err: (err as Error).message, showtimeId: id }, "seat changes not followed");
      if (map.get(id) === created) map.delete(id);
    });
    map.set(id, created);
    entry = created;
  }
  const own = entry;
  own.readAt = Date.now();
  const rebuild = () => (own.building ??= build(id, own, { db, redis }).finally(() => (own.building = null)));
  if (own.stale) await rebuild();
  else {
    // Every change published before this read began is in Redis's count: the copy must get that far.
    const current = (await seatVersionOf(id, redis)) ?? 0;
    if (current > own.version) await caughtUp(own, current);
    if (own.stale || own.version < current) {
      own.stale = true;
      await rebuild();
    } else if (Date.now() - own.builtAt > RECONCILE_MS) void rebuild().catch(() => undefined); // the current copy serves meanwhile
  }
  own.encoded ??= {
    version: own.version,
    seats: Buffer.from(own.bytes.buffer, own.bytes.byteOffset, own.bytes.byteLength).toString("base64"),
  };
  return own.encoded;
}

function sameSeats(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
