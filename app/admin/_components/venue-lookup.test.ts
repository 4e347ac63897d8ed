import { describe, expect, it } from "vitest";
import { venueFinder } from "./venue-lookup";

describe("venueFinder", () => {
  const venues = [
    { id: "a", name: "Rolling Hall", city: "Seoul", timezone: "Asia/Seoul" },
    { id: "b", name: "Twin", city: "Busan", timezone: "Asia/Seoul" },
    { id: "c", name: "Twin", city: "Busan", timezone: "Asia/Seoul" },
  ];
  const find = venueFinder(venues);

  it("finds a venue by name and city, ignoring case and spaces around", () => {
    expect(find({ name: "rolling hall ", city: "SEOUL" })?.id).toBe("a");
    expect(find({ name: "Rolling Hall", city: "Busan" })).toBeUndefined();
  });

  it("refuses to guess between two venues with the same name and city", () => {
    expect(find({ name: "Twin", city: "Busan" })).toBeUndefined();
  });
});
