// The admin's on-sale journey: the live view of a showtime made for the test through the admin API, a fan
// buying a seat in another browser context, the sale appearing live, the admin finding the order by the
// fan's email and refunding it, and the audit log recording it. Also pausing admission and changing its
// rate from the live view. Each test makes its own concert and showtime, so nothing else can disturb them.
import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { formatMoney } from "../server/domain/money";
import { buyOneSeat, createOnSaleShowtime, FEE, PRICE, signedInContext } from "./admin-api";
import { expect, makeUser, SEED, signInViaApi, signUpViaApi, test } from "./fixtures";

const TOTAL = formatMoney(PRICE + FEE, "KRW");

const seatBar = (page: Page) => page.getByRole("region", { name: "Seats" }).getByRole("img");

test("the admin watches a sale arrive live, finds the order by the fan's email and refunds it", async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const admin = await signedInContext(browser, baseURL, SEED.admin);
  const { showtimeId, seats, title } = await createOnSaleShowtime(admin.request, { waitingRoom: false });
  const page = await admin.newPage();

  await page.goto(`/admin/showtimes/${showtimeId}/live`);
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(seatBar(page)).toHaveAttribute("aria-label", `0 sold, 0 held, ${seats} available of ${seats} seats`);
  await expect(page.getByText(/updated (just now|\d+ s ago)/)).toBeVisible();
  const sales = page.getByRole("region", { name: "Sales", exact: true });
  await expect(sales.getByText(formatMoney(0, "KRW"), { exact: true })).toBeVisible();
  await expect(page.getByRole("img", { name: /Tickets sold per minute/ })).toBeVisible();

  // A fan buys a seat in a browser context of their own.
  const fan = makeUser("live-fan");
  const fanContext = await browser.newContext({ baseURL });
  await signUpViaApi(fanContext.request, fan);
  await signInViaApi(fanContext.request, fan);
  const orderId = await buyOneSeat(fanContext.request, showtimeId);
  await fanContext.close();

  // The live view shows it within a few seconds, without a reload.
  await expect(seatBar(page)).toHaveAttribute("aria-label", `1 sold, 0 held, ${seats - 1} available of ${seats} seats`, { timeout: 8_000 });
  await expect(sales.getByText(TOTAL, { exact: true })).toBeVisible();
  await expect(page.getByRole("img", { name: /Tickets sold per minute/ })).toHaveAccessibleName(/1 ticket sold in the last 30 minutes/);

  // Find the order by (part of) the fan's email.
  await page.getByRole("link", { name: "Orders for this showtime" }).click();
  await expect(page).toHaveURL(`/admin/orders?showtime=${showtimeId}`);
  await page.getByLabel("Fan email or order id").fill(fan.email.split("@")[0]!.toUpperCase());
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/\/admin\/orders\?q=/);
  const row = page.getByRole("row").filter({ hasText: fan.email.toLowerCase() });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(title);
  await expect(row).toContainText(TOTAL);
  await expect(row).toContainText("Paid");
  await expect(row).toContainText(orderId);
  await row.getByRole("link").click();

  // The order, and the refund on the fan's behalf after a confirmation.
  await expect(page).toHaveURL(`/admin/orders/${orderId}`);
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByRole("region", { name: "Fan" })).toContainText(fan.email.toLowerCase());
  await expect(page.getByRole("region", { name: "Tickets" }).getByRole("row")).toHaveCount(2);
  const refund = page.getByRole("region", { name: "Refund" });
  await refund.getByRole("button", { name: "Refund on the fan’s behalf…" }).click();
  await expect(refund.getByRole("group")).toContainText(`Refund ${TOTAL} to ${fan.email.toLowerCase()}?`);
  // Without a reason it is not sent.
  await refund.getByRole("button", { name: `Yes, refund ${TOTAL}` }).click();
  await expect(refund.getByLabel(/^Reason/)).toHaveAccessibleDescription("Say why the order is refunded: the fan sees it.");
  await expect(refund.getByLabel(/^Reason/)).toBeFocused();
  const reason = "The venue changed and you asked us to cancel.";
  await refund.getByLabel(/^Reason/).fill(reason);
  await refund.getByRole("button", { name: `Yes, refund ${TOTAL}` }).click();
  await expect(refund.getByRole("status")).toHaveText(`Refunded. ${TOTAL} went back to the fan’s wallet.`);
  await expect(refund).toContainText(/Refunded on .+ by /);
  await expect(refund).toContainText(`Reason given to the fan: ${reason}`);
  // The fan sees that Onsale cancelled it, and why.
  const fanAgain = await browser.newContext({ baseURL });
  await signInViaApi(fanAgain.request, fan);
  const fanPage = await fanAgain.newPage();
  await fanPage.goto(`/orders/${orderId}`);
  await expect(fanPage.getByRole("region", { name: "Refunded" })).toContainText("Onsale cancelled this order for you");
  await expect(fanPage.getByText(`Why: ${reason}`)).toBeVisible();
  await fanAgain.close();
  await expect(refund.getByRole("button")).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Tickets" })).toContainText("Cancelled");

  // Back on the live view: the seat is on sale again, the money out of the revenue.
  await page.goto(`/admin/showtimes/${showtimeId}/live`);
  await expect(seatBar(page)).toHaveAttribute("aria-label", `0 sold, 0 held, ${seats} available of ${seats} seats`);
  await expect(sales.getByText(formatMoney(0, "KRW"), { exact: true })).toBeVisible();

  // The audit log lists the refund, linked to the order, with its before and after.
  await page.goto("/admin/audit");
  await page.getByRole("navigation", { name: "Show entries for" }).getByRole("link", { name: "Orders" }).click();
  await expect(page).toHaveURL("/admin/audit?entityType=Order");
  const entry = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: orderId }) });
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText("Refunded an order");
  await expect(entry).toContainText(SEED.admin.email);
  // Named, not only by id: the concert and the buyer.
  await expect(entry.locator(".audit-target")).toContainText(`${title} · bought by ${fan.email.toLowerCase()}`);
  await entry.getByText(/Before and after/).click();
  const diff = entry.getByRole("table").first();
  await expect(diff.getByRole("row", { name: /status PAID REFUNDED/ })).toBeVisible();
  await admin.close();
});

