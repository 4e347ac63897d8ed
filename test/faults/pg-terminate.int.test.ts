// A PostgreSQL backend terminated in the middle of a hold, a checkout and a refund: the
// call waits inside the database on a row another connection keeps locked, the test finds that backend in
// pg_stat_activity and terminates it, as an operator, a failover or an OOM kill would. The fan gets 503
// UNAVAILABLE (reason "database") and not a 500; the transaction rolled back whole; the pool recovers by
// itself; the retry (same idempotency key for the checkout) succeeds exactly once; the auditor is clean.
import superjson from "superjson";
import { afterEach, describe, expect, it } from "vitest";
import { prisma } from "../../server/db.ts";
import { auditInvariants } from "../../server/domain/audit/invariants.ts";
import type { SessionUser } from "../../server/domain/auth/users.ts";
import { checkoutHold } from "../../server/domain/checkout/checkout.ts";
import { holdSeats } from "../../server/domain/holds/holds.ts";
import { topUpWallet } from "../../server/domain/wallet/wallet.ts";
import { handleTrpcRequest } from "../../server/api/http.ts";
import { createCaller } from "../../server/api/root.ts";
import { createContext } from "../../server/api/trpc.ts";
import { admitFan, makeConcert, makeFans } from "../support/factories.ts";
import { backendAlive, lockRows, queryOnce, terminateBackend, waitingBackend, type RowLock } from "../support/processes.ts";

const locks: RowLock[] = [];
afterEach(async () => {
  await Promise.all(locks.splice(0).map((l) => l.release()));
});

async function lock(sql: string, params: unknown[]): Promise<RowLock> {
  const l = await lockRows(sql, params);
  locks.push(l);
  return l;
}

async function fanWithShowtime() {
  const showtimeId = (await makeConcert()).showtimes[0]!.id;
  const [id] = await makeFans(1);
  const user: SessionUser = { id: id!, email: `${id}@example.test`, name: "Fan", role: "USER" };
  const seatIds = (await prisma().seat.findMany({ where: { showtimeId }, orderBy: { id: "asc" }, take: 2, select: { id: true } })).map(
    (s) => s.id,
  );
  return { showtimeId, user, seatIds, api: createCaller(createContext({ user, client: "web" })) };
}

/** Everything a hold, checkout or refund of this fan in this showtime could have changed. */
async function snapshot(showtimeId: string, userId: string) {
  const [holds, seats, orders, tickets, ledger, payments, wallets] = await Promise.all([
    prisma().hold.findMany({ where: { showtimeId, userId }, orderBy: { id: "asc" }, select: { id: true, status: true, heldUntil: true } }),
    prisma().seat.findMany({
      where: { showtimeId },
      orderBy: { id: "asc" },
      select: { id: true, status: true, holdId: true, heldUntil: true },
    }),
    prisma().order.findMany({ where: { userId }, orderBy: { id: "asc" }, select: { id: true, status: true, totalMinor: true } }),
    prisma().ticket.findMany({ where: { ownerId: userId }, orderBy: { id: "asc" }, select: { id: true, status: true, seatId: true } }),
    prisma().ledgerEntry.findMany({ where: { userId }, orderBy: { id: "asc" }, select: { id: true, type: true, amountMinor: true } }),
    prisma().payment.count({ where: { userId } }),
    prisma().wallet.findMany({ where: { userId }, orderBy: { currency: "asc" }, select: { currency: true, balanceMinor: true } }),
  ]);
  return { holds, seats, orders, tickets, ledger, payments, wallets };
}

/** Starts `call`, waits until its backend waits for `held`'s lock, terminates that backend, and returns the call's error. */
async function terminateInside(held: RowLock, call: () => Promise<unknown>, expectedQuery: RegExp) {
  const settled = call().then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  const backend = await waitingBackend(held);
  // The right statement is mid-flight: the one this test means to cut, not some other query of the pool.
  expect(backend.query).toMatch(expectedQuery);
  expect(await terminateBackend(backend.pid)).toBe(true);
  expect(await backendAlive(backend.pid)).toBe(false);
  const outcome = await settled;
  if (outcome.ok) throw new Error(`the call succeeded although its backend was terminated: ${JSON.stringify(outcome.value)}`);
  return outcome.error;
}

const UNAVAILABLE_DB = {
  code: "SERVICE_UNAVAILABLE",
  message: expect.stringMatching(/lost its connection to the database.*nothing was changed/),
  cause: { code: "UNAVAILABLE", details: { reason: "database" } },
};

