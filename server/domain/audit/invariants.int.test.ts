// The auditor on real data: clean after real holds, top-ups and checkouts; then each way the data can be
// corrupted, done directly in SQL, is named by the check it breaks (or refused by a constraint outright).
import { describe, expect, it } from "vitest";
import { prisma } from "../../db.ts";
import { makeConcert, makeFans } from "../../test/factories.ts";
import { checkoutHold } from "../checkout/checkout.ts";
import { holdSeats } from "../holds/holds.ts";
import { topUpWallet } from "../wallet/wallet.ts";
import { auditInvariants, INVARIANT_NAMES, type AuditResult } from "./invariants.ts";

const who = (userId: string) => ({ userId, client: "web", ip: "127.0.0.1" });
const key = () => `key-${crypto.randomUUID()}`;

/**
 * A showtime after a small on-sale through the domain functions: two fans paid for two seats each, a
 * third holds one seat (live), the rest are free. Returns what the corruptions need.
 */
async function onSale() {
  const showtimeId = (await makeConcert({ layout: { rows: 2, seatsPerRow: 5 } })).showtimes[0]!.id;
  const [a, b, c] = await makeFans(3);
  const seats = (await prisma.seat.findMany({ where: { showtimeId }, orderBy: { id: "asc" }, select: { id: true } })).map((s) => s.id);
  const paid = [];
  for (const [i, fan] of [a!, b!].entries()) {
    const hold = await holdSeats({ showtimeId, seatIds: seats.slice(i * 2, i * 2 + 2) }, who(fan));
    await topUpWallet(fan, { currency: "KRW", amountMinor: 500_000, idempotencyKey: key() });
    paid.push({ fan, ...(await checkoutHold({ userId: fan, showtimeId, holdId: hold.holdId, idempotencyKey: key() })) });
  }
  const live = await holdSeats({ showtimeId, seatIds: [seats[5]!] }, who(c!));
  return { showtimeId, fans: [a!, b!, c!] as [string, string, string], seats, paid: paid as [(typeof paid)[0], (typeof paid)[0]], live };
}

const audit = (showtimeId: string, opts: { sweepIntervalMs?: number; now?: Date } = {}) => auditInvariants(prisma, { showtimeId, ...opts });

/** The failing checks' names, and the kinds of violation their examples name. */
function failures(result: AuditResult) {
  return result.checks.filter((c) => !c.ok).map((c) => ({ name: c.name, kinds: [...new Set(c.examples.map((e) => (e as { kind: string }).kind))] }));
}

async function expectRefused(sql: Promise<unknown>, constraint: RegExp) {
  const err = await sql.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, "the database accepted a corruption its constraints should refuse").toBeDefined();
  expect(String((err as Error).message) + JSON.stringify(err)).toMatch(constraint);
}

