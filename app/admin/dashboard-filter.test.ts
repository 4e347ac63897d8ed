import { describe, expect, it } from "vitest";
import { dashboardHref, dashboardInput, isFiltered, readDashboardFilter } from "./dashboard-filter";

describe("dashboard filter in the URL", () => {
  it("reads words, a status and a span, dropping what cannot be", () => {
    expect(readDashboardFilter({ q: "  seoul ", status: "on_sale", when: "past" })).toEqual({
      q: "seoul",
      status: "ON_SALE",
      when: "past",
    });
    expect(readDashboardFilter({ status: "BOGUS", when: "yesterday" })).toEqual({ q: "", status: "", when: "upcoming" });
    expect(readDashboardFilter({ q: ["a", "b"] }).q).toBe("a");
  });
  it("writes it back, leaving out the defaults", () => {
    expect(dashboardHref({ q: "", status: "", when: "upcoming" })).toBe("/admin");
    expect(dashboardHref({ q: "hall & co", status: "SOLD_OUT", when: "all" })).toBe("/admin?q=hall+%26+co&status=SOLD_OUT&when=all");
    expect(isFiltered({ q: "", status: "", when: "upcoming" })).toBe(false);
    expect(isFiltered({ q: "", status: "", when: "past" })).toBe(true);
  });
  it("asks only for what is set", () => {
    expect(dashboardInput({ q: "", status: "", when: "upcoming" })).toEqual({ when: "upcoming" });
    expect(dashboardInput({ q: "x", status: "DRAFT", when: "past" })).toEqual({ when: "past", query: "x", status: "DRAFT" });
  });
});
