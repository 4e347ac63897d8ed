// Overload is not a bug: a request whose transaction cannot finish in its time (here: it waits for a
// row lock) answers UNAVAILABLE (503) with a clear message, changes nothing, and the retry succeeds.
import { afterAll, describe, expect, it } from "vitest";
import { createDb, prisma } from "../db.ts";
import { checkoutHold } from "../domain/checkout/checkout.ts";
import { holdSeats } from "../domain/holds/holds.ts";
import { topUpWallet } from "../domain/wallet/wallet.ts";
import { env } from "../env.ts";
import { makeConcert, makeFans } from "../../test/support/factories.ts";
import { createCaller } from "./root.ts";
import { createContext } from "./trpc.ts";

// Transactions of at most 200 ms: one that waits longer for a lock is rolled back at its commit.
const small = createDb(env().DATABASE_URL, { transactionTimeoutMs: 200 });
afterAll(async () => {
  await small.$disconnect();
});

describe("an overloaded database", () => {
  it("answers UNAVAILABLE (503) to a refund, changes nothing, and refunds once on the retry", async () => {
    const showtimeId = (await makeConcert()).showtimes[0]!.id;
    const [fanId] = await makeFans(1);
    const seat = await prisma().seat.findFirstOrThrow({ where: { showtimeId }, select: { id: true } });
    const hold = await holdSeats({ showtimeId, seatIds: [seat.id] }, { userId: fanId!, client: "web", ip: "127.0.0.1" });
    await topUpWallet({ currency: "KRW", amountMinor: 1_000_000, idempotencyKey: "overload-topup" }, fanId!);
    const { orderId } = await checkoutHold({ userId: fanId!, showtimeId, holdId: hold.holdId, idempotencyKey: "overload-pay" });
    const api = createCaller(createContext({ user: { id: fanId!, email: "overload@onsale.test", name: "Fan", role: "USER" }, db: small }));

    // Another transaction holds the order's row for 600 ms, so the refund waits past its 200 ms.
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const blocker = prisma().$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM "Order" WHERE id = ${orderId} FOR UPDATE`;
      locked();
      await new Promise((r) => setTimeout(r, 600));
    });
    await isLocked;
    await expect(api.orders.refund({ orderId })).rejects.toMatchObject({
      code: "SERVICE_UNAVAILABLE",
      cause: { code: "UNAVAILABLE", message: expect.stringMatching(/nothing was changed/) },
    });
    await blocker;
    expect(await prisma().order.findUniqueOrThrow({ where: { id: orderId }, select: { status: true } })).toEqual({ status: "PAID" });

    expect(await api.orders.refund({ orderId })).toMatchObject({ orderId });
    expect(await prisma().ledgerEntry.count({ where: { orderId, type: "REFUND" } })).toBe(1);
  });
});
