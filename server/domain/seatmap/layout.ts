// A showtime's seat layout: the venue's shape, the price tiers and every seat's place and tier, without
// any seat's status. It changes only when an admin edits the showtime (its tiers, a section's tier, its
// state), so each web process builds it once, serializes and compresses it once, and serves those bytes
// with a strong ETag until an edit says otherwise (`touchSeatLayout`, after the edit commits). The seats'
// order here is the order of the status vector (status.ts).
import { createHash, randomUUID } from "node:crypto";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { prisma, type DbTx } from "../../db.ts";
import type { Currency } from "../../generated/prisma/enums.ts";
import { log } from "../../log.ts";
import { key, redis as sharedRedis, type RedisClient } from "../../redis.ts";
import { ZId } from "../ids.ts";
import { AppError } from "../errors.ts";

/** [seatId, seat number, x, y, index into `tiers`] */
export type LayoutSeat = [number, number, number, number, number];

export type SeatLayout = {
  showtimeId: string;
  venue: { name: string; width: number; height: number; stage: { x: number; y: number; w: number; h: number } };
  tiers: { id: string; name: string; priceMinor: number; feeMinor: number; currency: Currency; color: string }[];
  sections: { id: string; name: string; rows: { label: string; seats: LayoutSeat[] }[] }[];
};

/** A layout as served: the object, its JSON and that JSON compressed, and where each seat id sits. */
export type ServedLayout = {
  layout: SeatLayout;
  /** Strong: a hash of the JSON, the same in every process that built the same layout. */
  etag: string;
  json: Buffer;
  gzip: Buffer;
  br: Buffer;
  /** Seat id → its place in the layout's seat order (and in the status vector). */
  order: Map<number, number>;
  seatIds: Int32Array;
};

const layoutTokenKey = (showtimeId: string) => key("seats", `{${showtimeId}}`, "layout");

/**
 * Tells every web process that the showtime's layout changed: call it after the change commits. Best
 * effort: with Redis away, processes notice within LAYOUT_MAX_AGE_MS instead, so the edit itself stands.
 */
export async function touchSeatLayout(showtimeId: string, redis: RedisClient = sharedRedis()): Promise<void> {
  try {
    await redis.set(layoutTokenKey(showtimeId), randomUUID());
  } catch (err) {
    log.warn({ err: (err as Error).message, showtimeId }, "seat layout change not announced");
  }
}

export async function buildSeatLayout(showtimeId: string, { db = prisma() }: { db?: DbTx } = {}): Promise<SeatLayout> {
  const id = ZId.parse(showtimeId);
  const showtime = await db.showtime.findFirst({
    where: { id, status: { not: "DRAFT" }, concert: { status: "PUBLISHED" } },
    select: {
      venue: { select: { name: true, width: true, height: true, stageX: true, stageY: true, stageW: true, stageH: true } },
      priceTiers: {
        orderBy: { sortOrder: "asc" },
        select: { id: true, name: true, priceMinor: true, feeMinor: true, currency: true, color: true },
      },
    },
  });
  if (!showtime) throw new AppError("NOT_FOUND", "We couldn't find that showtime.");
  // One ordered scan over the (showtimeId) index; Prisma's nested includes would issue four queries.
  const rows = await db.$queryRaw<
    { id: number; number: number; x: number; y: number; priceTierId: string; rowLabel: string; sectionId: string; sectionName: string }[]
  >`
    SELECT s.id, vs.number, vs.x, vs.y, s."priceTierId", r.label AS "rowLabel", sec.id AS "sectionId", sec.name AS "sectionName"
    FROM "Seat" s
    JOIN "VenueSeat" vs ON vs.id = s."venueSeatId"
    JOIN "SeatRow" r ON r.id = vs."rowId"
    JOIN "Section" sec ON sec.id = r."sectionId"
    WHERE s."showtimeId" = ${id}
    ORDER BY sec."sortOrder", r."sortOrder", vs.number`;
  const tierIndex = new Map(showtime.priceTiers.map((t, i) => [t.id, i]));
  const sections: SeatLayout["sections"] = [];
  for (const r of rows) {
    let section = sections.at(-1);
    if (section?.id !== r.sectionId) {
      section = { id: r.sectionId, name: r.sectionName, rows: [] };
      sections.push(section);
    }
    let row = section.rows.at(-1);
    if (row?.label !== r.rowLabel) {
      row = { label: r.rowLabel, seats: [] };
      section.rows.push(row);
    }
    row.seats.push([r.id, r.number, Math.round(r.x), Math.round(r.y), tierIndex.get(r.priceTierId) ?? 0]);
  }
  const { venue } = showtime;
  return {
    showtimeId: id,
    venue: {
      name: venue.name,
      width: venue.width,
      height: venue.height,
      stage: { x: venue.stageX, y: venue.stageY, w: venue.stageW, h: venue.stageH },
    },
    tiers: showtime.priceTiers,
    sections,
  };
}

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);

async function serve(layout: SeatLayout): Promise<ServedLayout> {
  const json = Buffer.from(JSON.stringify(layout));
  // Once per layout and process, on the thread pool: the best gzip, and a brotli level that costs tens of ms.
  const [gz, br] = await Promise.all([gzip(json, { level: 9 }), brotli(json, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 6 } })]);
  const seatIds = new Int32Array(layout.sections.reduce((n, s) => n + s.rows.reduce((m, r) => m + r.seats.length, 0), 0));
  const order = new Map<number, number>();
  let i = 0;
  for (const s of layout.sections)
    for (const r of s.rows)
      for (const seat of r.seats) {
        seatIds[i] = seat[0];
        order.set(seat[0], i++);
      }
  return { layout, etag: `"${createHash("sha256").update(json).digest("base64url").slice(0, 27)}"`, json, gzip: gz, br, order, seatIds };
}

/** A cached layout is built again after this long even untouched (same bytes, same ETag, if nothing changed). */
const LAYOUT_MAX_AGE_MS = 60_000;

type Cached = { token: string | null; builtAt: number; served: Promise<ServedLayout> };
const globalForLayouts = globalThis as unknown as { onsaleSeatLayouts?: Map<string, Cached> };
/** At most this many showtimes' layouts per process (the arena's is about 0.5 MB with its compressed copies). */
const MAX_CACHED = 100;

/**
 * The showtime's layout as served, from this process's cache while no edit has touched it: one Redis
 * read per call. A missing or unpublished showtime is NOT_FOUND (and is not cached).
 */
export async function servedSeatLayout(
  showtimeId: string,
  { db = prisma(), redis = sharedRedis() }: { db?: DbTx; redis?: RedisClient } = {},
): Promise<ServedLayout> {
  const id = ZId.parse(showtimeId);
  const cache = (globalForLayouts.onsaleSeatLayouts ??= new Map());
  const cached = cache.get(id);
  let token: string | null;
  try {
    token = await redis.get(layoutTokenKey(id));
  } catch (err) {
    // Redis away: the copy this process has is still the layout it was (edits announce themselves there).
    if (cached) return cached.served;
    throw err;
  }
  if (cached && cached.token === token && Date.now() - cached.builtAt < LAYOUT_MAX_AGE_MS) return cached.served;
  const served = buildSeatLayout(id, { db }).then(serve);
  const entry: Cached = { token, builtAt: Date.now(), served };
  cache.delete(id);
  cache.set(id, entry);
  if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
  served.catch(() => {
    if (cache.get(id) === entry) cache.delete(id);
  });
  return served;
}
