// Checkout and refund on PostgreSQL under real races: nobody charged twice, no seat sold twice, every
// wallet equal to its ledger; idempotent retries; checkout against expiry; refund rules; ownership.
import { describe, expect, it } from "vitest";
import { prisma } from "../../db.ts";
import { makeConcert, makeFans } from "../../../test/support/factories.ts";
import { barrier, isUniqueViolation, purgeSales, withoutUniqueIndexes } from "../../../test/support/races.ts";
import { auditInvariants } from "../audit/invariants.ts";
import { AppError } from "../errors.ts";
import { expireHold } from "../holds/expiry.ts";
import { holdSeats } from "../holds/holds.ts";
import { topUpWallet } from "../wallet/wallet.ts";
import { checkoutHold, type CheckoutResult } from "./checkout.ts";
import { readThenWriteCheckout } from "../../../test/stand-ins/checkout.ts";
import { readThenWriteRefund } from "../../../test/stand-ins/refund.ts";
import { refundOrder } from "./refund.ts";
import { auditFailures } from "../../../test/support/audit.ts";

const who = (userId: string) => ({ userId, client: "web", ip: "127.0.0.1" });
const key = () => `key-${crypto.randomUUID()}`;

async function seatsOf(showtimeId: string) {
  return (await prisma().seat.findMany({ where: { showtimeId }, orderBy: { id: "asc" }, select: { id: true } })).map((s) => s.id);
}

/** The money and seat invariants, read back from the database for the given fans and showtime. */
async function expectInvariants(showtimeId: string, fans: string[]) {
  for (const userId of fans) {
    const wallet = await prisma().wallet.findUnique({ where: { userId_currency: { userId, currency: "KRW" } } });
    const sum = await prisma().ledgerEntry.aggregate({ where: { userId, currency: "KRW" }, _sum: { amountMinor: true } });
    expect(wallet?.balanceMinor ?? 0).toBe(sum._sum.amountMinor ?? 0);
    expect(wallet?.balanceMinor ?? 0).toBeGreaterThanOrEqual(0);
  }
  const valid = await prisma().ticket.findMany({
    where: { order: { showtimeId }, status: "VALID" },
    select: { seatId: true, ownerId: true },
  });
  expect(new Set(valid.map((t) => t.seatId)).size).toBe(valid.length);
  const sold = await prisma().seat.findMany({ where: { showtimeId, status: "SOLD" }, select: { id: true } });
  expect(sold.map((s) => s.id).sort()).toEqual(valid.map((t) => t.seatId).sort());
  const orders = await prisma().order.findMany({
    where: { showtimeId },
    select: { id: true, totalMinor: true, payment: { select: { amountMinor: true } } },
  });
  for (const o of orders) expect(o.payment?.amountMinor).toBe(o.totalMinor);
  const payments = await prisma().ledgerEntry.count({ where: { type: "PAYMENT", order: { showtimeId } } });
  expect(payments).toBe(orders.length);
}

/**
 * 100 fans on a 400-seat showtime, each holding two pairs with a wallet that pays for one pair only, and
 * 600 checkouts ready to race: per hold two double-clicks with one key and a third request with its own.
 */

/** The fan holds the seat and can pay for it; `before` and `after` are the instants either side of the hold's end. */
async function holdAndFund(showtimeId: string, seatId: number, fan: string) {
  const hold = await holdSeats({ showtimeId, seatIds: [seatId] }, who(fan));
  await topUpWallet({ currency: "KRW", amountMinor: 200_000, idempotencyKey: key() }, fan);
  return { hold, before: new Date(hold.heldUntil.getTime() - 1), after: new Date(hold.heldUntil.getTime() + 1) };
}

