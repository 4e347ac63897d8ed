// The dashboard's revenue, one figure per currency (won and dollars never added), and its showtime filter:
// words, status and upcoming or past, kept in the URL, with an empty result that offers to clear it.
import { randomUUID } from "node:crypto";
import { formatMoney } from "../server/domain/money";
import { buyOneSeat, createOnSaleShowtime, FEE, PRICE } from "./admin-api";
import { expect, makeUser, SEED, signInViaApi, signUpViaApi, test, trpcQuery } from "./fixtures";

type Revenue = { currency: "KRW" | "USD"; minor: number; orders: number };
const revenueIn = (all: Revenue[], currency: string) => all.find((r) => r.currency === currency) ?? { minor: 0, orders: 0 };

test("the dashboard shows revenue per currency and filters its showtimes", async ({ page, playwright, baseURL }) => {
  test.setTimeout(90_000);
  await signInViaApi(page.request, SEED.admin);
  const id = randomUUID().slice(0, 8);
  const won = await createOnSaleShowtime(page.request, { waitingRoom: false, currency: "KRW", title: `Comet ${id} Seoul Night` });
  const dollars = await createOnSaleShowtime(page.request, { waitingRoom: false, currency: "USD", title: `Comet ${id} Harbor Night` });
  const before = (await trpcQuery<{ revenue: Revenue[] }>(page.request, "admin.dashboard", { when: "all" })).revenue;

  const fan = await playwright.request.newContext({ baseURL });
  const user = makeUser("dash");
  await signUpViaApi(fan, user);
  await signInViaApi(fan, user);
  await buyOneSeat(fan, won.showtimeId, "KRW");
  await buyOneSeat(fan, dollars.showtimeId, "USD");
  await fan.dispose();

  await page.goto("/admin");
  const revenue = page.getByRole("region", { name: "Revenue" });
  const krw = revenueIn(before, "KRW").minor + PRICE + FEE;
  const usd = revenueIn(before, "USD").minor + PRICE + FEE;
  await expect(revenue.getByRole("definition").filter({ hasText: formatMoney(krw, "KRW") })).toBeVisible();
  await expect(revenue.getByRole("definition").filter({ hasText: formatMoney(usd, "USD") })).toBeVisible();
  await expect(revenue.getByRole("term")).toHaveText(["Revenue in KRW", "Revenue in USD"]);

  // The filter: words in the concert's title, then a status, each in the URL.
  const filter = page.getByRole("search", { name: "Filter showtimes" });
  await filter.getByLabel("Concert or venue").fill(`comet ${id}`);
  await filter.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(new RegExp(`/admin\\?q=comet\\+${id}&status=&when=upcoming$`));
  const rows = page
    .getByRole("region", { name: "Upcoming showtimes" })
    .getByRole("row")
    .filter({ has: page.getByRole("cell") });
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: "Seoul Night" })).toContainText(formatMoney(PRICE + FEE, "KRW"));
  await expect(rows.filter({ hasText: "Harbor Night" })).toContainText(formatMoney(PRICE + FEE, "USD"));
  await expect(rows.filter({ hasText: "Harbor Night" })).toContainText("1 / ");

  await filter.getByLabel("Status").selectOption({ label: "Sold out" });
  await filter.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByRole("heading", { name: "No showtimes match" })).toBeVisible();
  await expect(filter.getByLabel("Status")).toHaveValue("SOLD_OUT");
  await page.getByRole("link", { name: "Clear the filter" }).click();
  await expect(page).toHaveURL("/admin");

  // A shared link: on sale, upcoming and past, these words.
  await page.goto(`/admin?q=${encodeURIComponent(`Comet ${id} Harbor`)}&status=ON_SALE&when=all`);
  await expect(page.getByRole("heading", { name: "All showtimes" })).toBeVisible();
  await expect(
    page
      .getByRole("region", { name: "All showtimes" })
      .getByRole("row")
      .filter({ has: page.getByRole("cell") }),
  ).toHaveCount(1);
  await expect(filter.getByLabel("When")).toHaveValue("all");
});
