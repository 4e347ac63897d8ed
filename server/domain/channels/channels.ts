// Partner channels and their API keys. A key is shown once when issued; only its SHA-256 hash and a
// visible prefix are stored. Keys carry 256 random bits, so a fast hash is enough (nothing to brute-force).
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { prisma, type Db, type DbTx } from "../../db.ts";
import { AppError } from "../errors.ts";
import { recordAudit } from "../admin/audit.ts";
import { ZId } from "../ids.ts";

export const ZCreateChannelInput = z.strictObject({
  code: z
    .string()
    .trim()
    .min(2, "The code needs 2 to 40 characters.")
    .max(40, "The code needs 2 to 40 characters.")
    .regex(/^[A-Za-z0-9_-]+$/, "The code may use letters, digits, _ and - only."),
  name: z.string().trim().min(1, "Give the channel a name.").max(120),
});

export const ZIssueKeyInput = z.strictObject({
  channelId: ZId,
  name: z.string().trim().min(1, "Name the key, e.g. after the system that uses it.").max(80),
});

const KEY_PREFIX = "osk_";

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export async function createChannel(input: z.input<typeof ZCreateChannelInput>, actorId: string, { db = prisma() }: { db?: Db } = {}) {
  const data = ZCreateChannelInput.parse(input);
  try {
    return await db.$transaction(async (tx) => {
      const channel = await tx.channel.create({ data, select: { id: true, code: true, name: true, createdAt: true } });
      await recordAudit(tx, { actorId, action: "channel.create", entityType: "Channel", entityId: channel.id, after: channel });
      return channel;
    });
  } catch (err) {
    if ((err as { code?: string }).code === "P2002") {
      throw new AppError("CONFLICT", "A channel with that code already exists.", {
        fieldErrors: { code: ["A channel with that code already exists."] },
      });
    }
    throw err;
  }
}

/** Issues a key; the returned `key` is the only time anyone sees it. */
export async function issueApiKey(input: z.input<typeof ZIssueKeyInput>, actorId: string, { db = prisma() }: { db?: Db } = {}) {
  const { channelId, name } = ZIssueKeyInput.parse(input);
  const key = `${KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  const prefix = key.slice(0, KEY_PREFIX.length + 8);
  return db.$transaction(async (tx) => {
    const channel = await tx.channel.findUnique({ where: { id: channelId }, select: { id: true } });
    if (!channel) throw new AppError("NOT_FOUND", "We couldn't find that channel.");
    const created = await tx.apiKey.create({
      data: { channelId, name, prefix, hash: hashApiKey(key), createdById: actorId },
      select: { id: true, name: true, prefix: true, createdAt: true },
    });
    await recordAudit(tx, {
      actorId,
      action: "apiKey.issue",
      entityType: "ApiKey",
      entityId: created.id,
      after: { ...created, channelId },
    });
    return { ...created, key };
  });
}

export async function revokeApiKey(keyId: string, actorId: string, { db = prisma(), now = new Date() }: { db?: Db; now?: Date } = {}) {
  return db.$transaction(async (tx) => {
    const key = await tx.apiKey.findUnique({ where: { id: keyId }, select: { id: true, prefix: true, revokedAt: true } });
    if (!key) throw new AppError("NOT_FOUND", "We couldn't find that key.");
    if (key.revokedAt) throw new AppError("CONFLICT", "This key was already revoked.");
    await tx.apiKey.update({ where: { id: keyId }, data: { revokedAt: now } });
    await recordAudit(tx, {
      actorId,
      action: "apiKey.revoke",
      entityType: "ApiKey",
      entityId: keyId,
      before: key,
      after: { ...key, revokedAt: now },
    });
    return { id: keyId, revokedAt: now };
  });
}

export async function listChannels({ db = prisma() }: { db?: DbTx } = {}) {
  return db.channel.findMany({
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      code: true,
      name: true,
      createdAt: true,
      apiKeys: {
        orderBy: { createdAt: "desc" },
        select: { id: true, name: true, prefix: true, createdAt: true, revokedAt: true, lastUsedAt: true },
      },
    },
  });
}

/**
 * The channel a partner request speaks for, or null: the key must be live and belong to the channel
 * named by `channelCode`. The hash comparison is constant-time, and a wrong channel, unknown key and
 * revoked key all look the same to the caller.
 */
export async function verifyApiKey(key: string, channelCode: string, { db = prisma() }: { db?: DbTx } = {}) {
  if (!key.startsWith(KEY_PREFIX) || key.length > 200) return null;
  const hash = hashApiKey(key);
  const found = await db.apiKey.findUnique({
    where: { prefix: key.slice(0, KEY_PREFIX.length + 8) },
    select: { id: true, hash: true, revokedAt: true, lastUsedAt: true, channel: { select: { id: true, code: true } } },
  });
  if (!found) return null;
  const same = timingSafeEqual(Buffer.from(found.hash, "hex"), Buffer.from(hash, "hex"));
  if (!same || found.revokedAt !== null || found.channel.code !== channelCode) return null;
  // "Last used" for the dashboard, written at most once a minute per key.
  if (!found.lastUsedAt || Date.now() - found.lastUsedAt.getTime() > 60_000) {
    await db.apiKey.update({ where: { id: found.id }, data: { lastUsedAt: new Date() } });
  }
  return { keyId: found.id, channelId: found.channel.id, channelCode: found.channel.code };
}
