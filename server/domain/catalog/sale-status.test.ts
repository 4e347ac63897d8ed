import { describe, expect, it } from "vitest";
import { nextSaleOpensAt, saleStatus, type SaleWindowInput } from "./sale-status";

const day = 24 * 60 * 60 * 1000;
const now = new Date("2026-11-23T12:00:00Z");
const at = (days: number) => new Date(now.getTime() + days * day);

const base: SaleWindowInput = {
  status: "PUBLISHED",
  startsAt: at(30),
  presaleStartsAt: at(-3),
  presaleEndsAt: at(-1),
  generalSaleStartsAt: at(-1),
  saleEndsAt: at(30),
};
const stock = { available: 10, held: 0, sold: 0, total: 10 };

describe("saleStatus", () => {
  it("is on sale inside the general window", () => {
    expect(saleStatus(base, stock, now)).toBe("ON_SALE");
  });

  it("is presale inside only the presale window", () => {
    expect(saleStatus({ ...base, presaleEndsAt: at(2), generalSaleStartsAt: at(2) }, stock, now)).toBe("PRESALE");
  });

  it("is upcoming before any window opens", () => {
    const s = { ...base, presaleStartsAt: at(1), presaleEndsAt: at(2), generalSaleStartsAt: at(2) };
    expect(saleStatus(s, stock, now)).toBe("UPCOMING");
    expect(nextSaleOpensAt(s, now)).toEqual(at(1));
  });

  it("is sold out only when every seat is sold, not merely held", () => {
    expect(saleStatus(base, { available: 0, held: 2, sold: 8, total: 10 }, now)).toBe("ON_SALE");
    expect(saleStatus(base, { available: 0, held: 0, sold: 10, total: 10 }, now)).toBe("SOLD_OUT");
  });

  it("has ended once the show starts or sales close", () => {
    expect(saleStatus({ ...base, saleEndsAt: at(-0.5) }, stock, now)).toBe("ENDED");
    expect(saleStatus({ ...base, startsAt: at(-0.1) }, stock, now)).toBe("ENDED");
  });

  it("is cancelled whatever the windows say", () => {
    expect(saleStatus({ ...base, status: "CANCELLED" }, stock, now)).toBe("CANCELLED");
  });
});