async function thinWallets() {
  // 2 sections × 10 rows × 20 seats; each fan holds two pairs but can afford one pair only.
  const showtimeId = (await makeConcert({ layout: { rows: 10, seatsPerRow: 20 } })).showtimes[0]!.id;
  const seats = await seatsOf(showtimeId);
  const fans = await makeFans(100);
  const perFan = await Promise.all(
    fans.map(async (fan, i) => {
      const pairs = [0, 1].map((j) => seats.slice(i * 4 + j * 2, i * 4 + j * 2 + 2));
      const held = await Promise.all(
        pairs.map(async (seatIds) => ({ fan, holdId: (await holdSeats({ showtimeId, seatIds }, who(fan))).holdId })),
      );
      // Enough for one Gold pair (250,000) but not two pairs of any tier (Silver pair 166,000).
      await topUpWallet({ currency: "KRW", amountMinor: 300_000, idempotencyKey: key() }, fan);
      return held;
    }),
  );
  const holds = perFan.flat();
  // The real checkout unless a control passes its stand-in.
  const race = (pay: (ref: Parameters<typeof checkoutHold>[0]) => Promise<CheckoutResult> = (ref) => checkoutHold(ref)) => {
    const attempts: Promise<CheckoutResult>[] = [];
    for (const h of holds) {
      const k = key();
      attempts.push(...[k, k, key()].map((idempotencyKey) => pay({ userId: h.fan, showtimeId, holdId: h.holdId, idempotencyKey })));
    }
    return Promise.allSettled(attempts);
  };
  return { showtimeId, fans, race };
}

const reasons = (results: PromiseSettledResult<unknown>[]) =>
  results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => r.reason as { code?: string; meta?: unknown });

