// The audit log of admin actions: written in the same transaction as the change it records.
import { z } from "zod";
import { prisma, type DbTx } from "../../db.ts";
import { Prisma } from "../../generated/prisma/client.ts";
import { ZPageDirection } from "../paging.ts";
import { ZId } from "../ids.ts";

export type AuditEntry = {
  actorId: string;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
};

/** JSON-safe copy (dates as ISO strings), so before/after read back exactly as they were. */
function snapshot(value: unknown): Prisma.InputJsonValue | undefined {
  return value === undefined || value === null ? undefined : (JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue);
}

export async function recordAudit(db: DbTx, entry: AuditEntry): Promise<void> {
  await db.auditLog.create({
    data: {
      actorId: entry.actorId,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      before: snapshot(entry.before),
      after: snapshot(entry.after),
    },
  });
}

export const ZAuditListInput = z
  .strictObject({
    entityType: z.string().trim().max(40).optional(),
    entityId: z.string().trim().max(64).optional(),
    actorId: z.string().trim().max(64).optional(),
    /** Text in the action, the admin's email or name, or the target's names as the log shows them. */
    query: z.string().trim().max(200).optional(),
    /** Entries from this instant on… */
    from: z.date().optional(),
    /** …and before this one. */
    to: z.date().optional(),
    cursor: ZId.optional(),
    limit: z.number().int().min(1).max(100).default(50),
    direction: ZPageDirection,
  })
  .refine((i) => !i.from || !i.to || i.from < i.to, { message: "The “from” date must come before the “to” date.", path: ["from"] });

/**
 * A page of entries, newest first. The filters are one SQL query (the text matched against the targets'
 * names through EXISTS per kind of entity), so every page holds exactly the entries that match.
 */
