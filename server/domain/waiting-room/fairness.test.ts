import { describe, expect, it } from "vitest";
import { commitmentOf, drawOf, entryIdOf, newSeed, shuffleEntries } from "./fairness";

describe("pre-queue shuffle", () => {
  const entries = Array.from({ length: 200 }, (_, i) => entryIdOf(`user-${i}`, "show-1"));

  it("is a permutation that anyone can recompute from seed and entries", () => {
    const seed = newSeed();
    const order = shuffleEntries(seed, entries);
    expect([...order].sort()).toEqual([...entries].sort());
    expect(shuffleEntries(seed, [...entries].reverse())).toEqual(order);
  });

  it("does not follow arrival order, and another seed gives another order", () => {
    const a = shuffleEntries(newSeed(), entries);
    const b = shuffleEntries(newSeed(), entries);
    expect(a).not.toEqual(entries);
    expect(a).not.toEqual(b);
    // Early arrivals are spread over the line: the first 50 arrivals hold about a quarter of the top 100.
    const early = new Set(entries.slice(0, 50));
    const inTop = a.slice(0, 100).filter((e) => early.has(e)).length;
    expect(inTop).toBeGreaterThan(10);
    expect(inTop).toBeLessThan(40);
  });

  it("commits to a seed with SHA-256 and keys entries per showtime", () => {
    expect(commitmentOf("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(entryIdOf("u", "s1")).not.toBe(entryIdOf("u", "s2"));
    expect(drawOf("seed", "e")).toHaveLength(64);
  });
});
