import { describe, expect, it } from "vitest";
import {
  checkSection,
  checkVenue,
  defaultSection,
  defaultVenue,
  duplicateOf,
  sectionAfter,
  uniqueSectionName,
  type VenueDraft,
} from "./venue-draft";

function filledVenue(): VenueDraft {
  return {
    ...defaultVenue(),
    name: "Harbor Hall",
    slug: "harbor-hall",
    city: "Busan",
    country: "kr",
    address: "1 Pier Road",
    timezone: "Asia/Seoul",
  };
}

describe("checkSection", () => {
  it("turns typed values into the server's spec, defaults filled in", () => {
    const { spec, errors } = checkSection(defaultSection({ name: " Floor ", rows: "10", seatsPerRow: "20", curve: "4.5" }));
    expect(errors).toEqual({});
    expect(spec).toMatchObject({ name: "Floor", rows: 10, seatsPerRow: 20, curve: 4.5, rowLabels: "letters" });
  });

  it("says what each field needs, in words", () => {
    const { spec, errors } = checkSection(
      defaultSection({ name: "", rows: "0", seatsPerRow: "201", seatSpacing: "abc", aisleEvery: "", curve: "-1" }),
    );
    expect(spec).toBeUndefined();
    expect(errors).toEqual({
      name: "Name the section (up to 40 characters).",
      rows: "Use 1 to 100 rows.",
      seatsPerRow: "Use 1 to 200 seats per row.",
      seatSpacing: "Enter a number.",
      aisleEvery: "Required.",
      curve: "Use 0 (straight) to 200.",
    });
    expect(checkSection(defaultSection({ rows: "2.5" })).errors.rows).toBe("Use 1 to 100 rows.");
  });
});

describe("checkVenue", () => {
  it("builds the create input in one piece", () => {
    const { input, errors, sectionErrors } = checkVenue(filledVenue());
    expect(errors).toEqual({});
    expect(sectionErrors).toEqual({});
    expect(input).toMatchObject({
      slug: "harbor-hall",
      country: "KR",
      timezone: "Asia/Seoul",
      width: 800,
      stage: { x: 250, y: 30, w: 300, h: 60 },
      sections: [{ name: "Orchestra", rows: 20, seatsPerRow: 30 }],
    });
  });

  it("refuses what the server would, field by field", () => {
    const draft = { ...filledVenue(), slug: "Harbor Hall", country: "Korea", timezone: "Asia/Seul", width: "0", stageW: "1.5" };
    const first = draft.sections[0]!;
    draft.sections = [first, { ...first, key: "dup", name: "orchestra " }];
    const { input, errors, sectionErrors } = checkVenue(draft);
    expect(input).toBeUndefined();
    expect(Object.keys(errors).sort()).toEqual(["country", "slug", "stageW", "timezone", "width"]);
    expect(sectionErrors).toEqual({ dup: { name: "Another section already has this name." } });
    expect(checkVenue({ ...filledVenue(), sections: [] }).errors.sections).toBe("Add at least one section.");
  });
});

describe("section helpers", () => {
  it("names new sections apart from the others", () => {
    expect(uniqueSectionName("Balcony", ["Orchestra"])).toBe("Balcony");
    expect(uniqueSectionName("Balcony", ["balcony", "Balcony 2"])).toBe("Balcony 3");
    expect(uniqueSectionName("Balcony 2", ["Balcony", "Balcony 2"])).toBe("Balcony 3");
  });

  it("puts a new section below the last and a copy beside its source", () => {
    const first = defaultSection({ rows: "10", rowSpacing: "12", y: "100", seatsPerRow: "21", seatSpacing: "10", x: "400" });
    const next = sectionAfter([first]);
    expect(next.y).toBe(String(100 + 9 * 12 + 40));
    const copy = duplicateOf(first, [first]);
    expect(copy).toMatchObject({ name: "Orchestra 2", rows: "10", x: String(400 + 200 + 40), y: "100" });
    expect(copy.key).not.toBe(first.key);
  });
});
