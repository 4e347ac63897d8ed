// The verifiable pre-queue shuffle: commit to a random seed before opening, reveal it after, and order
// the pre-queue by a hash of seed and entry so anyone can recompute every place.
import { createHash, randomBytes } from "node:crypto";

export function newSeed(): string {
  return randomBytes(32).toString("hex");
}

/** Published before opening: SHA-256 of the seed, hex. */
export function commitmentOf(seed: string): string {
  return createHash("sha256").update(seed, "utf8").digest("hex");
}

/** A fan's public pre-queue entry: it identifies the place without exposing the account id. */
export function entryIdOf(userId: string, showtimeId: string): string {
  return createHash("sha256").update(`onsale-prequeue:${showtimeId}:${userId}`, "utf8").digest("hex").slice(0, 32);
}

/** The draw for one entry; places are given in ascending order of it. */
export function drawOf(seed: string, entryId: string): string {
  return createHash("sha256").update(`${seed}:${entryId}`, "utf8").digest("hex");
}

/** Entries in their pre-queue order (place 1 first). Ties are impossible in practice; entry id breaks them. */
export function shuffleEntries(seed: string, entryIds: readonly string[]): string[] {
  return entryIds
    .map((entryId) => ({ entryId, draw: drawOf(seed, entryId) }))
    .sort((a, b) => (a.draw < b.draw ? -1 : a.draw > b.draw ? 1 : a.entryId < b.entryId ? -1 : 1))
    .map((e) => e.entryId);
}
