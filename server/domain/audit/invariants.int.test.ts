// The auditor on real data: clean after real holds, top-ups and checkouts; then each way the data can be
// corrupted, done directly in SQL, is named by the check it breaks (or refused by a constraint outright).
import { describe, expect, it } from "vitest";
import { prisma } from "../../db.ts";
import { makeConcert, makeFans } from "../../../test/support/factories.ts";
import { checkoutHold } from "../checkout/checkout.ts";
import { refundOrder } from "../checkout/refund.ts";
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
  const seats = (await prisma().seat.findMany({ where: { showtimeId }, orderBy: { id: "asc" }, select: { id: true } })).map((s) => s.id);
  const paid = [];
  for (const [i, fan] of [a!, b!].entries()) {
    const hold = await holdSeats({ showtimeId, seatIds: seats.slice(i * 2, i * 2 + 2) }, who(fan));
    await topUpWallet({ currency: "KRW", amountMinor: 500_000, idempotencyKey: key() }, fan);
    paid.push({ fan, ...(await checkoutHold({ userId: fan, showtimeId, holdId: hold.holdId, idempotencyKey: key() })) });
  }
  const live = await holdSeats({ showtimeId, seatIds: [seats[5]!] }, who(c!));
  return { showtimeId, fans: [a!, b!, c!] as [string, string, string], seats, paid: paid as [(typeof paid)[0], (typeof paid)[0]], live };
}

/** A live hold written directly, past the per-user limit the claim would have enforced. */
async function holdSeatsUnchecked(showtimeId: string, userId: string, seatIds: number[]) {
  const [hold] = await prisma().$queryRaw<{ id: string }[]>`
    INSERT INTO "Hold" (id, "showtimeId", "userId", "heldUntil", "seatCount", "seatIds", client, ip, "updatedAt")
    VALUES (gen_random_uuid()::text, ${showtimeId}, ${userId}, now() + interval '5 minutes', ${seatIds.length}, ${seatIds}::int[], 'web', '127.0.0.1', now())
    RETURNING id`;
  await prisma()
    .$executeRaw`UPDATE "Seat" SET status = 'HELD', "holdId" = ${hold!.id}, "heldUntil" = now() + interval '5 minutes' WHERE id = ANY(${seatIds}::int[])`;
  return hold!.id;
}

const audit = (showtimeId: string, opts: { sweepIntervalMs?: number; now?: Date } = {}) =>
  auditInvariants(prisma(), { showtimeId, ...opts });

