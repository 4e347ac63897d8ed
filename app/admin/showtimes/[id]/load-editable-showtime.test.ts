import { describe, expect, it } from "vitest";
import { sectionRows } from "./load-editable-showtime";

describe("sectionRows", () => {
  const seats = (sold: number, held: number) => ({ sold, held, available: 10 });

  it("gives each section its tier, and a section spanning tiers as mixed", () => {
    const rows = sectionRows(
      [
        { sectionId: "s1", name: "Floor", priceTierId: "a", seats: 20 },
        { sectionId: "s2", name: "Balcony", priceTierId: "b", seats: 8 },
        { sectionId: "s2", name: "Balcony", priceTierId: "c", seats: 4 },
      ],
      { a: seats(2, 1), b: seats(0, 0), c: seats(1, 0) },
    );
    expect(rows).toEqual([
      { id: "s1", name: "Floor", seats: 20, tierId: "a", taken: 3 },
      { id: "s2", name: "Balcony", seats: 12, tierId: "mixed", taken: 1 },
    ]);
  });

  it("says what is taken in a section only when its tiers' taken seats can only be there", () => {
    const rows = sectionRows(
      [
        { sectionId: "s1", name: "Floor", priceTierId: "a", seats: 20 },
        { sectionId: "s2", name: "Balcony", priceTierId: "a", seats: 12 },
        { sectionId: "s3", name: "Box", priceTierId: "b", seats: 4 },
      ],
      { a: seats(1, 0), b: seats(0, 0) },
    );
    expect(rows.map((r) => r.taken)).toEqual([null, null, 0]);
  });
});
