// A presale is for fans with a code or an invitation: the admin makes a single-use code, a fan without one
// is told so on the showtime page and turned away at the line, and with the code they get in and hold
// seats, up to the presale's own limit. Only this spec touches its own "Presale E2E" concert.
import type { Browser } from "@playwright/test";
import { prisma } from "../server/db.ts";
import { makeConcert } from "../test/support/factories.ts";
import { expect, makeUser, SEED, signInViaApi, signUpViaApi, test, trpcMutation } from "./fixtures";

const DAY = 86_400_000;
let showtimeId = "";

test.beforeAll(async ({ browser, baseURL }) => {
  const concert = await makeConcert({
    title: "Presale E2E",
    layout: { rows: 2, seatsPerRow: 6 },
    showtimes: [{ inDays: 10, saleOpensInDays: 2 }],
  });
  showtimeId = concert.showtimes[0]!.id;
  await prisma().showtime.update({
    where: { id: showtimeId },
    data: { presaleStartsAt: new Date(Date.now() - DAY), presaleEndsAt: new Date(Date.now() + DAY), wrPrequeueMinutes: 0 },
  });
  // A real line with quick ticks, so the worker admits an eligible fan within a second or so.
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

async function fanContext(browser: Browser, baseURL: string | undefined, label: string) {
  const context = await browser.newContext({ baseURL });
  const fan = makeUser(label);
  await signUpViaApi(context.request, fan);
  await signInViaApi(context.request, fan);
  return { context, page: await context.newPage() };
}

test("the presale refuses a fan without a code and lets them in with one", async ({ browser, baseURL }) => {
  test.setTimeout(90_000);
  // The admin says who it is for, limits it to 2 tickets each, and makes one single-use code.
  const admin = await browser.newContext({ baseURL });
  await signInViaApi(admin.request, SEED.admin);
  const adminPage = await admin.newPage();
  await adminPage.goto(`/admin/showtimes/${showtimeId}`);
  const panel = adminPage.getByRole("region", { name: "Presale access" });
  await panel.getByLabel("Presale for").fill("Presale E2E fan club");
  await panel.getByLabel("Tickets per account in the presale").fill("2");
  await panel.getByRole("button", { name: "Save presale settings" }).click();
  await expect(panel.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  const code = `E2E-${Date.now().toString(36).toUpperCase()}`;
  await panel.getByLabel("Name", { exact: true }).fill("One fan");
  await panel.getByLabel("Code (optional)").fill(code.toLowerCase());
  await panel.getByRole("button", { name: "Create codes" }).click();
  await expect(panel.getByRole("cell", { name: code })).toBeVisible();
  await expect(panel.getByRole("row", { name: new RegExp(code) })).toContainText("0 of 1");

  // A fan with no code: told on the showtime page, and turned away if they go to the line anyway.
  const fan = await fanContext(browser, baseURL, "presale");
  const page = fan.page;
  await page.goto(`/showtimes/${showtimeId}`);
  await expect(page.getByText(/Presale for Presale E2E fan club/)).toBeVisible();
  await expect(page.getByText(/General sale opens/)).toBeVisible();
  await expect(page.getByRole("heading", { name: "This presale needs a code" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Join the waiting room" })).toHaveCount(0);
  await page.goto(`/showtimes/${showtimeId}/queue`);
  await expect(page.getByRole("heading", { name: "This presale needs a code or an invitation" })).toBeVisible();
  await page.getByRole("link", { name: "Enter a presale code" }).click();

  // A wrong code says so; the right one (typed in lower case) unlocks the way in.
  await page.getByLabel("Presale code").fill("WRONG-CODE");
  await page.getByRole("button", { name: "Unlock presale" }).click();
  await expect(page.getByText("That code isn't valid for this showtime. Check it and try again.")).toBeVisible();
  await page.getByLabel("Presale code").fill(code.toLowerCase());
  await page.getByRole("button", { name: "Unlock presale" }).click();
  await expect(page.getByText(/Your presale code is accepted for this account/)).toBeVisible();
  await page.getByRole("link", { name: "Join the waiting room" }).click();
  await expect(page).toHaveURL(new RegExp(`/showtimes/${showtimeId}\\?admitted=1$`), { timeout: 20_000 });
  await expect(page.getByText("Up to 2 tickets per person")).toBeVisible();

  // The code was single-use: a second fan is refused it.
  const other = await fanContext(browser, baseURL, "presale-2");
  await other.page.goto(`/showtimes/${showtimeId}`);
  await other.page.getByLabel("Presale code").fill(code);
  await other.page.getByRole("button", { name: "Unlock presale" }).click();
  await expect(other.page.getByText("That code has already been used as many times as it allows.")).toBeVisible();

  await adminPage.reload();
  await expect(adminPage.getByRole("region", { name: "Presale access" }).getByRole("row", { name: new RegExp(code) })).toContainText(
    "1 of 1",
  );
  await Promise.all([admin.close(), fan.context.close(), other.context.close()]);
});

test("a fan on the presale list goes straight to the line; a signed-out visitor is asked to sign in", async ({
  browser,
  baseURL,
  page,
}) => {
  test.setTimeout(60_000);
  await page.goto(`/showtimes/${showtimeId}`);
  await expect(page.getByRole("heading", { name: "Presale: code or invitation needed" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Sign in" }).last()).toHaveAttribute(
    "href",
    `/sign-in?callbackUrl=${encodeURIComponent(`/showtimes/${showtimeId}`)}`,
  );

  const invited = makeUser("invited");
  const admin = await browser.newContext({ baseURL });
  await signInViaApi(admin.request, SEED.admin);
  await trpcMutation(admin.request, "admin.presale.addToList", { showtimeId, emails: invited.email });
  await admin.close();

  const context = await browser.newContext({ baseURL });
  await signUpViaApi(context.request, invited);
  await signInViaApi(context.request, invited);
  const fanPage = await context.newPage();
  await fanPage.goto(`/showtimes/${showtimeId}`);
  await expect(fanPage.getByText("You’re on this presale’s list.", { exact: false })).toBeVisible();
  await fanPage.getByRole("link", { name: "Join the waiting room" }).click();
  await expect(fanPage).toHaveURL(new RegExp(`/showtimes/${showtimeId}\\?admitted=1$`), { timeout: 20_000 });
  await context.close();
});
