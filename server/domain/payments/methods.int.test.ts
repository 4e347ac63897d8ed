// Saved cards on PostgreSQL through the sandbox: what is kept of a card, one default per fan (also when
// raced, with its negative control), removal that hands the default on, and another fan's card refused.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "../../db.ts";
import { makeFans } from "../../../test/support/factories.ts";
import { barrier, isUniqueViolation } from "../../../test/support/races.ts";
import { addCard, listCards, MAX_CARDS, removeCard, setDefaultCard } from "./methods.ts";
import { sandboxProvider } from "./sandbox.ts";

const provider = sandboxProvider({ webhookSecret: "methods-test-secret" });
const add = (userId: string, token = "tok_visa", options: Parameters<typeof addCard>[2] = {}) =>
  addCard({ token, idempotencyKey: randomUUID() }, userId, { provider, ...options });

describe("saved cards", () => {
  it("keeps brand, last four and expiry (never a number); the first card is the default", async () => {
    const [fan] = await makeFans(1);
    const visa = await add(fan!);
    const mastercard = await add(fan!, "tok_mastercard");
    expect(visa).toMatchObject({ brand: "visa", last4: "4242", isDefault: true, expired: false });
    expect(mastercard).toMatchObject({ brand: "mastercard", last4: "4444", isDefault: false });
    const row = await prisma().paymentMethod.findUniqueOrThrow({ where: { id: visa.id } });
    expect(row).toMatchObject({ provider: "sandbox", methodRef: expect.stringMatching(/^pm_sbx_/) });
    expect(JSON.stringify(row)).not.toMatch(/4242424242424242/);
    expect((await listCards(fan!)).map((c) => c.id)).toEqual([visa.id, mastercard.id]);
  });

  it("answers a retried add with the card saved the first time", async () => {
    const [fan] = await makeFans(1);
    const input = { token: "tok_visa", idempotencyKey: randomUUID() };
    const first = await addCard(input, fan!, { provider });
    const again = await addCard(input, fan!, { provider });
    expect(again.id).toBe(first.id);
    expect(await prisma().paymentMethod.count({ where: { userId: fan! } })).toBe(1);
  });

  it("refuses an unknown token, and a card past the limit, changing nothing", async () => {
    const [fan] = await makeFans(1);
    await expect(add(fan!, "tok_made_up")).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    expect(await prisma().paymentMethod.count({ where: { userId: fan! } })).toBe(0);
    for (let i = 0; i < MAX_CARDS; i++) await add(fan!);
    await expect(add(fan!)).rejects.toMatchObject({ code: "LIMIT_EXCEEDED" });
    expect(await prisma().paymentMethod.count({ where: { userId: fan! } })).toBe(MAX_CARDS);
  });

  it("moves the default, and hands it to the newest card left when the default is removed", async () => {
    const [fan] = await makeFans(1);
    const a = await add(fan!);
    const b = await add(fan!, "tok_mastercard");
    const c = await add(fan!);
    await setDefaultCard({ methodId: b.id }, fan!);
    expect((await listCards(fan!)).filter((x) => x.isDefault).map((x) => x.id)).toEqual([b.id]);
    await removeCard({ methodId: b.id }, fan!);
    const left = await listCards(fan!);
    expect(left.map((x) => [x.id, x.isDefault])).toEqual([
      [c.id, true],
      [a.id, false],
    ]);
    // The removed card's row stays (payments name it), out of the list.
    expect(await prisma().paymentMethod.findUniqueOrThrow({ where: { id: b.id } })).toMatchObject({
      removedAt: expect.any(Date),
      isDefault: false,
    });
  });

  it("answers another fan's card as missing, and changes nothing", async () => {
    const [owner, other] = await makeFans(2);
    const card = await add(owner!);
    await expect(setDefaultCard({ methodId: card.id }, other!)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(removeCard({ methodId: card.id }, other!)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await listCards(owner!)).toMatchObject([{ id: card.id, isDefault: true }]);
  });

  it("makes one default when a fan's first cards are added at once", async () => {
    const [fan] = await makeFans(1);
    const racers = 8;
    const added = await Promise.allSettled(Array.from({ length: racers }, () => add(fan!)));
    expect(added.filter((r) => r.status === "rejected")).toEqual([]);
    expect(await prisma().paymentMethod.count({ where: { userId: fan!, isDefault: true } })).toBe(1);
  });

  it("negative control: without the fan's lock, first cards added at once fail on the one-default index", async () => {
    const [fan] = await makeFans(1);
    const racers = 8;
    // Every racer has looked for a default before any inserts.
    const pause = barrier(racers);
    const added = await Promise.allSettled(
      Array.from({ length: racers }, () => add(fan!, "tok_visa", { protections: { userLock: false, pause } })),
    );
    // Each racer saw no default and tried to be it: the partial unique index refused all but one.
    const rejected = added.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(rejected).toHaveLength(racers - 1);
    for (const r of rejected) expect(isUniqueViolation(r.reason), String(r.reason)).toBe(true);
    expect(await prisma().paymentMethod.count({ where: { userId: fan!, isDefault: true } })).toBe(1);
  });
});
