import { describe, expect, it } from "vitest";
import { slugify } from "./slugify";

describe("slugify", () => {
  it("makes addresses from names", () => {
    expect(slugify("Rolling Hall, Seoul!")).toBe("rolling-hall-seoul");
    expect(slugify("Café Müller")).toBe("cafe-muller");
    expect(slugify("  --  ")).toBe("");
  });
});