test("pausing admission and changing its rate from the live view show once confirmed, and are audited", async ({ browser, baseURL }) => {
  test.setTimeout(90_000);
  const admin = await signedInContext(browser, baseURL, SEED.admin);
  const { showtimeId } = await createOnSaleShowtime(admin.request, { waitingRoom: true });
  const page = await admin.newPage();
  await page.goto(`/admin/showtimes/${showtimeId}/live`);
  const line = page.getByRole("region", { name: "Waiting room" });
  await expect(line.getByText("Admission: Running")).toBeVisible();

  // A failed poll keeps the last figures, says so, and the next good one clears it.
  await page.route(/admin\.showtimes\.live/, (route) => route.abort());
  await expect(page.getByRole("alert").filter({ hasText: "We couldn’t refresh the figures" })).toBeVisible();
  await expect(page.getByText("Not updating")).toBeVisible();
  await expect(line.getByText("Admission: Running")).toBeVisible();
  await page.unroute(/admin\.showtimes\.live/);
  await expect(page.getByText(/Live · updated/)).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: "We couldn’t refresh the figures" })).toHaveCount(0);

  await line.getByRole("button", { name: "Pause admission" }).click();
  await expect(line.getByText("Admission: Paused")).toBeVisible();
  // The state line and the badge.
  await expect(line.getByText("Paused", { exact: true })).toHaveCount(2);
  await expect(line.getByRole("button", { name: "Resume admission" })).toBeVisible();

  // The rate: a bad value is named at its field, a good one shows once the server confirms it.
  await line.getByLabel("Fans per tick").fill("0");
  await line.getByRole("button", { name: "Change rate" }).click();
  await expect(line.getByLabel("Fans per tick")).toHaveAttribute("aria-invalid", "true");
  await line.getByLabel("Fans per tick").fill("7");
  await line.getByLabel("Tick every (seconds)").fill("0.5");
  await line.getByRole("button", { name: "Change rate" }).click();
  await expect(line.getByRole("status").filter({ hasText: "Saved: 7 fans every 0.5 s" })).toBeVisible();
  await expect(line.getByRole("definition").filter({ hasText: "7 fans every 0.5 s (up to 840 a minute)" })).toBeVisible();

  // Both changes are in the audit log, against this showtime.
  await page.getByRole("link", { name: "Audit log for this showtime" }).click();
  await expect(page).toHaveURL(`/admin/audit?entityType=Showtime&entityId=${showtimeId}`);
  const paused = page.getByRole("listitem").filter({ hasText: "Paused admission" });
  await expect(paused).toHaveCount(1);
  await expect(paused.getByRole("link", { name: showtimeId })).toHaveAttribute("href", `/admin/showtimes/${showtimeId}`);
  await paused.getByText(/Before and after: 1 field changed/).click();
  await expect(paused.getByRole("row", { name: "paused false true" })).toBeVisible();
  const rate = page.getByRole("listitem").filter({ hasText: "Changed waiting-room settings" });
  await expect(rate).toHaveCount(1);
  await rate.getByText(/Before and after: 2 fields changed/).click();
  await expect(rate.getByRole("row", { name: "batchSize 5 7" })).toBeVisible();
  await expect(rate.getByRole("row", { name: "intervalMs 1000 500" })).toBeVisible();

  // Resume, back on the live view.
  await page.goto(`/admin/showtimes/${showtimeId}/live`);
  await line.getByRole("button", { name: "Resume admission" }).click();
  await expect(line.getByText("Admission: Running")).toBeVisible();
  await admin.close();
});

