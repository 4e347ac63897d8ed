// The whole fan journey in one browser, the way a fan does it: sign in, join the waiting room and be
// admitted by the real worker, pick seats on the seat map's list, hold them, check out with an inline
// top-up, get QR tickets, and cancel for a refund. Its own showtime (made here) keeps it apart from the
// other specs; the time it takes end to end is printed for the performance notes.
import { prisma } from "../server/db.ts";
import { makeConcert } from "../test/support/factories.ts";
import { expect, makeUser, SEED, signInViaApi, signUpViaApi, test, trpcMutation } from "./fixtures";

let showtimeId = "";

test.beforeAll(async ({ browser, baseURL }) => {
  const concert = await makeConcert({ title: "Journey E2E", layout: { rows: 2, seatsPerRow: 6 } });
  showtimeId = concert.showtimes[0]!.id;
  // A real line with quick ticks, so the worker admits the fan within a second or so.
  const admin = await browser.newContext({ baseURL });
  await signInViaApi(admin.request, SEED.admin);
  await trpcMutation(admin.request, "waitingRoom.updateSettings", {
    showtimeId,
    settings: { enabled: true, paused: false, batchSize: 10, intervalMs: 500, maxActive: 50, accessSeconds: 600 },
  });
  await admin.close();
});

test.afterAll(async () => {
  await prisma().$disconnect();
});

test("a fan signs in, waits, is admitted, picks and holds seats, tops up, pays, gets QR tickets and refunds", async ({ page }) => {
  test.setTimeout(90_000);
  const fan = makeUser("journey");
  await signUpViaApi(page.request, fan);
  const started = Date.now();

  // Sign in through the form, straight into the waiting room.
  await page.goto(`/sign-in?callbackUrl=${encodeURIComponent(`/showtimes/${showtimeId}/queue`)}`);
  await page.getByLabel("Email").fill(fan.email);
  await page.getByLabel("Password").fill(fan.password);
  await page.getByRole("button", { name: "Sign in" }).click();

  // The worker's next tick admits the fan and the page brings them back to the seats.
  await expect(page).toHaveURL(new RegExp(`/showtimes/${showtimeId}\\?admitted=1$`), { timeout: 20_000 });
  await expect(page.getByTestId("seatmap")).toHaveAttribute("data-live", "on", { timeout: 10_000 });

  // Two seats side by side from the Front section's list of seats.
  await page
    .getByRole("region", { name: "Sections" })
    .getByRole("button", { name: /^Front/ })
    .click();
  const seats = page.getByRole("region", { name: "Seats in Front" });
  for (const n of [3, 4])
    await seats.getByRole("button", { name: new RegExp(`^Front, row A, seat ${n}, [\\d,]+ KRW, available$`) }).click();
  const panel = page.getByRole("region", { name: "Your seats", exact: true });
  await expect(panel).toContainText("₩250,000");
  await panel.getByRole("button", { name: "Hold 2 seats" }).click();
  const hold = page.getByRole("region", { name: "Your 2 seats are held" });
  await expect(hold).toBeVisible();
  await hold.getByRole("link", { name: "Continue to checkout" }).click();

  // Checkout: the wallet is empty, so top up the shortfall right there, then pay.
  await expect(page).toHaveURL(/\/checkout\/[\w-]+$/);
  const wallet = page.getByRole("region", { name: "Pay from your wallet" });
  await wallet.getByRole("button", { name: "Top up ₩250,000" }).click();
  const pay = wallet.getByRole("button", { name: "Pay ₩250,000" });
  await expect(pay).toBeEnabled();
  await pay.click();

  // The tickets, each with its QR code.
  await expect(page).toHaveURL(/\/orders\/[\w-]+\?new=1$/, { timeout: 15_000 });
  await expect(page.getByRole("heading", { level: 1, name: "You’re going!" })).toBeVisible();
  for (const n of [3, 4]) await expect(page.getByRole("img", { name: `QR code for Front, row A, seat ${n}` })).toBeVisible();
  const purchasedMs = Date.now() - started;

  // Cancel for a refund; the money is back in the wallet.
  const refund = page.getByRole("region", { name: "Cancel for a refund" });
  await refund.getByRole("button", { name: "Cancel order…" }).click();
  await refund.getByRole("button", { name: "Yes, cancel and refund ₩250,000" }).click();
  await expect(page.getByRole("region", { name: "Refunded" })).toContainText("₩250,000 went back to your wallet");
  const totalMs = Date.now() - started;
  test.info().annotations.push({ type: "journey", description: `sign-in to QR tickets ${purchasedMs} ms; with the refund ${totalMs} ms` });
  console.log(`journey: sign-in to QR tickets ${purchasedMs} ms; with the refund ${totalMs} ms`);

  // The seats are on sale again for everyone.
  await page.goto(`/showtimes/${showtimeId}`);
  await page
    .getByRole("region", { name: "Sections" })
    .getByRole("button", { name: /^Front/ })
    .click();
  await expect(page.getByTestId("seatmap-summary").locator("p")).toContainText("24 of 24 seats available");
});
