import { describe, expect, it } from "vitest";
import { isFiltered, orderSearchHref, readOrderSearch, searchInput } from "./order-search-params";

describe("order search in the URL", () => {
  it("reads what is set and drops what cannot be", () => {
    expect(readOrderSearch({ q: "  mina@ ", showtime: "st_1", status: "refunded" })).toEqual({
      q: "mina@",
      showtimeId: "st_1",
      status: "REFUNDED",
    });
    expect(readOrderSearch({ q: ["a", "b"], showtime: "../x", status: "lost" })).toEqual({ q: "a", showtimeId: "", status: "" });
    expect(readOrderSearch({})).toEqual({ q: "", showtimeId: "", status: "" });
  });
  it("writes only the filters that are set, and reads back the same", () => {
    expect(orderSearchHref({ q: "", showtimeId: "", status: "" })).toBe("/admin/orders");
    const search = { q: "fan+1@onsale.test", showtimeId: "st_1", status: "PAID" as const };
    const href = orderSearchHref(search);
    expect(href).toBe("/admin/orders?q=fan%2B1%40onsale.test&showtime=st_1&status=paid");
    expect(readOrderSearch(Object.fromEntries(new URL(href, "http://x").searchParams))).toEqual(search);
  });
  it("asks the server only for the filters that are set", () => {
    expect(searchInput({ q: "", showtimeId: "", status: "" }, 20)).toEqual({ limit: 20 });
    expect(searchInput({ q: "a", showtimeId: "b", status: "PAID" }, 5)).toEqual({ limit: 5, query: "a", showtimeId: "b", status: "PAID" });
    expect(isFiltered({ q: "", showtimeId: "", status: "" })).toBe(false);
    expect(isFiltered({ q: "", showtimeId: "", status: "REFUNDED" })).toBe(true);
  });
});
