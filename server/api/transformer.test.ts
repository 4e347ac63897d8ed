import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { plainJson, transformer } from "./transformer.ts";

describe("transformer", () => {
  it("sends a marked field as it is and the rest as superjson, and superjson reads both back", () => {
    const sections = plainJson([{ name: "Floor", seats: [[1, "A1", 10, 20, 0, 2]] }]);
    const value = { startsAt: new Date("2026-12-24T11:00:00Z"), prices: new Map([["VIP", 1]]), sections };
    const wire = transformer.serialize(value);
    // Not walked: the very same array, where superjson would have built a copy of it.
    expect((wire.json as { sections: unknown }).sections).toBe(sections);
    expect((superjson.serialize({ sections: [...sections] }).json as { sections: unknown }).sections).not.toBe(sections);
    expect(wire.meta?.values).toEqual({ startsAt: ["Date"], prices: ["map"] });
    const back = superjson.deserialize<typeof value>(JSON.parse(JSON.stringify(wire)));
    expect(back.startsAt).toEqual(value.startsAt);
    expect(back.prices).toEqual(value.prices);
    expect(back.sections).toEqual(sections);
  });

  it("is superjson for everything unmarked", () => {
    for (const value of [{ at: new Date(0) }, [new Date(0)], null, 7, "x", { nested: { list: [1, 2] } }]) {
      expect(transformer.serialize(value)).toEqual(superjson.serialize(value));
    }
  });
});