test("a partner channel gets a key shown once, and the key can be revoked", async ({ browser, baseURL }) => {
  const admin = await signedInContext(browser, baseURL, SEED.admin);
  const page = await admin.newPage();
  const code = `E2E_${randomUUID().slice(0, 8)}`;
  await page.goto("/admin/channels");
  await expect(page.getByRole("heading", { level: 1, name: "Partner channels" })).toBeVisible();

  // Field errors: a code the server refuses is named at its field.
  const form = page.getByRole("region", { name: "New channel" });
  await form.getByLabel("Code").fill("no spaces allowed");
  await form.getByLabel("Name").fill("E2E Partner");
  await form.getByRole("button", { name: "Create channel" }).click();
  await expect(form.getByText("The code may use letters, digits, _ and - only.")).toBeVisible();
  await expect(form.getByLabel("Code")).toHaveAttribute("aria-invalid", "true");
  await form.getByLabel("Code").fill(code);
  await form.getByRole("button", { name: "Create channel" }).click();
  await expect(form.getByRole("status")).toContainText(`Channel E2E Partner (${code}) created.`);

  // The key, once, in a dialog; the list shows only its prefix.
  const channel = page.getByRole("article").filter({ hasText: code });
  await channel.getByLabel("New key for E2E Partner").fill("production");
  await channel.getByRole("button", { name: "Issue key" }).click();
  const dialog = page.getByRole("dialog", { name: "Your new API key: production" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("you won’t see it again");
  const key = await dialog.getByLabel("API key").inputValue();
  expect(key).toMatch(/^osk_[A-Za-z0-9_-]{40,}$/);
  await dialog.getByRole("button", { name: "Done, I’ve copied it" }).click();
  await expect(dialog).toBeHidden();
  const row = channel.getByRole("row").filter({ hasText: "production" });
  await expect(row).toContainText(`${key.slice(0, 12)}…`);
  await expect(row).toContainText("Never");
  await expect(row).toContainText("Active");
  await expect(page.getByText(key)).toHaveCount(0);

  // Revoking asks first.
  await row.getByRole("button", { name: "Revoke production" }).click();
  await channel.getByRole("group").getByRole("button", { name: "Revoke key" }).click();
  await expect(row).toContainText("Revoked");
  await expect(row.getByRole("button")).toHaveCount(0);
  await expect(channel.getByRole("status")).toContainText("Key production revoked.");
  await admin.close();
});
