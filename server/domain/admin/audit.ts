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
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}
