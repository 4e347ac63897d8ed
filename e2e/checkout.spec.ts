// Wallet, checkout and orders end to end: a fresh fan is admitted by the real worker to The Velvet Echoes
// Reunion (Rolling Hall, ₩; no other spec reconfigures it), holds random seats through the API, then in
// the browser sees the shortfall at checkout, tops up inline, pays, gets QR tickets, finds the payment in
// the wallet's history and refunds the order. Another fan cannot open that order.
import type { APIRequestContext, Page } from "@playwright/test";
import { formatMoney } from "../server/domain/money";
import { expect, makeUser, SEED, signInViaApi, signUpViaApi, test, trpcMutation, trpcQuery } from "./fixtures";

type Currency = "KRW" | "USD";
type SeatMap = {
  tiers: { name: string; priceMinor: number; feeMinor: number; currency: Currency }[];
  sections: { name: string; rows: { label: string; seats: [number, number, number, number, number, number][] }[] }[];
};
type PickedSeat = { id: number; label: string; priceMinor: number; feeMinor: number; currency: Currency };

async function velvetShowtime(request: APIRequestContext): Promise<string> {
  const concert = await trpcQuery<{ showtimes: { id: string; saleStatus: string }[] }>(request, "catalog.concert", {
    slug: SEED.velvet.slug,
  });
  const showtime = concert.showtimes.find((s) => s.saleStatus === "ON_SALE");
  expect(showtime, `no on-sale showtime of ${SEED.velvet.slug}`).toBeDefined();
  return showtime!.id;
}

/** Joins the waiting room and waits for the worker's tick to admit the fan; returns the access token. */
async function admit(request: APIRequestContext, showtimeId: string): Promise<string> {
  await trpcMutation(request, "waitingRoom.join", { showtimeId });
  let token: string | undefined;
  await expect
    .poll(
      async () => {
        const status = await trpcQuery<{ state: string; accessToken?: string }>(request, "waitingRoom.status", { showtimeId });
        token = status.accessToken;
        return status.state;
      },
      { timeout: 20_000, intervals: [250, 500, 1_000] },
    )
    .toBe("READY");
  return token!;
}

/** `count` available seats at random, so parallel runs do not collide. */
function pickSeats(map: SeatMap, count: number): PickedSeat[] {
  const section = (name: string) => (/^[A-Z0-9]{1,4}$/i.test(name) ? `Section ${name}` : name);
  const free = map.sections.flatMap((s) =>
    s.rows.flatMap((row) =>
      row.seats
        .filter((seat) => seat[5] === 0)
        .map(([id, number, , , tierIdx]): PickedSeat => {
          const { priceMinor, feeMinor, currency } = map.tiers[tierIdx]!;
          return { id, label: `${section(s.name)}, row ${row.label}, seat ${number}`, priceMinor, feeMinor, currency };
        }),
    ),
  );
  const picked = free
    .map((seat) => [Math.random(), seat] as const)
    .sort((a, b) => a[0] - b[0])
    .slice(0, count)
    .map(([, seat]) => seat);
  expect(picked).toHaveLength(count);
  return picked;
}

const accessKey = (showtimeId: string) => `onsale:access:${showtimeId}`;
const historyRow = (page: Page, type: string) => page.getByRole("region", { name: "History" }).getByRole("row").filter({ hasText: type });

test("a signed-out visitor is sent to sign in first", async ({ page }) => {
  for (const path of ["/wallet", "/orders", "/orders/ord_missing", "/checkout/hold_missing"]) {
    await page.goto(path);
    await expect(page).toHaveURL(`/sign-in?callbackUrl=${encodeURIComponent(path)}`);
  }
});