describe("checkoutHold", () => {
  it("turns a live hold into an order with one ticket per seat, and charges the wallet once", async () => {
    const concert = await makeConcert();
    const showtimeId = concert.showtimes[0]!.id;
    const [fan] = await makeFans(1);
    const seats = await seatsOf(showtimeId);
    // makeConcert: the first section is Gold (120,000 + 5,000 fee).
    const hold = await holdSeats({ showtimeId, seatIds: seats.slice(-2) }, who(fan!));
    await topUpWallet({ currency: "KRW", amountMinor: 300_000, idempotencyKey: key() }, fan!);
    const k = key();
    const paid = await checkoutHold({ userId: fan!, showtimeId, holdId: hold.holdId, idempotencyKey: k });
    expect(paid).toMatchObject({ seatIds: hold.seatIds, charged: true, currency: "KRW" });
    const again = await checkoutHold({ userId: fan!, showtimeId, holdId: hold.holdId, idempotencyKey: k });
    expect(again).toMatchObject({
      orderId: paid.orderId,
      charged: false,
      totalMinor: paid.totalMinor,
      balanceAfterMinor: paid.balanceAfterMinor,
    });
    expect(paid.balanceAfterMinor).toBe(300_000 - paid.totalMinor);

    const tickets = await prisma().ticket.findMany({ where: { orderId: paid.orderId } });
    expect(tickets.map((t) => t.seatId).sort()).toEqual(hold.seatIds);
    for (const t of tickets) expect(t.code).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await prisma().hold.findUniqueOrThrow({ where: { id: hold.holdId } })).toMatchObject({ status: "CONVERTED" });
    // Another key for the same, already paid hold is refused, naming the order, and charges nothing; also
    // past the waiting room's gate, which paying closed for the fan (another tab paying the same hold).
    const paidAlready = { code: "CONFLICT", details: { orderId: paid.orderId, status: "PAID" } };
    await expect(checkoutHold({ userId: fan!, showtimeId, holdId: hold.holdId, idempotencyKey: key() })).rejects.toMatchObject(paidAlready);
    const closedGate = async () => {
      throw new AppError("NOT_ADMITTED", "Join the queue first.");
    };
    await expect(
      checkoutHold({ userId: fan!, showtimeId, holdId: hold.holdId, idempotencyKey: key() }, { gate: closedGate }),
    ).rejects.toMatchObject(paidAlready);
    // Someone else naming the paid hold hears of no order.
    const [other] = await makeFans(1);
    await expect(
      checkoutHold({ userId: other!, showtimeId, holdId: hold.holdId, idempotencyKey: key() }, { gate: closedGate }),
    ).rejects.toMatchObject({ code: "NOT_ADMITTED" });
    await expectInvariants(showtimeId, [fan!]);
  });

  it("refuses a short wallet, someone else's hold and an ended hold, changing nothing", async () => {
    const showtimeId = (await makeConcert()).showtimes[0]!.id;
    const [fan, other] = await makeFans(2);
    const seats = await seatsOf(showtimeId);
    const hold = await holdSeats({ showtimeId, seatIds: [seats[0]!] }, who(fan!));
    await topUpWallet({ currency: "KRW", amountMinor: 1_000, idempotencyKey: key() }, fan!);
    await expect(checkoutHold({ userId: fan!, showtimeId, holdId: hold.holdId, idempotencyKey: key() })).rejects.toMatchObject({
      code: "INSUFFICIENT_FUNDS",
      details: { balanceMinor: 1_000, currency: "KRW" },
    });
    await expect(checkoutHold({ userId: other!, showtimeId, holdId: hold.holdId, idempotencyKey: key() })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const later = new Date(hold.heldUntil.getTime() + 1);
    await expect(
      checkoutHold({ userId: fan!, showtimeId, holdId: hold.holdId, idempotencyKey: key() }, { now: later }),
    ).rejects.toMatchObject({
      code: "HOLD_EXPIRED",
    });
    expect(await prisma().order.count({ where: { showtimeId } })).toBe(0);
    expect(await prisma().seat.count({ where: { showtimeId, status: "SOLD" } })).toBe(0);
    expect((await prisma().wallet.findFirstOrThrow({ where: { userId: fan! } })).balanceMinor).toBe(1_000);
    await expectInvariants(showtimeId, [fan!, other!]);
  });

  it("control: 600 checkouts that read and then write (no hold lock, no conditional debit) spend every thin wallet twice", async () => {
    const { showtimeId, race } = await thinWallets();
    // All 600 read the hold, its seats and a balance of 300,000 before any of them writes.
    const pause = barrier(600);
    const results = await race((ref) => readThenWriteCheckout(ref, { pause }));
    // Both holds of every fan were paid from the same stale balance. A hold's double-clicks were stopped
    // only by the last line, the unique indexes on Order (one per hold, one per key).
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(200);
    expect(reasons(results).filter(isUniqueViolation)).toHaveLength(400);
    expect(await auditFailures(showtimeId)).toEqual({ "wallet equals its ledger": 100, "no negative balance": 100 });
  });

  it("control: with the unique indexes behind it dropped too, the same 600 charge every hold three times and sell every seat three times", async () => {
    const { showtimeId, fans, race } = await thinWallets();
    const failures = await withoutUniqueIndexes(
      ["Order_holdId_key", "Order_userId_idempotencyKey_key", "Ticket_one_valid_per_seat"],
      async () => {
        const pause = barrier(600);
        const results = await race((ref) => readThenWriteCheckout(ref, { pause }));
        expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(600);
        return auditFailures(showtimeId);
      },
      (tx) => purgeSales(tx, showtimeId, fans),
    );
    expect(failures).toEqual({
      "no seat sold twice": 400,
      // Per hold: several payments, several orders, and the double-click's two orders under one key.
      "nobody charged twice": 600,
      "wallet equals its ledger": 100,
      "no negative balance": 100,
    });
  });

  it("600 parallel checkouts on 100 fans' holds with thin wallets charge nobody twice and sell no seat twice", async () => {
    const { showtimeId, fans, race } = await thinWallets();
    const results = await race();
    const ok = results.filter((r) => r.status === "fulfilled").map((r) => r.value);
    const codes = results.filter((r) => r.status === "rejected").map((r) => (r.reason as { code?: string }).code);
    expect(codes.every((c) => c === "CONFLICT" || c === "INSUFFICIENT_FUNDS")).toBe(true);

    const orders = await prisma().order.findMany({ where: { showtimeId }, select: { id: true, userId: true, holdId: true } });
    // Every fan paid for exactly one pair: the second always finds the wallet short.
    expect(orders.map((o) => o.userId).sort()).toEqual([...fans].sort());
    expect(new Set(orders.map((o) => o.holdId)).size).toBe(orders.length);
    expect(new Set(ok.filter((r) => r.charged).map((r) => r.orderId)).size).toBe(orders.length);
    expect(ok.filter((r) => r.charged)).toHaveLength(orders.length);
    await expectInvariants(showtimeId, fans);
    expect(await auditFailures(showtimeId)).toEqual({});
  });

  it("control: a checkout that reads the hold and then writes sells a seat its hold lost to expiry and another fan since", async () => {
    const showtimeId = (await makeConcert({ layout: { rows: 2, seatsPerRow: 10 } })).showtimes[0]!.id;
    const seats = await seatsOf(showtimeId);
    const [fans, rivals] = [await makeFans(20), await makeFans(20)];
    const outcomes = await Promise.all(
      fans.map(async (fan, i) => {
        const { hold, before, after } = await holdAndFund(showtimeId, seats[i]!, fan);
        // Between the checkout's reads and its writes, the hold expires and a rival holds the seat.
        let read!: () => void;
        const hasRead = new Promise<void>((resolve) => (read = resolve));
        let go!: () => void;
        const goOn = new Promise<void>((resolve) => (go = resolve));
        const paying = readThenWriteCheckout(
          { userId: fan, showtimeId, holdId: hold.holdId, idempotencyKey: key() },
          { now: before, pause: () => (read(), goOn) },
        );
        await hasRead;
        const expired = await expireHold(hold.holdId, { now: after });
        const rival = await holdSeats({ showtimeId, seatIds: [seats[i]!] }, who(rivals[i]!));
        go();
        return { paid: await paying, expired: expired.expired, rival };
      }),
    );
    // Both won every time: the fan paid for a seat the rival holds.
    for (const o of outcomes) expect([o.paid.charged, o.expired]).toEqual([true, true]);
    expect(await auditFailures(showtimeId)).toEqual({ "no seat both sold and held": 20, "no seat held twice": 20 });
  });

  it("races checkout against the hold's expiry: exactly one of them wins, every time, and a rival gets the seat only if expiry won", async () => {
    const showtimeId = (await makeConcert({ layout: { rows: 2, seatsPerRow: 10 } })).showtimes[0]!.id;
    const seats = await seatsOf(showtimeId);
    const [fans, rivals] = [await makeFans(20), await makeFans(20)];
    const outcomes = await Promise.all(
      fans.map(async (fan, i) => {
        const { hold, before, after } = await holdAndFund(showtimeId, seats[i]!, fan);
        const [paid, expired] = await Promise.allSettled([
          checkoutHold({ userId: fan, showtimeId, holdId: hold.holdId, idempotencyKey: key() }, { now: before }),
          expireHold(hold.holdId, { now: after }),
        ]);
        const won = { paid: paid.status === "fulfilled", expired: expired.status === "fulfilled" && expired.value.expired };
        if (paid.status === "rejected") expect(paid.reason).toMatchObject({ code: "HOLD_EXPIRED" });
        const final = await prisma().hold.findUniqueOrThrow({ where: { id: hold.holdId }, select: { status: true } });
        expect(final.status).toBe(won.paid ? "CONVERTED" : "EXPIRED");
        const rival = await holdSeats({ showtimeId, seatIds: [seats[i]!] }, who(rivals[i]!)).then(
          () => true,
          () => false,
        );
        expect(rival).toBe(won.expired);
        return won;
      }),
    );
    for (const o of outcomes) expect(o.paid !== o.expired).toBe(true);
    await expectInvariants(showtimeId, fans);
    expect(await auditFailures(showtimeId)).toEqual({});
  });
});

