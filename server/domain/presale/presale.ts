// Presale eligibility: who may buy while a showtime's presale runs. An account is eligible when its email
// is on the showtime's presale list, or when it redeemed one of the showtime's access codes that is not
// revoked. The waiting room asks before letting a fan into the line, and every hold asks again.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { prisma, type Db, type DbTx } from "../../db.ts";
import { AppError } from "../errors.ts";
import { recordAudit } from "../admin/audit.ts";
import { ZId } from "../ids.ts";
import { EMAIL_MAX } from "../auth/schemas.ts";

export const PRESALE_FOR_MAX = 120;
export const PRESALE_CODES_PER_BATCH = 500;
export const PRESALE_LIST_MAX = 5000;

/** What a fan types, as codes are stored: upper case, no spaces. */
export function normaliseCode(raw: string): string {
  return raw.replace(/\s+/g, "").toUpperCase();
}

const ZCode = z
  .string()
  .transform(normaliseCode)
  .pipe(
    z
      .string()
      .min(4, "A code has 4 to 40 characters.")
      .max(40, "A code has 4 to 40 characters.")
      .regex(/^[A-Z0-9-]+$/, "A code may use letters, digits and dashes only."),
  );

export type PresaleStanding = { eligible: boolean; via: "list" | "code" | null };

/** Whether this account may buy in the showtime's presale, and why. */
export async function presaleStanding(showtimeId: string, userId: string, { db = prisma() }: { db?: DbTx } = {}): Promise<PresaleStanding> {
  const [row] = await db.$queryRaw<{ listed: boolean; redeemed: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM "PresaleListEntry" e JOIN "User" u ON u.email = e.email
                   WHERE e."showtimeId" = ${showtimeId} AND u.id = ${userId}) AS listed,
           EXISTS (SELECT 1 FROM "PresaleRedemption" r JOIN "PresaleCode" c ON c.id = r."codeId"
                   WHERE r."showtimeId" = ${showtimeId} AND r."userId" = ${userId} AND c."revokedAt" IS NULL) AS redeemed`;
  const via = row?.listed ? "list" : row?.redeemed ? "code" : null;
  return { eligible: via !== null, via };
}

/** Refuses an account that may not buy in the running presale. */
export async function assertPresaleEligible(showtimeId: string, userId: string, { db = prisma() }: { db?: DbTx } = {}): Promise<void> {
  const { eligible } = await presaleStanding(showtimeId, userId, { db });
  if (!eligible) {
    throw new AppError(
      "PRESALE_ONLY",
      "This presale is only for fans with a presale code or on the organiser's list. Enter your code on the showtime page, or come back when general sale opens.",
    );
  }
}

export const ZRedeemPresaleCodeInput = z.strictObject({ showtimeId: ZId, code: ZCode });

/**
 * Unlocks the presale for this account with a code. One use per account: an account that already may buy
 * uses nothing. The use is counted by a conditional update (uses < maxUses, not revoked) that concurrent
 * redemptions of the same code queue behind, so a code is never used more often than it allows; the
 * redemption's primary key (showtime, account) stops one account taking two uses.
 */
export async function redeemPresaleCode(
  input: z.input<typeof ZRedeemPresaleCodeInput>,
  userId: string,
  { db = prisma() }: { db?: Db } = {},
): Promise<PresaleStanding> {
  const { showtimeId, code } = ZRedeemPresaleCodeInput.parse(input);
  const standing = await presaleStanding(showtimeId, userId, { db });
  if (standing.eligible) return standing;
  const invalid = (reason: "unknown" | "revoked" | "used-up") =>
    new AppError(
      "PRESALE_CODE_INVALID",
      reason === "used-up"
        ? "That code has already been used as many times as it allows."
        : reason === "revoked"
          ? "That code is no longer valid."
          : "That code isn't valid for this showtime. Check it and try again.",
      { reason, fieldErrors: { code: ["Check the code."] } },
    );
  return db.$transaction(async (tx) => {
    const found = await tx.presaleCode.findUnique({
      where: { showtimeId_code: { showtimeId, code } },
      select: { id: true, revokedAt: true },
    });
    if (!found) throw invalid("unknown");
    if (found.revokedAt) throw invalid("revoked");
    // The redemption first: a second redemption by the same account waits on its key, then adds nothing.
    const inserted = await tx.$executeRaw`
      INSERT INTO "PresaleRedemption" ("showtimeId", "userId", "codeId") VALUES (${showtimeId}, ${userId}, ${found.id})
      ON CONFLICT DO NOTHING`;
    if (inserted === 0) return presaleStanding(showtimeId, userId, { db: tx });
    const used = await tx.$executeRaw`
      UPDATE "PresaleCode" SET uses = uses + 1 WHERE id = ${found.id} AND "revokedAt" IS NULL AND uses < "maxUses"`;
    if (used === 0) {
      const now = await tx.presaleCode.findUnique({ where: { id: found.id }, select: { revokedAt: true } });
      throw invalid(now?.revokedAt ? "revoked" : "used-up");
    }
    return { eligible: true, via: "code" } as const;
  });
}

// ---- Admin ----

export const ZPresaleSettingsInput = z.strictObject({
  showtimeId: ZId,
  presaleFor: z
    .string()
    .trim()
    .max(PRESALE_FOR_MAX, `Keep it to ${PRESALE_FOR_MAX} characters.`)
    .nullable()
    .transform((s) => (s ? s : null)),
  presaleLimit: z.number().int().min(1, "Allow at least 1 ticket, or leave it empty for the showtime's limit.").max(100).nullable(),
});

export async function updatePresaleSettings(
  input: z.input<typeof ZPresaleSettingsInput>,
  actorId: string,
  { db = prisma() }: { db?: Db } = {},
) {
  const { showtimeId, presaleFor, presaleLimit } = ZPresaleSettingsInput.parse(input);
  return db.$transaction(async (tx) => {
    const before = await tx.showtime.findUnique({
      where: { id: showtimeId },
      select: { presaleFor: true, presaleLimit: true, perUserLimit: true },
    });
    if (!before) throw new AppError("NOT_FOUND", "We couldn't find that showtime.");
    if (presaleLimit !== null && presaleLimit > before.perUserLimit) {
      throw new AppError("VALIDATION_FAILED", `The presale limit cannot be above the showtime's limit of ${before.perUserLimit}.`, {
        fieldErrors: { presaleLimit: [`At most ${before.perUserLimit}, the showtime's limit.`] },
      });
    }
    await tx.showtime.update({ where: { id: showtimeId }, data: { presaleFor, presaleLimit } });
    await recordAudit(tx, {
      actorId,
      action: "presale.settings",
      entityType: "Showtime",
      entityId: showtimeId,
      before: { presaleFor: before.presaleFor, presaleLimit: before.presaleLimit },
      after: { presaleFor, presaleLimit },
    });
    return { presaleFor, presaleLimit };
  });
}