/** The failing checks' names, and the kinds of violation their examples name. */
function failures(result: AuditResult) {
  return result.checks
    .filter((c) => !c.ok)
    .map((c) => ({ name: c.name, kinds: [...new Set(c.examples.map((e) => (e as { kind: string }).kind))] }));
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
    expect(INVARIANT_NAMES).toHaveLength(12);
    expect(failures(result)).toEqual([]);
    expect(result.ok).toBe(true);

    // A corruption in another showtime does not show up in this one's audit, but does in the global one.
    const other = await onSale();
    await prisma().$executeRaw`UPDATE "Wallet" SET "balanceMinor" = "balanceMinor" + 1 WHERE "userId" = ${other.fans[0]}`;
    expect((await audit(showtimeId)).ok).toBe(true);
    const global = await auditInvariants(prisma());
    expect(failures(global).map((f) => f.name)).toContain("wallet equals its ledger");
    await prisma().$executeRaw`UPDATE "Wallet" SET "balanceMinor" = "balanceMinor" - 1 WHERE "userId" = ${other.fans[0]}`;
  });

  it("refuses a second VALID ticket for a seat (unique index), and names a SOLD seat without its ticket", async () => {
    const { showtimeId, paid } = await onSale();
    const ticket = await prisma().ticket.findFirstOrThrow({ where: { orderId: paid[0].orderId } });
    await expectRefused(
      prisma()
        .$executeRaw`INSERT INTO "Ticket" (id, "orderId", "seatId", "ownerId", code, status, "priceMinor", "feeMinor", currency, "updatedAt")
        VALUES (gen_random_uuid()::text, ${ticket.orderId}, ${ticket.seatId}, ${ticket.ownerId}, gen_random_uuid()::text, 'VALID', 1, 0, 'KRW', now())`,
      /Ticket_one_valid_per_seat|unique/i,
    );
    await prisma().$executeRaw`UPDATE "Ticket" SET status = 'CANCELLED' WHERE id = ${ticket.id}`;
    expect(failures(await audit(showtimeId))).toEqual([{ name: "no seat sold twice", kinds: ["sold seat without a valid ticket"] }]);
  });

  it("names a VALID ticket on a seat that is not SOLD", async () => {
    const { showtimeId, paid } = await onSale();
    const seatId = paid[1].seatIds[0]!;
    await prisma().$executeRaw`UPDATE "Seat" SET status = 'AVAILABLE', "holdId" = NULL, "heldUntil" = NULL WHERE id = ${seatId}`;
    const result = await audit(showtimeId);
    expect(failures(result)).toEqual([{ name: "no seat sold twice", kinds: ["valid ticket on a seat that is not sold"] }]);
    expect(result.checks[0]!.examples[0]).toMatchObject({ seatId, status: "AVAILABLE", validTickets: 1 });
  });

  it("names a SOLD seat that an ACTIVE hold still claims, and a HELD seat with a VALID ticket", async () => {
    const first = await onSale();
    await prisma()
      .$executeRaw`UPDATE "Hold" SET status = 'ACTIVE', "heldUntil" = now() + interval '5 minutes' WHERE id = ${first.paid[0].holdId}`;
    // That live hold's seats are SOLD, not HELD by it: it has lost them, too.
    expect(failures(await audit(first.showtimeId))).toEqual([
      { name: "no seat both sold and held", kinds: ["sold seat claimed by an active hold"] },
      { name: "no seat held twice", kinds: ["live hold lost its seat"] },
    ]);

    const second = await onSale();
    const seatId = second.paid[0].seatIds[0]!;
    await prisma()
      .$executeRaw`UPDATE "Seat" SET status = 'HELD', "holdId" = ${second.live.holdId}, "heldUntil" = now() + interval '5 minutes' WHERE id = ${seatId}`;
    const kinds = failures(await audit(second.showtimeId));
    expect(kinds).toContainEqual({ name: "no seat both sold and held", kinds: ["held seat with a valid ticket"] });
    // A HELD seat with a VALID ticket is also a valid ticket on a seat that is not SOLD.
    expect(kinds.map((f) => f.name).sort()).toEqual(["no seat both sold and held", "no seat sold twice"]);
  });

  it("names a seat in two live holds, and a live hold that lost its seat", async () => {
    const first = await onSale();
    const seatId = first.live.seatIds[0]!;
    // Another live hold claiming the same seat (the seat row still names the first).
    const [other] = await prisma().$queryRaw<{ id: string }[]>`
      INSERT INTO "Hold" (id, "showtimeId", "userId", "heldUntil", "seatCount", "seatIds", client, ip, "updatedAt")
      VALUES (gen_random_uuid()::text, ${first.showtimeId}, ${first.fans[0]}, now() + interval '5 minutes', 1, ARRAY[${seatId}]::int[], 'web', '127.0.0.1', now())
      RETURNING id`;
    let result = await audit(first.showtimeId);
    expect(failures(result).map((f) => ({ ...f, kinds: f.kinds.sort() }))).toEqual([
      { name: "no seat held twice", kinds: ["live hold lost its seat", "seat in several live holds"] },
    ]);
    const examples = result.checks.find((c) => !c.ok)!.examples;
    expect(examples).toHaveLength(2);
    expect(examples).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ seatId, holds: 2 }),
        expect.objectContaining({ holdId: other!.id, seatId, seatHoldId: first.live.holdId }),
      ]),
    );

    // A live hold whose seat went back on sale behind its back.
    const second = await onSale();
    await prisma()
      .$executeRaw`UPDATE "Seat" SET status = 'AVAILABLE', "holdId" = NULL, "heldUntil" = NULL WHERE "holdId" = ${second.live.holdId}`;
    result = await audit(second.showtimeId);
    expect(failures(result)).toEqual([{ name: "no seat held twice", kinds: ["live hold lost its seat"] }]);
    expect(result.checks.find((c) => !c.ok)!.examples[0]).toMatchObject({ holdId: second.live.holdId, seatStatus: "AVAILABLE" });
    // Once the hold has run out it no longer claims anything.
    expect((await audit(second.showtimeId, { now: new Date(second.live.heldUntil.getTime() + 1) })).ok).toBe(true);
  });

  it("names a fan with live holds past the per-user limit, counting the tickets they bought", async () => {
    const { showtimeId, fans, seats } = await onSale();
    // The first fan bought 2 seats; a live hold of 1 more makes 3, over a limit of 2.
    await prisma().showtime.update({ where: { id: showtimeId }, data: { perUserLimit: 2 } });
    expect((await audit(showtimeId)).ok).toBe(true);
    const hold = await holdSeatsUnchecked(showtimeId, fans[0], [seats[6]!]);
    const result = await audit(showtimeId);
    expect(failures(result)).toEqual([{ name: "per-user limit kept", kinds: ["more seats than the per-user limit"] }]);
    expect(result.checks.find((c) => !c.ok)!.examples[0]).toMatchObject({ userId: fans[0], held: 1, bought: 2, limit: 2, holdIds: [hold] });
  });

  it("names an order refunded twice, a refund of a paid order, and a refunded order without its refund", async () => {
    const { showtimeId, paid } = await onSale();
    await refundOrder(paid[0].orderId, { userId: paid[0].fan });
    expect((await audit(showtimeId)).ok).toBe(true);
    const refund = (userId: string, orderId: string, amountMinor: number) => prisma().$executeRaw`
      INSERT INTO "LedgerEntry" (id, "walletId", "userId", type, "amountMinor", "balanceAfterMinor", currency, "orderId")
      SELECT gen_random_uuid()::text, w.id, ${userId}, 'REFUND', ${amountMinor}, w."balanceMinor", 'KRW', ${orderId}
      FROM "Wallet" w WHERE w."userId" = ${userId}`;
    await refund(paid[0].fan, paid[0].orderId, paid[0].totalMinor);
    await refund(paid[1].fan, paid[1].orderId, paid[1].totalMinor);
    let result = await audit(showtimeId);
    const refunded = failures(result).find((f) => f.name === "refunded at most once");
    expect(refunded?.kinds.sort()).toEqual(["refund for an order not refunded", "several refunds for one order"]);
    expect(result.checks.find((c) => c.name === "refunded at most once")!.violations).toBe(2);

    const second = await onSale();
    await prisma().$executeRaw`UPDATE "Order" SET status = 'REFUNDED' WHERE id = ${second.paid[0].orderId}`;
    result = await audit(second.showtimeId);
    expect(failures(result)).toContainEqual({ name: "refunded at most once", kinds: ["refunded order without its refund"] });
  });

  it("names a ledger that sums below zero, and refuses a second entry for one idempotency key", async () => {
    const { showtimeId, fans } = await onSale();
    const wallet = await prisma().wallet.findFirstOrThrow({ where: { userId: fans[0] } });
    // A payment recorded from a stale balance: the entry's own balance after looks fine, the sum does not.
    await prisma().$executeRaw`INSERT INTO "LedgerEntry" (id, "walletId", "userId", type, "amountMinor", "balanceAfterMinor", currency)
      VALUES (gen_random_uuid()::text, ${wallet.id}, ${fans[0]}, 'PAYMENT', -600000, 0, 'KRW')`;
    const result = await audit(showtimeId);
    expect(failures(result)).toContainEqual({ name: "no negative balance", kinds: ["ledger sums below zero"] });
    expect(result.checks.find((c) => c.name === "no negative balance")!.examples[0]).toMatchObject({ walletId: wallet.id });

    // One credit per key is backed by a unique index; wallet.int.test.ts drops it to show the check naming it.
    const [topUp] = await prisma().$queryRaw<{ idempotencyKey: string }[]>`
      SELECT "idempotencyKey" FROM "LedgerEntry" WHERE "userId" = ${fans[1]} AND type = 'CHARGE'`;
    const w1 = await prisma().wallet.findFirstOrThrow({ where: { userId: fans[1] } });
    await expectRefused(
      prisma()
        .$executeRaw`INSERT INTO "LedgerEntry" (id, "walletId", "userId", type, "amountMinor", "balanceAfterMinor", currency, "idempotencyKey")
        VALUES (gen_random_uuid()::text, ${w1.id}, ${fans[1]}, 'CHARGE', 1, 1, 'KRW', ${topUp!.idempotencyKey})`,
      /LedgerEntry_userId_idempotencyKey_key|unique/i,
    );
  });

  it("names an ACTIVE hold past its time by more than one sweep interval, and only then", async () => {
    const { showtimeId, live } = await onSale();
    await prisma().$executeRaw`UPDATE "Hold" SET "heldUntil" = now() - interval '45 seconds' WHERE id = ${live.holdId}`;
    await prisma().$executeRaw`UPDATE "Seat" SET "heldUntil" = now() - interval '45 seconds' WHERE "holdId" = ${live.holdId}`;
    const result = await audit(showtimeId);
    expect(failures(result)).toEqual([{ name: "no stale active hold", kinds: ["active hold past its time"] }]);
    expect(result.checks.find((c) => !c.ok)!.examples[0]).toMatchObject({ holdId: live.holdId });
    expect((await audit(showtimeId, { sweepIntervalMs: 60_000 })).ok).toBe(true);
  });

  it("names a wallet that differs from its ledger, and the constraints refuse a negative balance", async () => {
    const { showtimeId, fans } = await onSale();
    await prisma().$executeRaw`UPDATE "Wallet" SET "balanceMinor" = "balanceMinor" + 100 WHERE "userId" = ${fans[1]}`;
    const result = await audit(showtimeId);
    expect(failures(result)).toEqual([{ name: "wallet equals its ledger", kinds: ["balance differs from the ledger"] }]);
    expect(result.checks.find((c) => !c.ok)!.examples[0]).toMatchObject({ userId: fans[1] });
    await prisma().$executeRaw`UPDATE "Wallet" SET "balanceMinor" = "balanceMinor" - 100 WHERE "userId" = ${fans[1]}`;

    await expectRefused(
      prisma().$executeRaw`UPDATE "Wallet" SET "balanceMinor" = -1 WHERE "userId" = ${fans[0]}`,
      /Wallet_balance_check|check/i,
    );
    // The ledger is append-only (a trigger refuses UPDATE), and an entry cannot leave a balance below zero.
    const wallet = await prisma().wallet.findFirstOrThrow({ where: { userId: fans[0] } });
    await expectRefused(
      prisma().$executeRaw`INSERT INTO "LedgerEntry" (id, "walletId", "userId", type, "amountMinor", "balanceAfterMinor", currency)
        VALUES (gen_random_uuid()::text, ${wallet.id}, ${fans[0]}, 'PAYMENT', -1, -1, 'KRW')`,
      /LedgerEntry.*check|check constraint/i,
    );
    await expectRefused(prisma().$executeRaw`UPDATE "LedgerEntry" SET "amountMinor" = 1 WHERE "userId" = ${fans[0]}`, /append-only/);
    expect((await audit(showtimeId)).ok).toBe(true);
  });

  it("names an order without its payment or paid a different amount; a payment without an order is refused", async () => {
    const { showtimeId, paid, fans } = await onSale();
    await prisma().$executeRaw`UPDATE "Payment" SET "amountMinor" = "amountMinor" - 1 WHERE "orderId" = ${paid[1].orderId}`;
    expect(failures(await audit(showtimeId))).toEqual([
      { name: "one payment per paid order", kinds: ["payment differs from the order total"] },
    ]);
    await prisma().$executeRaw`DELETE FROM "Payment" WHERE "orderId" = ${paid[0].orderId}`;
    const result = await audit(showtimeId);
    expect(result.checks.find((c) => c.name === "one payment per paid order")).toMatchObject({ ok: false, violations: 2 });

    const ledger = await prisma().ledgerEntry.findFirstOrThrow({ where: { userId: fans[0], type: "CHARGE" } });
    await expectRefused(
      prisma().$executeRaw`INSERT INTO "Payment" (id, "orderId", "userId", "amountMinor", currency, "ledgerEntryId")
        VALUES (gen_random_uuid()::text, 'no-such-order', ${fans[0]}, 1, 'KRW', ${ledger.id})`,
      /foreign key|Payment_orderId_fkey/i,
    );
  });

  it("names a second charge for a hold and a charge without an order; a second order per hold or key is refused", async () => {
    const { showtimeId, paid, fans } = await onSale();
    const wallet = await prisma().wallet.findFirstOrThrow({ where: { userId: fans[0] } });
    // A second PAYMENT for the same order (the ledger sum then differs from the balance too).
    await prisma()
      .$executeRaw`INSERT INTO "LedgerEntry" (id, "walletId", "userId", type, "amountMinor", "balanceAfterMinor", currency, "orderId")
      VALUES (gen_random_uuid()::text, ${wallet.id}, ${fans[0]}, 'PAYMENT', -1, 0, 'KRW', ${paid[0].orderId})`;
    let result = await audit(showtimeId);
    expect(failures(result)).toContainEqual({ name: "nobody charged twice", kinds: ["several payments for one hold"] });
    expect(result.checks.find((c) => c.name === "nobody charged twice")!.examples[0]).toMatchObject({
      holdId: paid[0].holdId,
      payments: 2,
    });

    const second = await onSale();
    const w2 = await prisma().wallet.findFirstOrThrow({ where: { userId: second.fans[1] } });
    await prisma().$executeRaw`INSERT INTO "LedgerEntry" (id, "walletId", "userId", type, "amountMinor", "balanceAfterMinor", currency)
      VALUES (gen_random_uuid()::text, ${w2.id}, ${second.fans[1]}, 'PAYMENT', -1, 0, 'KRW')`;
    result = await audit(second.showtimeId);
    expect(failures(result)).toContainEqual({ name: "nobody charged twice", kinds: ["payment ledger entry without an order"] });

    const order = await prisma().order.findUniqueOrThrow({ where: { id: paid[1].orderId } });
    await expectRefused(
      prisma()
        .$executeRaw`INSERT INTO "Order" (id, "userId", "showtimeId", "holdId", "subtotalMinor", "feesMinor", "totalMinor", currency, "idempotencyKey")
        VALUES (gen_random_uuid()::text, ${order.userId}, ${showtimeId}, ${order.holdId}, 0, 0, 0, 'KRW', ${key()})`,
      /Order_holdId_key|unique/i,
    );
    await expectRefused(
      prisma()
        .$executeRaw`INSERT INTO "Order" (id, "userId", "showtimeId", "holdId", "subtotalMinor", "feesMinor", "totalMinor", currency, "idempotencyKey")
        VALUES (gen_random_uuid()::text, ${order.userId}, ${showtimeId}, ${second.live.holdId}, 0, 0, 0, 'KRW', ${order.idempotencyKey})`,
      /Order_userId_idempotencyKey_key|unique/i,
    );
  });

  it("names a VALID ticket owned by neither its buyer nor its transferee", async () => {
    const { showtimeId, paid, fans } = await onSale();
    const ticket = await prisma().ticket.findFirstOrThrow({ where: { orderId: paid[0].orderId } });
    await prisma().$executeRaw`UPDATE "Ticket" SET "ownerId" = ${fans[2]} WHERE id = ${ticket.id}`;
    const result = await audit(showtimeId);
    expect(failures(result)).toEqual([{ name: "ticket owner is buyer or transferee", kinds: ["ticket owned by someone else"] }]);
    expect(result.checks.find((c) => !c.ok)!.examples[0]).toMatchObject({ ticketId: ticket.id, ownerId: fans[2], buyerId: paid[0].fan });

    // An accepted transfer to that fan makes the same ownership right; a later one to someone else makes it wrong again.
    const transfer = (to: string, at: string) => prisma().$executeRaw`
      INSERT INTO "TicketTransfer" (id, "ticketId", "fromUserId", "toEmail", "toUserId", status, "expiresAt", "respondedAt")
      VALUES (gen_random_uuid()::text, ${ticket.id}, ${paid[0].fan}, 'x@example.test', ${to}, 'ACCEPTED', now() + interval '1 day', now() + ${at}::interval)`;
    await transfer(fans[2], "0 seconds");
    expect((await audit(showtimeId)).ok).toBe(true);
    await transfer(fans[1], "1 second");
    expect(failures(await audit(showtimeId)).map((f) => f.name)).toEqual(["ticket owner is buyer or transferee"]);
  });
});
