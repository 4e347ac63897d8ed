// The dashboard: revenue per currency (KRW and USD never added together) and the showtime filter (words in
// the concert or venue, the sale's status, upcoming or past).
import { describe, expect, it } from "vitest";
import { makeConcert, makeUser, buySeats, uniq } from "../../../test/support/factories.ts";
import { refundOrder } from "../checkout/refund.ts";
import { getDashboard, type Revenue } from "./dashboard.ts";

const revenueIn = (revenue: Revenue[], currency: string) => revenue.find((r) => r.currency === currency) ?? { minor: 0, orders: 0 };

describe("the dashboard", () => {
  it("shows revenue per currency, from paid orders only, and each showtime's own", async () => {
    const krw = await makeConcert({ currency: "KRW" });
    const usd = await makeConcert({ currency: "USD" });
    const before = (await getDashboard({ when: "all" })).revenue;
    const fan = await makeUser();
    const won = await buySeats(krw.showtimes[0]!.id, fan, 2);
    const dollars = await buySeats(usd.showtimes[0]!.id, fan, 1);
    const refunded = await buySeats(usd.showtimes[0]!.id, fan, 1);
    await refundOrder(refunded.orderId, { userId: fan.id });

    const after = await getDashboard({ when: "all" });
    expect(after.revenue.map((r) => r.currency)).toEqual(["KRW", "USD"]);
    expect(revenueIn(after.revenue, "KRW")).toEqual({
      currency: "KRW",
      minor: revenueIn(before, "KRW").minor + won.totalMinor,
      orders: revenueIn(before, "KRW").orders + 1,
    });
    expect(revenueIn(after.revenue, "USD")).toEqual({
      currency: "USD",
      minor: revenueIn(before, "USD").minor + dollars.totalMinor,
      orders: revenueIn(before, "USD").orders + 1,
    });
    const row = (id: string) => after.rows.find((r) => r.id === id)!;
    expect(row(krw.showtimes[0]!.id).revenue).toEqual([{ currency: "KRW", minor: won.totalMinor, orders: 1 }]);
    expect(row(usd.showtimes[0]!.id).revenue).toEqual([{ currency: "USD", minor: dollars.totalMinor, orders: 1 }]);
    expect(row(usd.showtimes[0]!.id).seats).toMatchObject({ sold: 1 });
  });

  it("filters showtimes by words in the concert or venue, by status, and upcoming or past", async () => {
    const word = uniq("quasar");
    const onSale = await makeConcert({ title: `${word} Live`, showtimes: [{ inDays: 10 }, { inDays: -2 }] });
    const notOpen = await makeConcert({ city: `${word}ville`, showtimes: [{ inDays: 20, saleOpensInDays: 5 }] });
    const draft = await makeConcert({ artist: `The ${word}s`, status: "DRAFT", showtimes: [{ inDays: 30 }] });
    // Must not match: nothing of it has the word.
    const other = await makeConcert({ title: `Other ${uniq("show")}`, showtimes: [{ inDays: 10 }] });
    const ids = async (input: Parameters<typeof getDashboard>[0]) => (await getDashboard(input)).rows.map((r) => r.id);
    const [upcoming, past] = onSale.showtimes.map((s) => s.id) as [string, string];

    expect(await ids({ query: word.toUpperCase() })).toEqual([upcoming, notOpen.showtimes[0]!.id, draft.showtimes[0]!.id]);
    expect(await ids({ query: word })).not.toContain(other.showtimes[0]!.id);
    expect(await ids({ query: word, when: "past" })).toEqual([past]);
    expect(await ids({ query: word, when: "all" })).toEqual([past, upcoming, notOpen.showtimes[0]!.id, draft.showtimes[0]!.id]);
    expect(await ids({ query: word, status: "ON_SALE" })).toEqual([upcoming]);
    expect(await ids({ query: word, status: "UPCOMING" })).toEqual([notOpen.showtimes[0]!.id]);
    expect(await ids({ query: word, status: "DRAFT" })).toEqual([draft.showtimes[0]!.id]);
    expect(await ids({ query: word, status: "ENDED", when: "all" })).toEqual([past]);
    expect(await ids({ query: word, status: "SOLD_OUT" })).toEqual([]);
    expect((await getDashboard({ query: word })).rows.map((r) => r.status)).toEqual(["ON_SALE", "UPCOMING", "DRAFT"]);
  });
});