export const ZCreatePresaleCodesInput = z
  .strictObject({
    showtimeId: ZId,
    label: z.string().trim().min(1, "Name the codes, e.g. after who gets them.").max(80, "Keep the name to 80 characters."),
    /** 1: each code works once; more: shared by that many accounts. */
    maxUses: z.number().int().min(1, "A code must work at least once.").max(1_000_000),
    count: z.number().int().min(1).max(PRESALE_CODES_PER_BATCH, `Create at most ${PRESALE_CODES_PER_BATCH} codes at once.`),
    /** A chosen code (count 1 only); random codes otherwise. */
    code: ZCode.optional(),
  })
  .refine((v) => v.code === undefined || v.count === 1, { message: "A chosen code is one code: set the count to 1.", path: ["count"] });

/** Random codes of 10 characters from an alphabet without look-alikes (0/O, 1/I/L). */
function randomCode(): string {
  const alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
  const bytes = randomBytes(10);
  let out = "";
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return `${out.slice(0, 5)}-${out.slice(5)}`;
}

export async function createPresaleCodes(
  input: z.input<typeof ZCreatePresaleCodesInput>,
  actorId: string,
  { db = prisma() }: { db?: Db } = {},
) {
  const { showtimeId, label, maxUses, count, code } = ZCreatePresaleCodesInput.parse(input);
  const codes = code ? [code] : Array.from({ length: count }, randomCode);
  try {
    return await db.$transaction(async (tx) => {
      const exists = await tx.showtime.findUnique({ where: { id: showtimeId }, select: { id: true } });
      if (!exists) throw new AppError("NOT_FOUND", "We couldn't find that showtime.");
      await tx.presaleCode.createMany({ data: codes.map((c) => ({ showtimeId, code: c, label, maxUses })) });
      await recordAudit(tx, {
        actorId,
        action: "presale.codes.create",
        entityType: "Showtime",
        entityId: showtimeId,
        after: { label, maxUses, count: codes.length },
      });
      return { codes };
    });
  } catch (err) {
    if ((err as { code?: string }).code === "P2002") {
      throw new AppError("CONFLICT", "That code already exists for this showtime.", {
        fieldErrors: { code: ["That code already exists."] },
      });
    }
    throw err;
  }
}

