// Production refuses switched-off protections at every entry point that takes them, before touching the
// database or Redis; outside production the same call gets past the guard (and here finds a client that
// must not be touched, proving nothing else stood in its way).
import { afterEach, describe, expect, it } from "vitest";
import type { Db } from "../db.ts";
import { holdBestAvailable } from "./holds/best-available.ts";
import { expireDueHolds } from "./holds/expiry.ts";
import { holdSeats, releaseHold } from "./holds/holds.ts";
import { ProtectionsRefused, SWITCHABLE, type Switchable } from "./protections.ts";
import { setSectionTier, updateShowtime } from "./admin/catalog.ts";
import { cancelTransfer, respondToTransfer } from "./tickets/transfers.ts";
import { topUpWallet } from "./wallet/wallet.ts";
import { sandboxProvider } from "./payments/sandbox.ts";
import { addCard, setDefaultCard } from "./payments/methods.ts";

const touched = new Error("touched a client");
// Any property read (a query, a transaction) throws.
const untouchable = new Proxy(
  {},
  {
    get: () => {
      throw touched;
    },
  },
);
const db = untouchable as Db;
const pause = async () => {};
const who = { userId: "u1", client: "web", ip: "127.0.0.1" };

/** Each entry point called with its protections switched off (or only a test hook). */
const calls: Record<Switchable, (switches: boolean) => Promise<unknown>> = {
  holdSeats: (on) => holdSeats({ showtimeId: "st1", seatIds: [1] }, who, { db, ...(on && { protections: { userLock: false, pause } }) }),
  holdBestAvailable: (on) =>
    holdBestAvailable({ showtimeId: "st1", quantity: 2 }, who, { db, ...(on && { protections: { takeTurns: false } }) }),
  expireDueHolds: (on) => expireDueHolds({ db, ...(on && { protections: { seatsInIdOrder: false } }) }),
  releaseHold: (on) => releaseHold("h1", "u1", { db, ...(on && { protections: { seatsInIdOrder: false } }) }),
  cancelTransfer: (on) => cancelTransfer("tr1", "u1", { db, ...(on && { protections: { transferLock: false } }) }),
  respondToTransfer: (on) =>
    respondToTransfer("tr1", { userId: "u2", email: "b@example.test" }, "accept", {
      db,
      ...(on && { protections: { transferLock: false } }),
    }),
  updateShowtime: (on) => updateShowtime("st1", {}, "a1", { db, ...(on && { protections: { seatLock: false } }) }),
  setSectionTier: (on) =>
    setSectionTier({ showtimeId: "st1", sectionId: "s1", priceTierId: "t1" }, "a1", {
      db,
      ...(on && { protections: { seatLock: false } }),
    }),
  topUpWallet: (on) =>
    topUpWallet({ currency: "KRW", amountMinor: 1_000, idempotencyKey: "key-12345678" }, "u1", {
      db,
      ...(on && { protections: { pause } }),
    }),
  sandboxProvider: async (on) =>
    sandboxProvider({ webhookSecret: "test-secret", db, ...(on && { protections: { requestLock: false, pause } }) }).authorize({
      amountMinor: 1_000,
      currency: "KRW",
      methodRef: "pm_sbx_1",
      idempotencyKey: "key-12345678",
      description: "Onsale tickets",
      metadata: {},
    }),
  addCard: (on) =>
    addCard({ token: "tok_visa", idempotencyKey: "key-12345678" }, "u1", { db, ...(on && { protections: { userLock: false } }) }),
  setDefaultCard: (on) => setDefaultCard({ methodId: "pm1" }, "u1", { db, ...(on && { protections: { userLock: false } }) }),
};

const nodeEnv = process.env.NODE_ENV;
afterEach(() => {
  (process.env as Record<string, string | undefined>).NODE_ENV = nodeEnv;
});
const setNodeEnv = (value: string) => ((process.env as Record<string, string | undefined>).NODE_ENV = value);

describe("protections", () => {
  it("covers every entry point that takes switches", () => {
    expect(Object.keys(calls).sort()).toEqual([...SWITCHABLE].sort());
  });

  for (const entryPoint of SWITCHABLE) {
    it(`${entryPoint}: production refuses switches before any query; otherwise only the switches decide`, async () => {
      setNodeEnv("production");
      const refused = await calls[entryPoint](true).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(ProtectionsRefused);
      expect(refused).toMatchObject({ entryPoint, message: expect.stringMatching(/only be switched off in tests/) });
      // Production without switches runs the protected path (which here reaches the untouchable client).
      await expect(calls[entryPoint](false)).rejects.toBe(touched);

      setNodeEnv("test");
      await expect(calls[entryPoint](true)).rejects.toBe(touched);
    });
  }
});
