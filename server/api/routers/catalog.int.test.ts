import { describe, expect, it } from "vitest";
import type { TRPCError } from "@trpc/server";
import { prisma } from "../../db.ts";
import { makeConcert, uniq } from "../../../test/support/factories.ts";
import { createCaller } from "../root.ts";
import { createContext } from "../trpc.ts";

const api = createCaller(createContext({}));

describe("catalog.search", () => {
  it("finds by title, artist and venue text, case-insensitively", async () => {
    const token = uniq("zephyr");
    const a = await makeConcert({ title: `The ${token} Show` });
    const b = await makeConcert({ artist: `${token.toUpperCase()} Band` });
    const other = await makeConcert();
    const found = await api.catalog.search({ q: token });
    expect(found.items.map((c) => c.id).sort()).toEqual([a.id, b.id].sort());
    expect(found.total).toBe(2);
    const byVenue = await api.catalog.search({ q: other.venue.slug });
    expect(byVenue.items.map((c) => c.id)).toEqual([other.id]);
  });

  it("filters by city and date range, and hides drafts, cancelled and past showtimes", async () => {
    const city = uniq("City");
    const soon = await makeConcert({ city, showtimes: [{ inDays: 5 }] });
    const later = await makeConcert({ city, showtimes: [{ inDays: 40 }] });
    await makeConcert({ city, status: "DRAFT" });
    await makeConcert({ city, showtimes: [{ inDays: 7, status: "CANCELLED" }] });
    await makeConcert({ city, showtimes: [{ inDays: -2 }] });

    expect((await api.catalog.search({ city })).items.map((c) => c.id).sort()).toEqual([soon.id, later.id].sort());
    const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    const window = await api.catalog.search({ city: city.toLowerCase(), from: day(1), to: day(10) });
    expect(window.items.map((c) => c.id)).toEqual([soon.id]);
    expect(await api.catalog.cities()).toContain(city);
  });

  it("paginates with a stable order and exact totals", async () => {
    const token = uniq("paged");
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await makeConcert({ title: `${token} ${i}` }));
    const p1 = await api.catalog.search({ q: token, pageSize: 2, page: 1 });
    const p3 = await api.catalog.search({ q: token, pageSize: 2, page: 3 });
    expect(p1).toMatchObject({ total: 5, pageCount: 3, page: 1 });
    expect(p1.items.map((c) => c.title)).toEqual([`${token} 0`, `${token} 1`]);
    expect(p3.items.map((c) => c.title)).toEqual([`${token} 4`]);
  });

  it("finds a city typed as text, and a title with a typo", async () => {
    const city = uniq("Gwangju");
    const inCity = await makeConcert({ city });
    expect((await api.catalog.search({ q: city.toLowerCase() })).items.map((c) => c.id)).toEqual([inCity.id]);

    const word = `Marigold${crypto.randomUUID().slice(0, 6)}`;
    const band = await makeConcert({ title: `The ${word} Band` });
    const typo = word.slice(0, 3) + word.slice(4); // "Margold…": one letter dropped
    expect((await api.catalog.search({ q: typo })).items.map((c) => c.id)).toEqual([band.id]);
    // Typos count only when nothing matches as typed: a near-namesake does not join an exact match.
    const tag = crypto.randomUUID().slice(0, 6);
    const lights = await makeConcert({ title: `Harbor Lights ${tag}` });
    await makeConcert({ title: `Harbor Nights ${tag}` }); // word similarity 0.75 to the text below
    expect((await api.catalog.search({ q: `Harbor Lights ${tag}` })).items.map((c) => c.id)).toEqual([lights.id]);
    expect((await api.catalog.search({ q: `Harbor Lihgts ${tag}` })).items.map((c) => c.id)).toContain(lights.id);
    // A different word is not a typo.
    expect((await api.catalog.search({ q: `Lavender${word.slice(8)}` })).items.map((c) => c.id)).not.toContain(band.id);
  });

  it("sorts by the first show's date, by the cheapest ticket price within each currency, or by title", async () => {
    const token = uniq("sortable");
    // The price the cards show ("from …"), not price and fee: Alpha's big fee does not move it.
    const make = async (name: string, inDays: number, priceMinor: number, currency: "KRW" | "USD" = "KRW", feeMinor = 0) => {
      const concert = await makeConcert({ title: `${token} ${name}`, showtimes: [{ inDays }], currency });
      await prisma().priceTier.updateMany({ where: { showtime: { concertId: concert.id } }, data: { priceMinor, feeMinor } });
      return concert.id;
    };
    const alpha = await make("Alpha", 30, 50_000, "KRW", 60_000);
    const bravo = await make("Bravo", 10, 90_000);
    const charlie = await make("Charlie", 20, 70_000);
    const delta = await make("Delta", 5, 1_000, "USD");
    const ids = async (sort?: "date" | "price" | "title") =>
      (await api.catalog.search({ q: token, ...(sort ? { sort } : {}) })).items.map((c) => c.id);
    expect(await ids()).toEqual([delta, bravo, charlie, alpha]);
    expect(await ids("date")).toEqual([delta, bravo, charlie, alpha]);
    expect(await ids("price")).toEqual([alpha, charlie, bravo, delta]);
    expect(await ids("title")).toEqual([alpha, bravo, charlie, delta]);
    // Pages keep the order.
    const second = await api.catalog.search({ q: token, sort: "price", pageSize: 2, page: 2 });
    expect(second).toMatchObject({ total: 4, pageCount: 2 });
    expect(second.items.map((c) => c.id)).toEqual([bravo, delta]);
    const past = await api.catalog.search({ q: token, pageSize: 2, page: 5 });
    expect(past).toMatchObject({ items: [], total: 4 });
    await expect(api.catalog.search({ sort: "popularity" as "date" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("refuses an inverted date range with a clear message", async () => {
    await expect(api.catalog.search({ from: "2026-12-31", to: "2026-12-01" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    } satisfies Partial<TRPCError>);
  });
});

describe("catalog.concert", () => {
  it("lists showtimes with venue, price range, availability and sale status", async () => {
    const concert = await makeConcert({ showtimes: [{ inDays: 10 }, { inDays: 20, saleOpensInDays: 3 }] });
    const [first, second] = concert.showtimes;
    await prisma().seat.updateMany({ where: { showtimeId: first!.id, venueSeat: { number: { in: [1, 2] } } }, data: { status: "SOLD" } });

    const page = await api.catalog.concert({ slug: concert.slug });
    expect(page.showtimes.map((s) => s.id)).toEqual([first!.id, second!.id]);
    const [s1, s2] = page.showtimes;
    expect(s1).toMatchObject({
      saleStatus: "ON_SALE",
      priceRange: { min: 80_000, max: 120_000, currency: "KRW" },
      seats: { total: 20, sold: 8, available: 12, held: 0 },
      venue: { city: "Testville" },
    });
    expect(s2?.saleStatus).toBe("UPCOMING");
    expect(s2?.saleOpensAt).toBeInstanceOf(Date);
  });

  it("reports a sold-out showtime", async () => {
    const concert = await makeConcert();
    await prisma().seat.updateMany({ where: { showtimeId: concert.showtimes[0]!.id }, data: { status: "SOLD" } });
    const page = await api.catalog.concert({ slug: concert.slug });
    expect(page.showtimes[0]?.saleStatus).toBe("SOLD_OUT");
  });

  it("does not show a draft concert", async () => {
    const draft = await makeConcert({ status: "DRAFT" });
    await expect(api.catalog.concert({ slug: draft.slug })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
