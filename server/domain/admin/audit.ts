// The audit log of admin actions: written in the same transaction as the change it records.
import { z } from "zod";
import { prisma, type DbTx } from "../../db.ts";
import type { Prisma } from "../../generated/prisma/client.ts";
import { ZPageDirection } from "../paging.ts";

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

export const ZAuditListInput = z.strictObject({
  entityType: z.string().trim().max(40).optional(),
  entityId: z.string().trim().max(64).optional(),
  actorId: z.string().trim().max(64).optional(),
  cursor: z.string().trim().min(1).max(64).optional(),
  limit: z.number().int().min(1).max(100).default(50),
  direction: ZPageDirection,
});

export async function listAudit(input: z.input<typeof ZAuditListInput> = {}, { db = prisma }: { db?: DbTx } = {}) {
  const { entityType, entityId, actorId, cursor, limit } = ZAuditListInput.parse(input);
  const rows = await db.auditLog.findMany({
    where: { ...(entityType ? { entityType } : {}), ...(entityId ? { entityId } : {}), ...(actorId ? { actorId } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
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
  const page = rows.slice(0, limit);
  const targets = await targetsOf(page, db);
  const items = page.map((row) => ({ ...row, target: targets.get(`${row.entityType}:${row.entityId}`) ?? null }));
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
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
    db.apiKey.findMany({ where: { id: { in: idsOf("ApiKey") } }, select: { id: true, name: true, prefix: true, channel: { select: { name: true } } } }),
  ]);
  const out = new Map<string, AuditTarget>();
  for (const o of orders) {
    out.set(`Order:${o.id}`, { name: o.showtime.concert.title, detail: `bought by ${o.user.email}`, at: { date: o.showtime.startsAt, timeZone: o.showtime.venue.timezone } });
  }
  for (const s of showtimes) out.set(`Showtime:${s.id}`, { name: s.concert.title, detail: s.venue.name, at: { date: s.startsAt, timeZone: s.venue.timezone } });
  for (const c of concerts) out.set(`Concert:${c.id}`, { name: c.title, detail: c.artist, at: null });
  for (const v of venues) out.set(`Venue:${v.id}`, { name: v.name, detail: v.city, at: null });
  for (const c of channels) out.set(`Channel:${c.id}`, { name: c.name, detail: null, at: null });
  for (const k of keys) out.set(`ApiKey:${k.id}`, { name: `${k.name} (${k.prefix}…)`, detail: `key of ${k.channel.name}`, at: null });
  return out;
}