test("the wallet explains a bad amount and tops up with a quick amount", async ({ signedInPage: page }) => {
  await page.goto("/wallet");
  await expect(page.getByRole("heading", { level: 1, name: "Wallet" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Wallet" })).toHaveAttribute(
    "aria-current",
    "page",
  );
  const balances = page.getByRole("region", { name: "Balances" });
  await expect(balances).toContainText("₩0");
  await expect(balances).toContainText("$0.00");
  await expect(page.getByRole("region", { name: "History" }).getByText("No activity yet")).toBeVisible();

  const form = page.getByRole("region", { name: "Add money" });
  const amount = form.getByLabel("Amount in Korean won");
  const submit = form.getByRole("button", { name: /^Top up/ });
  for (const [typed, message] of [
    ["", "Enter an amount."],
    ["lots", "Enter the amount as a number, like 50,000."],
    ["0", "Enter an amount above zero."],
    ["-5000", "Enter an amount above zero."],
    ["5000.5", "Won amounts are whole numbers: leave out the decimals."],
    ["3,000,000", "You can top up at most ₩2,000,000 at a time."],
  ] as const) {
    await amount.fill(typed);
    await submit.click();
    await expect(amount).toHaveAttribute("aria-invalid", "true");
    await expect(amount).toHaveAccessibleDescription(new RegExp(`^${message.replace(/[.$]/g, "\\$&")}`));
  }

  await form.getByRole("radio", { name: /USD/ }).check();
  await form.getByLabel("Amount in US dollars").fill("12.505");
  await form.getByRole("button", { name: "Top up" }).click();
  await expect(form.getByText("Use at most 2 decimal places, like 12.50.")).toBeVisible();
  await form.getByRole("group", { name: "Quick amounts" }).getByRole("button", { name: "$25.00" }).click();
  await expect(form.getByLabel("Amount in US dollars")).toHaveValue("25.00");
  await form.getByRole("button", { name: "Top up $25.00" }).click();
  await expect(form.getByRole("status")).toHaveText("Added $25.00. Your US dollars balance is now $25.00.");
  await expect(balances).toContainText("$25.00");
  await expect(historyRow(page, "Top-up")).toContainText("+$25.00");
});

test("a fan tops up at checkout, pays, gets QR tickets, sees it in the wallet and refunds it", async ({
  signedInPage: page,
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const started = Date.now();
  const request = page.request;
  const showtimeId = await velvetShowtime(request);
  const map = await trpcQuery<SeatMap>(request, "showtimes.seatMap", { showtimeId });
  const seats = pickSeats(map, 2);
  const accessToken = await admit(request, showtimeId);
  const { holdId } = await trpcMutation<{ holdId: string }>(request, "holds.create", {
    showtimeId,
    accessToken,
    seatIds: seats.map((s) => s.id),
  });
  const currency = seats[0]!.currency;
  const money = (minor: number) => formatMoney(minor, currency);
  const total = seats.reduce((sum, s) => sum + s.priceMinor + s.feeMinor, 0);

  // The tab holds the access token the waiting room would have left there.
  await page.goto("/wallet");
  await page.evaluate(([key, token]) => window.sessionStorage.setItem(key, token), [accessKey(showtimeId), accessToken] as const);

  // Checkout: the seats, the breakdown, the countdown, and a wallet that is short of the whole total.
  await page.goto(`/checkout/${holdId}`);
  await expect(page.getByRole("heading", { level: 1, name: SEED.velvet.title })).toBeVisible();
  const summary = page.getByRole("region", { name: "Your 2 seats" });
  for (const seat of seats) await expect(summary.getByRole("row").filter({ hasText: seat.label })).toContainText(money(seat.priceMinor));
  await expect(summary).toContainText(`Total${money(total)}`);
  await expect(page.getByRole("timer", { name: "Time left on your hold" })).toHaveText(/^\d\d:\d\d$/);
  const wallet = page.getByRole("region", { name: "Pay from your wallet" });
  await expect(wallet).toContainText(`Still needed${money(total)}`);
  const payButton = wallet.getByRole("button", { name: `Pay ${money(total)}` });
  await expect(payButton).toBeDisabled();

  // Top up exactly the shortfall, right here, then pay.
  await expect(wallet.getByLabel("Amount in Korean won")).toHaveValue(money(total).replace("₩", ""));
  await wallet.getByRole("button", { name: `Top up ${money(total)}` }).click();
  await expect(wallet).toContainText(`Wallet balance${money(total)}`);
  await expect(payButton).toBeEnabled();
  await expect(payButton).toBeFocused();
  await payButton.click();

  // The confirmation: the order with a QR code per ticket.
  await expect(page).toHaveURL(/\/orders\/[A-Za-z0-9_-]+\?new=1$/, { timeout: 15_000 });
  const orderId = new URL(page.url()).pathname.split("/").at(-1)!;
  await expect(page.getByRole("heading", { level: 1, name: "You’re going!" })).toBeVisible();
  for (const seat of seats) {
    const qr = page.getByRole("img", { name: `QR code for ${seat.label}` });
    await expect(qr).toBeVisible();
    expect(await qr.evaluate((el) => el.tagName.toLowerCase())).toBe("svg");
    await expect(page.getByRole("listitem").filter({ has: qr })).toContainText(money(seat.priceMinor));
  }
  await expect(page.getByRole("region", { name: "Payment" })).toContainText(`Total paid${money(total)}`);
  // The purchase ended the fan's turn quietly: no token left, and no "your time ended" note.
  expect(
    await page.evaluate(
      (id) => [sessionStorage.getItem(`onsale:access:${id}`), sessionStorage.getItem(`onsale:access-ended:${id}`)],
      showtimeId,
    ),
  ).toEqual([null, null]);
  const journeyMs = Date.now() - started;

  // The wallet: the payment and the top-up, with the balance each left.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Wallet" }).click();
  await expect(page.getByRole("region", { name: "Balances" })).toContainText("₩0");
  await expect(historyRow(page, "Payment")).toContainText(`−${money(total)}₩0`);
  await expect(historyRow(page, "Top-up")).toContainText(`+${money(total)}${money(total)}`);

  // The payment history, and back to the order from it.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Orders" }).click();
  const orderRow = page.getByRole("row").filter({ hasText: SEED.velvet.title });
  await expect(orderRow).toContainText(money(total));
  await expect(orderRow).toContainText("Paid");
  await orderRow.getByRole("link", { name: SEED.velvet.title }).click();
  await expect(page).toHaveURL(`/orders/${orderId}`);

  // Refund, with a confirmation step.
  const refund = page.getByRole("region", { name: "Cancel for a refund" });
  await expect(refund).toContainText(/You can cancel this order until .+ and get/);
  await refund.getByRole("button", { name: "Cancel order…" }).click();
  await refund.getByRole("button", { name: `Yes, cancel and refund ${money(total)}` }).click();
  const refunded = page.getByRole("region", { name: "Refunded" });
  await expect(refunded).toContainText(`${money(total)} went back to your wallet`);
  await expect(page.getByTestId("order-header").locator(".badge")).toHaveText("Refunded");
  await expect(page.getByRole("img", { name: /^QR code for/ })).toHaveCount(0);
  await expect(page.getByText("Cancelled: this ticket no longer admits anyone.")).toHaveCount(2);

  await page.goto("/wallet");
  await expect(page.getByRole("region", { name: "Balances" })).toContainText(money(total));
  await expect(historyRow(page, "Refund")).toContainText(`+${money(total)}${money(total)}`);
  await page.goto("/orders");
  await expect(page.getByRole("row").filter({ hasText: SEED.velvet.title })).toContainText("Refunded");

  // Another fan asking for this order gets the same answer as for one that does not exist.
  const other = await browser.newContext({ baseURL });
  const stranger = makeUser("stranger");
  await signUpViaApi(other.request, stranger);
  await signInViaApi(other.request, stranger);
  const strangerPage = await other.newPage();
  const response = await strangerPage.goto(`/orders/${orderId}`);
  expect(response?.status()).toBe(404);
  await expect(strangerPage.getByRole("heading", { level: 1, name: "We couldn’t find that order" })).toBeVisible();
  await expect(strangerPage.getByText(SEED.velvet.title)).toHaveCount(0);
  await other.close();

  test.info().annotations.push({ type: "journey", description: `admitted → paid → QR shown in ${journeyMs} ms` });
});
