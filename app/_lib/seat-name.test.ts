import { describe, expect, it } from "vitest";
import { seatName, sectionLabel } from "./seat-name";

describe("seatName", () => {
  it("says section, row and seat the way the seat map does", () => {
    expect(seatName({ section: "B", row: "12", number: 7 })).toBe("Section B, row 12, seat 7");
    expect(seatName({ section: "Floor", row: "C", number: 14 })).toBe("Floor, row C, seat 14");
  });
});

describe("sectionLabel", () => {
  it("calls a short code a section and leaves a name in words as it is", () => {
    expect(sectionLabel("B")).toBe("Section B");
    expect(sectionLabel("101")).toBe("Section 101");
    expect(sectionLabel("Floor A")).toBe("Floor A");
  });
});