async function expectAuditClean(showtimeId: string) {
  const audit = await auditInvariants(prisma(), { showtimeId });
  expect(audit.checks.filter((c) => !c.ok)).toEqual([]);
  expect(audit.ok).toBe(true);
}

describe("a PostgreSQL backend terminated mid-transaction", () => {
  it("inside a hold: 503 database, nothing held, the pool recovers and a plain retry holds once", async () => {
    const { showtimeId, user, seatIds, api } = await fanWithShowtime();
    const accessToken = await admitFan(showtimeId, user.id);
    const before = await snapshot(showtimeId, user.id);

    // The fan's row locked elsewhere: onsale_claim_hold takes its advisory lock, locks the seats and
    // inserts the hold, then waits in the hold's foreign-key check on the user. Seats are claimed, uncommitted.
    const held = await lock(`SELECT id FROM "User" WHERE id = $1 FOR UPDATE`, [user.id]);
    const error = await terminateInside(held, () => api.holds.create({ showtimeId, seatIds, accessToken }), /onsale_claim_hold/);
    expect(error).toMatchObject(UNAVAILABLE_DB);
    await held.release();

    expect(await snapshot(showtimeId, user.id)).toEqual(before);
    expect(before.holds).toEqual([]);

    // The pool dropped the dead connection: the retry works, and holds the seats once.
    const hold = await api.holds.create({ showtimeId, seatIds, accessToken });
    expect(hold.seatIds).toEqual(seatIds);
    const after = await snapshot(showtimeId, user.id);
    expect(after.holds).toMatchObject([{ id: hold.holdId, status: "ACTIVE" }]);
    expect(after.seats.filter((s) => s.holdId === hold.holdId).map((s) => [s.id, s.status])).toEqual(seatIds.map((id) => [id, "HELD"]));
    // A second retry is refused (the fan holds them already), not a second hold.
    await expect(api.holds.create({ showtimeId, seatIds, accessToken })).rejects.toMatchObject({ cause: { code: "SEATS_UNAVAILABLE" } });
    expect(await prisma().hold.count({ where: { showtimeId, userId: user.id } })).toBe(1);
    await expectAuditClean(showtimeId);
  });

  it("inside a checkout: 503 database, no order, ledger or payment, wallet untouched; the retry with the same key pays once", async () => {
    const { showtimeId, user, seatIds, api } = await fanWithShowtime();
    const accessToken = await admitFan(showtimeId, user.id);
    const hold = await api.holds.create({ showtimeId, seatIds, accessToken });
    await topUpWallet({ currency: "KRW", amountMinor: 1_000_000, idempotencyKey: "pg-terminate-topup" }, user.id);
    const before = await snapshot(showtimeId, user.id);
    const idempotencyKey = "pg-terminate-checkout-1";

    // onsale_checkout locks the hold, its seats and the wallet, inserts the order, and then waits in the
    // order's foreign-key check on the user, whose row is locked here.
    const held = await lock(`SELECT id FROM "User" WHERE id = $1 FOR UPDATE`, [user.id]);
    const error = await terminateInside(
      held,
      () => api.orders.checkout({ showtimeId, holdId: hold.holdId, idempotencyKey, accessToken }),
      /onsale_checkout/,
    );
    expect(error).toMatchObject(UNAVAILABLE_DB);
    await held.release();

    const rolledBack = await snapshot(showtimeId, user.id);
    expect(rolledBack).toEqual(before);
    expect(rolledBack.orders).toEqual([]);
    expect(rolledBack.payments).toBe(0);
    expect(rolledBack.holds).toMatchObject([{ id: hold.holdId, status: "ACTIVE" }]);

    const paid = await api.orders.checkout({ showtimeId, holdId: hold.holdId, idempotencyKey, accessToken });
    expect(paid).toMatchObject({ charged: true, seatIds });
    // Once more with the same key (the fan's client retrying again): the first order, nothing charged.
    expect(await checkoutHold({ userId: user.id, showtimeId, holdId: hold.holdId, idempotencyKey })).toMatchObject({
      orderId: paid.orderId,
      charged: false,
    });
    const after = await snapshot(showtimeId, user.id);
    expect(after.orders).toMatchObject([{ id: paid.orderId, status: "PAID", totalMinor: paid.totalMinor }]);
    expect(after.payments).toBe(1);
    expect(after.ledger.filter((l) => l.type === "PAYMENT").map((l) => l.amountMinor)).toEqual([-paid.totalMinor]);
    expect(after.wallets).toEqual([{ currency: "KRW", balanceMinor: 1_000_000 - paid.totalMinor }]);
    expect(after.tickets.map((t) => [t.seatId, t.status]).sort()).toEqual(seatIds.map((id) => [id, "VALID"]));
    await expectAuditClean(showtimeId);
  });

  it("inside a refund (a Prisma interactive transaction), over HTTP: 503 with no stack, order still paid; the retry refunds once", async () => {
    const { showtimeId, user, seatIds } = await fanWithShowtime();
    const hold = await holdSeats({ showtimeId, seatIds }, { userId: user.id, client: "web", ip: "127.0.0.1" });
    await topUpWallet({ currency: "KRW", amountMinor: 1_000_000, idempotencyKey: "pg-terminate-topup" }, user.id);
    const { orderId, totalMinor } = await checkoutHold({
      userId: user.id,
      showtimeId,
      holdId: hold.holdId,
      idempotencyKey: "pg-terminate-pay",
    });
    const before = await snapshot(showtimeId, user.id);
    const refund = () =>
      handleTrpcRequest(
        new Request("http://localhost/api/trpc/orders.refund", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(superjson.serialize({ orderId })),
        }),
        async () => user,
      );

    // The refund has locked the order and its tickets and cancelled the tickets (uncommitted) when it
    // reaches the seats, one of which is locked here. The statement cut is a Prisma model query
    // (seat.updateMany), whose error reaches us as a bare DriverAdapterError, unlike $queryRaw's P2010.
    const held = await lock(`SELECT id FROM "Seat" WHERE id = $1 FOR UPDATE`, [seatIds[1]]);
    const settled = refund();
    const backend = await waitingBackend(held);
    expect(backend.query).toMatch(/^UPDATE "public"."Seat"/);
    expect(await terminateBackend(backend.pid)).toBe(true);
    const res = await settled;
    const text = await res.text();
    expect(res.status).toBe(503);
    const body = superjson.deserialize<{ message: string; data: Record<string, unknown> }>(
      (JSON.parse(text) as { error: Parameters<typeof superjson.deserialize>[0] }).error,
    );
    expect(body.data).toMatchObject({ appCode: "UNAVAILABLE", details: { reason: "database" } });
    expect(body.message).toMatch(/nothing was changed/);
    expect(body.data.stack).toBeUndefined();
    expect(text).not.toMatch(/57P01|prisma()|terminating connection|\bat .*\.[jt]s:\d+/i);
    await held.release();

    expect(await snapshot(showtimeId, user.id)).toEqual(before);
    expect(before.orders).toMatchObject([{ id: orderId, status: "PAID" }]);

    const retried = await refund();
    expect(retried.status).toBe(200);
    const again = await refund();
    expect(again.status).toBe(409);
    const after = await snapshot(showtimeId, user.id);
    expect(after.orders).toMatchObject([{ id: orderId, status: "REFUNDED" }]);
    expect(after.ledger.filter((l) => l.type === "REFUND").map((l) => l.amountMinor)).toEqual([totalMinor]);
    expect(after.wallets).toEqual([{ currency: "KRW", balanceMinor: 1_000_000 }]);
    expect(after.seats.filter((s) => seatIds.includes(s.id)).map((s) => s.status)).toEqual(["AVAILABLE", "AVAILABLE"]);
    await expectAuditClean(showtimeId);
  });

  it("idle pooled connections terminated (a restart or failover): the next calls all succeed", async () => {
    const { showtimeId, user, seatIds, api } = await fanWithShowtime();
    // Open several pooled connections, then end every backend of this database but the one asking.
    await Promise.all(Array.from({ length: 5 }, () => prisma().$queryRaw`SELECT 1 AS one FROM pg_sleep(0.1)`));
    const ended = await queryOnce<{ pid: number; ended: boolean }>(
      `SELECT pid, pg_terminate_backend(pid, 5000) AS ended FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'idle'`,
    );
    expect(ended.filter((b) => b.ended).length).toBeGreaterThanOrEqual(5);
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        api.showtimes.byId({ showtimeId }).then(
          () => "ok",
          (e: unknown) => e,
        ),
      ),
    );
    expect(results).toEqual(Array(10).fill("ok"));
    const accessToken = await admitFan(showtimeId, user.id);
    expect((await api.holds.create({ showtimeId, seatIds, accessToken })).seatIds).toEqual(seatIds);
  });
});
