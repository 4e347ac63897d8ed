// The browser verifier must agree with the server's shuffle, entry for entry.
import { describe, expect, it } from "vitest";
import * as server from "@/server/domain/waiting-room/fairness";
import { commitmentOf, drawOf, entryIdOf, placeOf, verifyProof } from "./verify";

const seed = "3f".repeat(32);
const showtimeId = "st_123";
const users = Array.from({ length: 40 }, (_, i) => `user-${i}`);
const entries = users.map((u) => server.entryIdOf(u, showtimeId)).sort();

describe("browser verifier", () => {
  it("computes the same commitment, entries and draws as the server", async () => {
    expect(await commitmentOf(seed)).toBe(server.commitmentOf(seed));
    expect(await entryIdOf("user-7", showtimeId)).toBe(server.entryIdOf("user-7", showtimeId));
    expect(await drawOf(seed, entries[0]!)).toBe(server.drawOf(seed, entries[0]!));
  });

  it("gives every entry the place the server's shuffle gives it", async () => {
    const order = server.shuffleEntries(seed, entries);
    for (const [i, e] of order.entries()) expect(await placeOf(seed, entries, e)).toBe(i + 1);
    expect(await placeOf(seed, entries, "not-an-entry")).toBeNull();
  });

  it("passes an honest proof and fails a tampered one", async () => {
    const yourEntry = server.entryIdOf("user-3", showtimeId);
    const yourPlace = server.shuffleEntries(seed, entries).indexOf(yourEntry) + 1;
    const honest = { showtimeId, userId: "user-3", commitment: server.commitmentOf(seed), seed, entries, yourEntry, yourPlace };
    expect((await verifyProof(honest)).map((c) => c.ok)).toEqual([true, true, true]);

    const tampered = await verifyProof({ ...honest, commitment: server.commitmentOf("other"), yourPlace: yourPlace + 1 });
    expect(tampered.map((c) => c.ok)).toEqual([false, true, false]);
    expect((await verifyProof({ ...honest, userId: "user-4" })).map((c) => c.ok)).toEqual([true, false, true]);
  });

  it("checks only the entry before the seed is revealed", async () => {
    const yourEntry = server.entryIdOf("user-3", showtimeId);
    const checks = await verifyProof({ showtimeId, userId: "user-3", commitment: "c", seed: null, entries, yourEntry, yourPlace: null });
    expect(checks).toHaveLength(1);
    expect(checks[0]?.ok).toBe(true);
  });
});