export async function revokePresaleCode(codeId: string, actorId: string, { db = prisma() }: { db?: Db } = {}) {
  return db.$transaction(async (tx) => {
    const code = await tx.presaleCode.findUnique({
      where: { id: codeId },
      select: { id: true, showtimeId: true, code: true, label: true, uses: true, revokedAt: true },
    });
    if (!code) throw new AppError("NOT_FOUND", "We couldn't find that code.");
    if (code.revokedAt) return { revokedAt: code.revokedAt };
    const revokedAt = new Date();
    await tx.presaleCode.update({ where: { id: codeId }, data: { revokedAt } });
    await recordAudit(tx, {
      actorId,
      action: "presale.code.revoke",
      entityType: "Showtime",
      entityId: code.showtimeId,
      before: { code: code.code, label: code.label, uses: code.uses },
    });
    return { revokedAt };
  });
}

/** Emails separated by new lines, commas, semicolons or spaces; each checked like a sign-up email. */
export const ZPresaleListInput = z.strictObject({
  showtimeId: ZId,
  emails: z
    .union([z.string().max(PRESALE_LIST_MAX * (EMAIL_MAX + 2)), z.array(z.string()).max(PRESALE_LIST_MAX)])
    .transform((given, ctx) => {
      const text = typeof given === "string" ? given : given.join("\n");
      const items = [
        ...new Set(
          text
            .split(/[\s,;]+/)
            .map((e) => e.trim().toLowerCase())
            .filter(Boolean),
        ),
      ];
      const bad = items.filter((e) => e.length > EMAIL_MAX || !z.email().safeParse(e).success);
      if (items.length === 0) ctx.addIssue({ code: "custom", message: "Enter at least one email address." });
      else if (items.length > PRESALE_LIST_MAX)
        ctx.addIssue({ code: "custom", message: `Add at most ${PRESALE_LIST_MAX} emails at once.` });
      else if (bad.length > 0) {
        ctx.addIssue({
          code: "custom",
          message: `Not email addresses: ${bad.slice(0, 5).join(", ")}${bad.length > 5 ? ` and ${bad.length - 5} more` : ""}.`,
        });
      }
      return items;
    }),
});

export async function addToPresaleList(input: z.input<typeof ZPresaleListInput>, actorId: string, { db = prisma() }: { db?: Db } = {}) {
  const { showtimeId, emails } = ZPresaleListInput.parse(input);
  return db.$transaction(async (tx) => {
    const exists = await tx.showtime.findUnique({ where: { id: showtimeId }, select: { id: true } });
    if (!exists) throw new AppError("NOT_FOUND", "We couldn't find that showtime.");
    const { count } = await tx.presaleListEntry.createMany({ data: emails.map((email) => ({ showtimeId, email })), skipDuplicates: true });
    await recordAudit(tx, { actorId, action: "presale.list.add", entityType: "Showtime", entityId: showtimeId, after: { added: count } });
    return { added: count, alreadyListed: emails.length - count };
  });
}

export const ZPresaleListRemoveInput = z.strictObject({ showtimeId: ZId, email: z.string().trim().toLowerCase().min(1).max(EMAIL_MAX) });

export async function removeFromPresaleList(
  input: z.input<typeof ZPresaleListRemoveInput>,
  actorId: string,
  { db = prisma() }: { db?: Db } = {},
) {
  const { showtimeId, email } = ZPresaleListRemoveInput.parse(input);
  return db.$transaction(async (tx) => {
    const { count } = await tx.presaleListEntry.deleteMany({ where: { showtimeId, email } });
    if (count > 0)
      await recordAudit(tx, { actorId, action: "presale.list.remove", entityType: "Showtime", entityId: showtimeId, before: { email } });
    return { removed: count };
  });
}

/** The admin's view: settings, every code with its uses, and the list (newest first). */
export async function getPresaleAdmin(showtimeId: string, { db = prisma() }: { db?: DbTx } = {}) {
  const showtime = await db.showtime.findUnique({
    where: { id: showtimeId },
    select: { presaleStartsAt: true, presaleEndsAt: true, presaleFor: true, presaleLimit: true, perUserLimit: true },
  });
  if (!showtime) throw new AppError("NOT_FOUND", "We couldn't find that showtime.");
  const [codes, list, listed] = await Promise.all([
    db.presaleCode.findMany({
      where: { showtimeId },
      orderBy: [{ createdAt: "desc" }, { code: "asc" }],
      select: { id: true, code: true, label: true, maxUses: true, uses: true, revokedAt: true, createdAt: true },
    }),
    db.presaleListEntry.findMany({
      where: { showtimeId },
      orderBy: [{ createdAt: "desc" }, { email: "asc" }],
      take: 200,
      select: { email: true, createdAt: true },
    }),
    db.presaleListEntry.count({ where: { showtimeId } }),
  ]);
  return { ...showtime, codes, list, listed };
}