export async function listAudit(input: z.input<typeof ZAuditListInput> = {}, { db = prisma() }: { db?: DbTx } = {}) {
  const { entityType, entityId, actorId, query, from, to, cursor, limit } = ZAuditListInput.parse(input);
  const where: Prisma.Sql[] = [];
  if (entityType) where.push(Prisma.sql`a."entityType" = ${entityType}`);
  if (entityId) where.push(Prisma.sql`a."entityId" = ${entityId}`);
  if (actorId) where.push(Prisma.sql`a."actorId" = ${actorId}`);
  if (from) where.push(Prisma.sql`a."createdAt" >= ${from}`);
  if (to) where.push(Prisma.sql`a."createdAt" < ${to}`);
  if (query) where.push(textMatch(query));
  if (cursor) {
    where.push(Prisma.sql`(a."createdAt", a.id) < (SELECT c."createdAt", c.id FROM "AuditLog" c WHERE c.id = ${cursor})`);
  }
  const ids = await db.$queryRaw<{ id: string }[]>`
    SELECT a.id FROM "AuditLog" a
    ${where.length > 0 ? Prisma.sql`WHERE ${Prisma.join(where, " AND ")}` : Prisma.empty}
    ORDER BY a."createdAt" DESC, a.id DESC
    LIMIT ${limit + 1}`;
  const pageIds = ids.slice(0, limit).map((r) => r.id);
  const rows = await db.auditLog.findMany({
    where: { id: { in: pageIds } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: {
      id: true,
      action: true,
      entityType: true,
      entityId: true,
      before: true,
      after: true,
      createdAt: true,
      actor: { select: { id: true, email: true, name: true } },
    },
  });
  const targets = await targetsOf(rows, db);
  const items = rows.map((row) => ({ ...row, target: targets.get(`${row.entityType}:${row.entityId}`) ?? null }));
  return { items, nextCursor: ids.length > limit ? (items.at(-1)?.id ?? null) : null };
}

/**
 * The text, in any case, in what an entry shows: its action, its admin, its entity's id, and its target's
 * name and detail as targetsOf words them (an order's concert and buyer, a showtime's concert and venue…).
 */
function textMatch(text: string): Prisma.Sql {
  const p = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return Prisma.sql`(
    a.action ILIKE ${p} OR a."entityId" = ${text}
    OR EXISTS (SELECT 1 FROM "User" u WHERE u.id = a."actorId" AND (u.email ILIKE ${p} OR u.name ILIKE ${p}))
    OR (a."entityType" = 'Order' AND EXISTS (
      SELECT 1 FROM "Order" o JOIN "User" b ON b.id = o."userId" JOIN "Showtime" s ON s.id = o."showtimeId"
        JOIN "Concert" c ON c.id = s."concertId"
      WHERE o.id = a."entityId" AND (c.title ILIKE ${p} OR b.email ILIKE ${p})))
    OR (a."entityType" = 'Showtime' AND EXISTS (
      SELECT 1 FROM "Showtime" s JOIN "Concert" c ON c.id = s."concertId" JOIN "Venue" v ON v.id = s."venueId"
      WHERE s.id = a."entityId" AND (c.title ILIKE ${p} OR v.name ILIKE ${p})))
    OR (a."entityType" = 'Concert' AND EXISTS (
      SELECT 1 FROM "Concert" c WHERE c.id = a."entityId" AND (c.title ILIKE ${p} OR c.artist ILIKE ${p})))
    OR (a."entityType" = 'Venue' AND EXISTS (
      SELECT 1 FROM "Venue" v WHERE v.id = a."entityId" AND (v.name ILIKE ${p} OR v.city ILIKE ${p})))
    OR (a."entityType" = 'Channel' AND EXISTS (SELECT 1 FROM "Channel" ch WHERE ch.id = a."entityId" AND ch.name ILIKE ${p}))
    OR (a."entityType" = 'ApiKey' AND EXISTS (
      SELECT 1 FROM "ApiKey" k JOIN "Channel" ch ON ch.id = k."channelId"
      WHERE k.id = a."entityId" AND (k.name ILIKE ${p} OR k.prefix ILIKE ${p} OR ch.name ILIKE ${p})))
  )`;
}

/** What an entry's entity is, in words: the concert's title, the buyer's email, the venue's name… */
export type AuditTarget = { name: string; detail: string | null; at: { date: Date; timeZone: string } | null };

/** The targets of a page of entries, a query per kind of entity; one deleted since has none. */
async function targetsOf(rows: readonly { entityType: string; entityId: string }[], db: DbTx): Promise<Map<string, AuditTarget>> {
  const idsOf = (type: string) => [...new Set(rows.filter((r) => r.entityType === type).map((r) => r.entityId))];
  const [orders, showtimes, concerts, venues, channels, keys] = await Promise.all([
    db.order.findMany({
      where: { id: { in: idsOf("Order") } },
      select: {
        id: true,
        user: { select: { email: true } },
        showtime: { select: { startsAt: true, concert: { select: { title: true } }, venue: { select: { timezone: true } } } },
      },
    }),
    db.showtime.findMany({
      where: { id: { in: idsOf("Showtime") } },
      select: { id: true, startsAt: true, concert: { select: { title: true } }, venue: { select: { name: true, timezone: true } } },
    }),
    db.concert.findMany({ where: { id: { in: idsOf("Concert") } }, select: { id: true, title: true, artist: true } }),
    db.venue.findMany({ where: { id: { in: idsOf("Venue") } }, select: { id: true, name: true, city: true } }),
    db.channel.findMany({ where: { id: { in: idsOf("Channel") } }, select: { id: true, name: true } }),
    db.apiKey.findMany({
      where: { id: { in: idsOf("ApiKey") } },
      select: { id: true, name: true, prefix: true, channel: { select: { name: true } } },
    }),
  ]);
  const out = new Map<string, AuditTarget>();
  for (const o of orders) {
    out.set(`Order:${o.id}`, {
      name: o.showtime.concert.title,
      detail: `bought by ${o.user.email}`,
      at: { date: o.showtime.startsAt, timeZone: o.showtime.venue.timezone },
    });
  }
  for (const s of showtimes)
    out.set(`Showtime:${s.id}`, { name: s.concert.title, detail: s.venue.name, at: { date: s.startsAt, timeZone: s.venue.timezone } });
  for (const c of concerts) out.set(`Concert:${c.id}`, { name: c.title, detail: c.artist, at: null });
  for (const v of venues) out.set(`Venue:${v.id}`, { name: v.name, detail: v.city, at: null });
  for (const c of channels) out.set(`Channel:${c.id}`, { name: c.name, detail: null, at: null });
  for (const k of keys) out.set(`ApiKey:${k.id}`, { name: `${k.name} (${k.prefix}…)`, detail: `key of ${k.channel.name}`, at: null });
  return out;
}
