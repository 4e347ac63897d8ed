// The wallet on PostgreSQL: top-ups with idempotency keys (also when raced), clear refusals that change
// nothing, a ledger that only grows, and a balance that always equals the ledger's sum.
import { describe, expect, it } from "vitest";
import { prisma } from "../../db.ts";
import { makeConcert, makeFans } from "../../../test/support/factories.ts";
import { barrier, purgeSales, withoutUniqueIndexes } from "../../../test/support/races.ts";
import { auditInvariants } from "../audit/invariants.ts";
import { holdSeats } from "../holds/holds.ts";
import { getWallets, listLedger, topUpWallet } from "./wallet.ts";
import { auditFailures } from "../../../test/support/audit.ts";

async function ledgerSum(userId: string, currency: "KRW" | "USD") {
  const agg = await prisma().ledgerEntry.aggregate({ where: { userId, currency }, _sum: { amountMinor: true } });
  return agg._sum.amountMinor ?? 0;
}

/**
 * A fan who holds a seat in a fresh showtime: the auditor, scoped to a showtime, looks at the wallets of
 * the fans who hold or held seats there.
 */
async function holder() {
  const showtimeId = (await makeConcert()).showtimes[0]!.id;
  const [fan] = await makeFans(1);
  const seat = await prisma().seat.findFirstOrThrow({ where: { showtimeId }, select: { id: true } });
  await holdSeats({ showtimeId, seatIds: [seat.id] }, { userId: fan!, client: "web", ip: "127.0.0.1" });
  return { fan: fan!, showtimeId };
}

describe("wallet", () => {
  it("tops up, lists the ledger newest first, and keeps the balance equal to the ledger", async () => {
    const [fan] = await makeFans(1);
    expect(await getWallets(fan!)).toEqual([
      { currency: "KRW", balanceMinor: 0, updatedAt: null },
      { currency: "USD", balanceMinor: 0, updatedAt: null },
    ]);
    await topUpWallet({ currency: "KRW", amountMinor: 50_000, idempotencyKey: "topup-0001" }, fan!);
    const second = await topUpWallet({ currency: "KRW", amountMinor: 25_000, idempotencyKey: "topup-0002" }, fan!);
    expect(second).toMatchObject({ type: "CHARGE", amountMinor: 25_000, balanceAfterMinor: 75_000 });
    await topUpWallet({ currency: "USD", amountMinor: 1_999, idempotencyKey: "topup-0003" }, fan!);
    const [krw, usd] = await getWallets(fan!);
    expect([krw!.balanceMinor, usd!.balanceMinor]).toEqual([75_000, 1_999]);
    expect(await ledgerSum(fan!, "KRW")).toBe(75_000);

    const page = await listLedger({ currency: "KRW", limit: 1 }, fan!);
    expect(page.items.map((e) => e.amountMinor)).toEqual([25_000]);
    expect((await listLedger({ currency: "KRW", cursor: page.nextCursor! }, fan!)).items.map((e) => e.amountMinor)).toEqual([50_000]);
  });

  it("charges once for 50 parallel top-ups with one key, and refuses the key for a different amount", async () => {
    const { fan, showtimeId } = await holder();
    const input = { currency: "KRW" as const, amountMinor: 10_000, idempotencyKey: "same-key-123" };
    const results = await Promise.all(Array.from({ length: 50 }, () => topUpWallet(input, fan)));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect((await getWallets(fan))[0]!.balanceMinor).toBe(10_000);
    expect(await prisma().ledgerEntry.count({ where: { userId: fan } })).toBe(1);
    await expect(topUpWallet({ ...input, amountMinor: 20_000 }, fan)).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await auditFailures(showtimeId)).toEqual({});
  });

  it("with all 50 lined up past the replay check, the unique index on (user, key) still credits once", async () => {
    const { fan, showtimeId } = await holder();
    const input = { currency: "KRW" as const, amountMinor: 10_000, idempotencyKey: "lined-up-key-1" };
    const pause = barrier(50);
    const results = await Promise.all(Array.from({ length: 50 }, () => topUpWallet(input, fan, { protections: { pause } })));
    expect(pause.arrived()).toBe(50);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect((await getWallets(fan))[0]!.balanceMinor).toBe(10_000);
    expect(await auditFailures(showtimeId)).toEqual({});
  });

  it("control: with that unique index dropped, 50 parallel top-ups with one key credit 50 times", async () => {
    const { fan, showtimeId } = await holder();
    const input = { currency: "KRW" as const, amountMinor: 10_000, idempotencyKey: "lined-up-key-2" };
    const pause = barrier(50);
    const failures = await withoutUniqueIndexes(
      ["LedgerEntry_userId_idempotencyKey_key"],
      async () => {
        const results = await Promise.all(Array.from({ length: 50 }, () => topUpWallet(input, fan, { protections: { pause } })));
        expect(new Set(results.map((r) => r.id)).size).toBe(50);
        expect((await getWallets(fan))[0]!.balanceMinor).toBe(500_000);
        const { checks } = await auditInvariants(prisma(), { showtimeId });
        expect(checks.find((c) => c.name === "one credit per idempotency key")!.examples).toEqual([
          expect.objectContaining({ userId: fan, idempotencyKey: input.idempotencyKey, entries: 50, creditedMinor: 500_000 }),
        ]);
        return auditFailures(showtimeId);
      },
      (tx) => purgeSales(tx, showtimeId, [fan]),
    );
    expect(failures).toEqual({ "one credit per idempotency key": 1 });
  });

  it("refuses bad amounts with a clear message and changes nothing", async () => {
    const [fan] = await makeFans(1);
    for (const amountMinor of [0, -500, 1.5, Number.NaN, 2_000_001]) {
      await expect(topUpWallet({ currency: "KRW", amountMinor, idempotencyKey: `bad-${String(amountMinor)}-key` }, fan!)).rejects.toThrow();
    }
    await expect(topUpWallet({ currency: "KRW", amountMinor: 2_000_001, idempotencyKey: "too-much-1" }, fan!)).rejects.toThrow(
      /at most ₩2,000,000/,
    );
    await expect(topUpWallet({ currency: "KRW", amountMinor: 100, idempotencyKey: "x" }, fan!)).rejects.toThrow(/8 to 100/);
    expect(await prisma().ledgerEntry.count({ where: { userId: fan! } })).toBe(0);
    expect(await prisma().wallet.count({ where: { userId: fan! } })).toBe(0);
  });

  it("keeps the ledger append-only and the balance non-negative in the database itself", async () => {
    const [fan] = await makeFans(1);
    const entry = await topUpWallet({ currency: "KRW", amountMinor: 1_000, idempotencyKey: "append-only-1" }, fan!);
    await expect(prisma().$executeRaw`UPDATE "LedgerEntry" SET "amountMinor" = 5 WHERE id = ${entry.id}`).rejects.toThrow(/append-only/);
    await expect(prisma().$executeRaw`DELETE FROM "LedgerEntry" WHERE id = ${entry.id}`).rejects.toThrow(/append-only/);
    await expect(prisma().$executeRaw`UPDATE "Wallet" SET "balanceMinor" = -1 WHERE "userId" = ${fan!}`).rejects.toThrow(
      /Wallet_balance_check/,
    );
  });
});