describe("refundOrder", () => {
  it("refunds once before the cutoff, only for the buyer, and frees the seats", async () => {
    const showtimeId = (await makeConcert()).showtimes[0]!.id;
    const [fan, other] = await makeFans(2);
    const seats = await seatsOf(showtimeId);
    const hold = await holdSeats({ showtimeId, seatIds: [seats[0]!, seats[1]!] }, who(fan!));
    await topUpWallet({ currency: "KRW", amountMinor: 500_000, idempotencyKey: key() }, fan!);
    const paid = await checkoutHold({ userId: fan!, showtimeId, holdId: hold.holdId, idempotencyKey: key() });

    await expect(refundOrder(paid.orderId, { userId: other! })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const refunded = await refundOrder(paid.orderId, { userId: fan! });
    expect(refunded).toMatchObject({ refundedMinor: paid.totalMinor, balanceAfterMinor: 500_000, seatIds: paid.seatIds });
    expect(await prisma().ticket.findMany({ where: { orderId: paid.orderId }, select: { status: true } })).toEqual([
      { status: "CANCELLED" },
      { status: "CANCELLED" },
    ]);
    expect(await prisma().seat.count({ where: { id: { in: paid.seatIds }, status: "AVAILABLE" } })).toBe(2);
    await expect(refundOrder(paid.orderId, { userId: fan! })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(
      await prisma().ledgerEntry.findMany({
        where: { orderId: paid.orderId },
        select: { type: true, amountMinor: true },
        orderBy: { createdAt: "asc" },
      }),
    ).toEqual([
      { type: "PAYMENT", amountMinor: -paid.totalMinor },
      { type: "REFUND", amountMinor: paid.totalMinor },
    ]);
    // The freed seats sell again.
    const again = await holdSeats({ showtimeId, seatIds: paid.seatIds }, who(other!));
    expect(again.seatIds).toEqual(paid.seatIds);
    await expectInvariants(showtimeId, [fan!, other!]);
  });

  it("refuses after the showtime's cutoff, with the cutoff in the answer", async () => {
    const concert = await makeConcert({ showtimes: [{ inDays: 2 }] });
    const showtimeId = concert.showtimes[0]!.id;
    await prisma().showtime.update({ where: { id: showtimeId }, data: { refundCutoffHours: 72 } });
    const [fan] = await makeFans(1);
    const hold = await holdSeats({ showtimeId, seatIds: [(await seatsOf(showtimeId))[0]!] }, who(fan!));
    await topUpWallet({ currency: "KRW", amountMinor: 500_000, idempotencyKey: key() }, fan!);
    const paid = await checkoutHold({ userId: fan!, showtimeId, holdId: hold.holdId, idempotencyKey: key() });
    await expect(refundOrder(paid.orderId, { userId: fan! })).rejects.toMatchObject({
      code: "CONFLICT",
      message: /closed 72 hours before/,
    });
    expect(await prisma().order.findUniqueOrThrow({ where: { id: paid.orderId }, select: { status: true } })).toEqual({ status: "PAID" });
  });

  it("lets 20 parallel refunds of one order refund it once", async () => {
    const showtimeId = (await makeConcert()).showtimes[0]!.id;
    const [fan] = await makeFans(1);
    const hold = await holdSeats({ showtimeId, seatIds: [(await seatsOf(showtimeId))[0]!] }, who(fan!));
    await topUpWallet({ currency: "KRW", amountMinor: 500_000, idempotencyKey: key() }, fan!);
    const paid = await checkoutHold({ userId: fan!, showtimeId, holdId: hold.holdId, idempotencyKey: key() });
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => refundOrder(paid.orderId, { userId: fan! })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await prisma().ledgerEntry.count({ where: { orderId: paid.orderId, type: "REFUND" } })).toBe(1);
    await expectInvariants(showtimeId, [fan!]);
    expect(await auditFailures(showtimeId)).toEqual({});
  });

  it("control: 20 parallel refunds that read the order and then write (no order lock) refund it 20 times", async () => {
    const showtimeId = (await makeConcert()).showtimes[0]!.id;
    const [fan] = await makeFans(1);
    const hold = await holdSeats({ showtimeId, seatIds: [(await seatsOf(showtimeId))[0]!] }, who(fan!));
    await topUpWallet({ currency: "KRW", amountMinor: 500_000, idempotencyKey: key() }, fan!);
    const paid = await checkoutHold({ userId: fan!, showtimeId, holdId: hold.holdId, idempotencyKey: key() });
    const pause = barrier(20);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => readThenWriteRefund(paid.orderId, fan!, { pause })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(20);
    const { checks } = await auditInvariants(prisma(), { showtimeId });
    expect(checks.filter((c) => !c.ok).map((c) => [c.name, c.violations])).toEqual([["refunded at most once", 1]]);
    expect(checks.find((c) => !c.ok)!.examples).toEqual([
      expect.objectContaining({
        kind: "several refunds for one order",
        orderId: paid.orderId,
        refunds: 20,
        refundedMinor: 20 * paid.totalMinor,
      }),
    ]);
  });
});