describe("auditInvariants", () => {
  it("is clean after a real on-sale, checks every invariant, and stays scoped to the showtime", async () => {
    const { showtimeId } = await onSale();
    const result = await audit(showtimeId);
    expect(result.checks.map((c) => c.name)).toEqual(INVARIANT_NAMES);
    expect(INVARIANT_NAMES).toHaveLength(8);
    expect(failures(result)).toEqual([]);
    expect(result.ok).toBe(true);

    // A corruption in another showtime does not show up in this one's audit, but does in the global one.
    const other = await onSale();
    await prisma.$executeRaw`UPDATE "Wallet" SET "balanceMinor" = "balanceMinor" + 1 WHERE "userId" = ${other.fans[0]}`;
    expect((await audit(showtimeId)).ok).toBe(true);
    const global = await auditInvariants(prisma);
    expect(failures(global).map((f) => f.name)).toContain("wallet equals its ledger");
    await prisma.$executeRaw`UPDATE "Wallet" SET "balanceMinor" = "balanceMinor" - 1 WHERE "userId" = ${other.fans[0]}`;
  });

  it("refuses a second VALID ticket for a seat (unique index), and names a SOLD seat without its ticket", async () => {
    const { showtimeId, paid } = await onSale();
    const ticket = await prisma.ticket.findFirstOrThrow({ where: { orderId: paid[0].orderId } });
    await expectRefused(
      prisma.$executeRaw`INSERT INTO "Ticket" (id, "orderId", "seatId", "ownerId", code, status, "priceMinor", "feeMinor", currency, "updatedAt")
        VALUES (gen_random_uuid()::text, ${ticket.orderId}, ${ticket.seatId}, ${ticket.ownerId}, gen_random_uuid()::text, 'VALID', 1, 0, 'KRW', now())`,
      /Ticket_one_valid_per_seat|unique/i,
    );
    await prisma.$executeRaw`UPDATE "Ticket" SET status = 'CANCELLED' WHERE id = ${ticket.id}`;
    expect(failures(await audit(showtimeId))).toEqual([{ name: "no seat sold twice", kinds: ["sold seat without a valid ticket"] }]);
  });

  it("names a VALID ticket on a seat that is not SOLD", async () => {
    const { showtimeId, paid } = await onSale();
    const seatId = paid[1].seatIds[0]!;
    await prisma.$executeRaw`UPDATE "Seat" SET status = 'AVAILABLE', "holdId" = NULL, "heldUntil" = NULL WHERE id = ${seatId}`;
    const result = await audit(showtimeId);
    expect(failures(result)).toEqual([{ name: "no seat sold twice", kinds: ["valid ticket on a seat that is not sold"] }]);
    expect(result.checks[0]!.examples[0]).toMatchObject({ seatId, status: "AVAILABLE", validTickets: 1 });
  });

  it("names a SOLD seat that an ACTIVE hold still claims, and a HELD seat with a VALID ticket", async () => {
    const first = await onSale();
    await prisma.$executeRaw`UPDATE "Hold" SET status = 'ACTIVE', "heldUntil" = now() + interval '5 minutes' WHERE id = ${first.paid[0].holdId}`;
    expect(failures(await audit(first.showtimeId))).toEqual([{ name: "no seat both sold and held", kinds: ["sold seat claimed by an active hold"] }]);

    const second = await onSale();
    const seatId = second.paid[0].seatIds[0]!;
    await prisma.$executeRaw`UPDATE "Seat" SET status = 'HELD', "holdId" = ${second.live.holdId}, "heldUntil" = now() + interval '5 minutes' WHERE id = ${seatId}`;
    const kinds = failures(await audit(second.showtimeId));
    expect(kinds).toContainEqual({ name: "no seat both sold and held", kinds: ["held seat with a valid ticket"] });
    // A HELD seat with a VALID ticket is also a valid ticket on a seat that is not SOLD.
    expect(kinds.map((f) => f.name).sort()).toEqual(["no seat both sold and held", "no seat sold twice"]);
  });

  it("names an ACTIVE hold past its time by more than one sweep interval, and only then", async () => {
    const { showtimeId, live } = await onSale();
    await prisma.$executeRaw`UPDATE "Hold" SET "heldUntil" = now() - interval '45 seconds' WHERE id = ${live.holdId}`;
    await prisma.$executeRaw`UPDATE "Seat" SET "heldUntil" = now() - interval '45 seconds' WHERE "holdId" = ${live.holdId}`;
    const result = await audit(showtimeId);
    expect(failures(result)).toEqual([{ name: "no stale active hold", kinds: ["active hold past its time"] }]);
    expect(result.checks.find((c) => !c.ok)!.examples[0]).toMatchObject({ holdId: live.holdId });
    expect((await audit(showtimeId, { sweepIntervalMs: 60_000 })).ok).toBe(true);
  });

  it("names a wallet that differs from its ledger, and the constraints refuse a negative balance", async () => {
    const { showtimeId, fans } = await onSale();
    await prisma.$executeRaw`UPDATE "Wallet" SET "balanceMinor" = "balanceMinor" + 100 WHERE "userId" = ${fans[1]}`;
    const result = await audit(showtimeId);
    expect(failures(result)).toEqual([{ name: "wallet equals its ledger", kinds: ["balance differs from the ledger"] }]);
    expect(result.checks.find((c) => !c.ok)!.examples[0]).toMatchObject({ userId: fans[1] });
    await prisma.$executeRaw`UPDATE "Wallet" SET "balanceMinor" = "balanceMinor" - 100 WHERE "userId" = ${fans[1]}`;

    await expectRefused(prisma.$executeRaw`UPDATE "Wallet" SET "balanceMinor" = -1 WHERE "userId" = ${fans[0]}`, /Wallet_balance_check|check/i);
    // The ledger is append-only (a trigger refuses UPDATE), and an entry cannot leave a balance below zero.
    const wallet = await prisma.wallet.findFirstOrThrow({ where: { userId: fans[0] } });
    await expectRefused(
      prisma.$executeRaw`INSERT INTO "LedgerEntry" (id, "walletId", "userId", type, "amountMinor", "balanceAfterMinor", currency)
        VALUES (gen_random_uuid()::text, ${wallet.id}, ${fans[0]}, 'PAYMENT', -1, -1, 'KRW')`,
      /LedgerEntry.*check|check constraint/i,
    );
    await expectRefused(prisma.$executeRaw`UPDATE "LedgerEntry" SET "amountMinor" = 1 WHERE "userId" = ${fans[0]}`, /append-only/);
    expect((await audit(showtimeId)).ok).toBe(true);
  });

  it("names an order without its payment or paid a different amount; a payment without an order is refused", async () => {
    const { showtimeId, paid, fans } = await onSale();
    await prisma.$executeRaw`UPDATE "Payment" SET "amountMinor" = "amountMinor" - 1 WHERE "orderId" = ${paid[1].orderId}`;
    expect(failures(await audit(showtimeId))).toEqual([{ name: "one payment per paid order", kinds: ["payment differs from the order total"] }]);
    await prisma.$executeRaw`DELETE FROM "Payment" WHERE "orderId" = ${paid[0].orderId}`;
    const result = await audit(showtimeId);
    expect(result.checks.find((c) => c.name === "one payment per paid order")).toMatchObject({ ok: false, violations: 2 });

    const ledger = await prisma.ledgerEntry.findFirstOrThrow({ where: { userId: fans[0], type: "CHARGE" } });
    await expectRefused(
      prisma.$executeRaw`INSERT INTO "Payment" (id, "orderId", "userId", "amountMinor", currency, "ledgerEntryId")
        VALUES (gen_random_uuid()::text, 'no-such-order', ${fans[0]}, 1, 'KRW', ${ledger.id})`,
      /foreign key|Payment_orderId_fkey/i,
    );
  });

  it("names a second charge for a hold and a charge without an order; a second order per hold or key is refused", async () => {
    const { showtimeId, paid, fans } = await onSale();
    const wallet = await prisma.wallet.findFirstOrThrow({ where: { userId: fans[0] } });
    // A second PAYMENT for the same order (the ledger sum then differs from the balance too).
    await prisma.$executeRaw`INSERT INTO "LedgerEntry" (id, "walletId", "userId", type, "amountMinor", "balanceAfterMinor", currency, "orderId")
      VALUES (gen_random_uuid()::text, ${wallet.id}, ${fans[0]}, 'PAYMENT', -1, 0, 'KRW', ${paid[0].orderId})`;
    let result = await audit(showtimeId);
    expect(failures(result)).toContainEqual({ name: "nobody charged twice", kinds: ["several payments for one hold"] });
    expect(result.checks.find((c) => c.name === "nobody charged twice")!.examples[0]).toMatchObject({ holdId: paid[0].holdId, payments: 2 });

    const second = await onSale();
    const w2 = await prisma.wallet.findFirstOrThrow({ where: { userId: second.fans[1] } });
    await prisma.$executeRaw`INSERT INTO "LedgerEntry" (id, "walletId", "userId", type, "amountMinor", "balanceAfterMinor", currency)
      VALUES (gen_random_uuid()::text, ${w2.id}, ${second.fans[1]}, 'PAYMENT', -1, 0, 'KRW')`;
    result = await audit(second.showtimeId);
    expect(failures(result)).toContainEqual({ name: "nobody charged twice", kinds: ["payment ledger entry without an order"] });

    const order = await prisma.order.findUniqueOrThrow({ where: { id: paid[1].orderId } });
    await expectRefused(
      prisma.$executeRaw`INSERT INTO "Order" (id, "userId", "showtimeId", "holdId", "subtotalMinor", "feesMinor", "totalMinor", currency, "idempotencyKey")
        VALUES (gen_random_uuid()::text, ${order.userId}, ${showtimeId}, ${order.holdId}, 0, 0, 0, 'KRW', ${key()})`,
      /Order_holdId_key|unique/i,
    );
    await expectRefused(
      prisma.$executeRaw`INSERT INTO "Order" (id, "userId", "showtimeId", "holdId", "subtotalMinor", "feesMinor", "totalMinor", currency, "idempotencyKey")
        VALUES (gen_random_uuid()::text, ${order.userId}, ${showtimeId}, ${second.live.holdId}, 0, 0, 0, 'KRW', ${order.idempotencyKey})`,
      /Order_userId_idempotencyKey_key|unique/i,
    );
  });

  it("names a VALID ticket owned by neither its buyer nor its transferee", async () => {
    const { showtimeId, paid, fans } = await onSale();
    const ticket = await prisma.ticket.findFirstOrThrow({ where: { orderId: paid[0].orderId } });
    await prisma.$executeRaw`UPDATE "Ticket" SET "ownerId" = ${fans[2]} WHERE id = ${ticket.id}`;
    const result = await audit(showtimeId);
    expect(failures(result)).toEqual([{ name: "ticket owner is buyer or transferee", kinds: ["ticket owned by someone else"] }]);
    expect(result.checks.find((c) => !c.ok)!.examples[0]).toMatchObject({ ticketId: ticket.id, ownerId: fans[2], buyerId: paid[0].fan });

    // An accepted transfer to that fan makes the same ownership right; a later one to someone else makes it wrong again.
    const transfer = (to: string, at: string) => prisma.$executeRaw`
      INSERT INTO "TicketTransfer" (id, "ticketId", "fromUserId", "toEmail", "toUserId", status, "expiresAt", "respondedAt")
      VALUES (gen_random_uuid()::text, ${ticket.id}, ${paid[0].fan}, 'x@example.test', ${to}, 'ACCEPTED', now() + interval '1 day', now() + ${at}::interval)`;
    await transfer(fans[2], "0 seconds");
    expect((await audit(showtimeId)).ok).toBe(true);
    await transfer(fans[1], "1 second");
    expect(failures(await audit(showtimeId)).map((f) => f.name)).toEqual(["ticket owner is buyer or transferee"]);
  });
});
