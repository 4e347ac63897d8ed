// Seat holds end to end: two fans on one showtime see each other's holds within a second; a hold runs out
// by the real worker's job and its seat comes back in both maps; the one extension; release. The showtimes
// are made here (a small two-section venue, 15-second holds, no waiting line) and only this spec uses them.
import type { Browser, Page } from "@playwright/test";
import { prisma } from "../server/db.ts";
import { makeConcert } from "../test/support/factories.ts";
import { expect, makeUser, signInViaApi, signUpViaApi, test } from "./fixtures";

const HOLD_SECONDS = 15;
const EXTEND_SECONDS = 30;
let showtimes: string[] = [];

test.beforeAll(async () => {
  // Two sections ("Front" in Gold at ₩120,000, "Back" in Silver) of two rows (A, B) of five seats.
  const concert = await makeConcert({
    title: "Holds E2E",
    layout: { rows: 2, seatsPerRow: 5 },
    showtimes: [{ inDays: 10 }, { inDays: 11 }, { inDays: 12 }],
  });
  showtimes = concert.showtimes.map((s) => s.id);
  // Short holds for the test, and the line off: joining admits at once.
  await prisma().showtime.updateMany({
    where: { id: { in: showtimes } },
    data: { holdSeconds: HOLD_SECONDS, holdExtendSeconds: EXTEND_SECONDS, wrEnabled: false },
  });
});

test.afterAll(async () => {
  await prisma().$disconnect();
});

/** A fan in a browser context of their own (cookies, sessionStorage), signed in. */
async function newFan(browser: Browser, baseURL: string | undefined, label: string) {
  const context = await browser.newContext({ baseURL });
  const user = makeUser(label);
  await signUpViaApi(context.request, user);
  await signInViaApi(context.request, user);
  return { context, page: await context.newPage() };
}

/** Through the waiting room as a fan would: with the line off it admits at once and brings the fan back. */
async function admit(page: Page, showtimeId: string) {
  await page.goto(`/showtimes/${showtimeId}/queue`);
  await expect(page).toHaveURL(new RegExp(`/showtimes/${showtimeId}\\?admitted=1$`), { timeout: 15_000 });
  await expect(page.getByRole("region", { name: "Your seats", exact: true })).toBeVisible();
  // Listening for changes (the first "ready" arrived).
  await expect(page.getByTestId("seatmap")).toHaveAttribute("data-live", "on", { timeout: 10_000 });
}

async function openSection(page: Page, name: string) {
  await page
    .getByRole("region", { name: "Sections" })
    .getByRole("button", { name: new RegExp(`^${name}`) })
    .click();
  await expect(page.getByRole("region", { name: `Seats in ${name}` })).toBeVisible();
}

const seat = (page: Page, name: string, state: "available" | "on hold" | "held by you") =>
  page.getByRole("region", { name: /^Seats in / }).getByRole("button", { name: new RegExp(`^${name}, [\\d,]+ KRW, ${state}$`) });

const summary = (page: Page) => page.getByTestId("seatmap-summary").locator("p");

test("one fan's hold shows in the other's map at once, and when it runs out the seat is back for both", async ({ browser, baseURL }) => {
  test.setTimeout(60_000);
  const showtimeId = showtimes[0]!;
  const a = await newFan(browser, baseURL, "hold-a");
  const b = await newFan(browser, baseURL, "hold-b");
  await admit(a.page, showtimeId);
  await admit(b.page, showtimeId);
  await openSection(a.page, "Front");
  await openSection(b.page, "Front");
  await expect(summary(b.page)).toContainText("20 of 20 seats available · 0 on hold");

  // Fan A picks Front A1 from the list of seats, and holds it.
  await seat(a.page, "Front, row A, seat 1", "available").click();
  await expect(seat(a.page, "Front, row A, seat 1", "available")).toHaveAttribute("aria-pressed", "true");
  const panel = a.page.getByRole("region", { name: "Your seats", exact: true });
  await expect(panel).toContainText("Front, row A, seat 1");
  await expect(panel).toContainText("₩125,000");
  await panel.getByRole("button", { name: "Hold 1 seat" }).click();
  const hold = a.page.getByRole("region", { name: "Your 1 seat is held" });
  await expect(hold).toBeVisible();
  await expect(hold.getByRole("timer")).toHaveText(/^00:[01]\d$/);
  await expect(seat(a.page, "Front, row A, seat 1", "held by you")).toBeVisible();

  // Fan B sees it on hold within a second or two, without reloading.
  await expect(seat(b.page, "Front, row A, seat 1", "on hold")).toBeVisible({ timeout: 2_500 });
  await expect(seat(b.page, "Front, row A, seat 1", "on hold")).toHaveAttribute("aria-disabled", "true");
  await expect(summary(b.page)).toContainText("19 of 20 seats available · 1 on hold");

  // Nobody releases it: the worker's job ends the hold on time, and both maps get the seat back.
  await expect(a.page.getByText("Your hold ended and the seats went back on sale")).toBeVisible({ timeout: (HOLD_SECONDS + 5) * 1000 });
  await expect(seat(b.page, "Front, row A, seat 1", "available")).toBeVisible({ timeout: 5_000 });
  await expect(seat(a.page, "Front, row A, seat 1", "available")).toBeVisible({ timeout: 5_000 });
  await expect(summary(b.page)).toContainText("20 of 20 seats available · 0 on hold");
  await expect(summary(a.page)).toContainText("20 of 20 seats available · 0 on hold");

  await Promise.all([a.context.close(), b.context.close()]);
});

test("a fan adds time to a hold once, and releasing it frees the seat in the other fan's map", async ({ browser, baseURL }) => {
  test.setTimeout(45_000);
  const showtimeId = showtimes[1]!;
  const a = await newFan(browser, baseURL, "extend-a");
  const b = await newFan(browser, baseURL, "extend-b");
  await admit(a.page, showtimeId);
  await admit(b.page, showtimeId);

  // Best available: one seat, in Gold.
  const panel = a.page.getByRole("region", { name: "Your seats", exact: true });
  await panel.getByLabel("Find me").selectOption("1");
  await panel.getByLabel("in", { exact: true }).selectOption({ label: "Gold · ₩120,000" });
  await panel.getByRole("button", { name: "Find 1 seat" }).click();
  const hold = a.page.getByRole("region", { name: "Your 1 seat is held" });
  await expect(hold).toBeVisible();
  const heldSeat = (await hold.getByRole("listitem").first().getByTestId("seat-line-name").textContent()) ?? "";
  expect(heldSeat).toMatch(/^Front, row [AB], seat \d$/);
  await expect(hold.getByRole("link", { name: "Continue to checkout" })).toHaveAttribute("href", /^\/checkout\/[\w-]+$/);
  await expect(summary(b.page)).toContainText("19 of 20 seats available · 1 on hold", { timeout: 2_500 });

  // A 15-second hold is inside the last minute from the start: the warning, and the one extension.
  await expect(hold.getByText("Less than a minute left on your hold.")).toBeVisible();
  await hold.getByRole("button", { name: `Add ${EXTEND_SECONDS} more seconds` }).click();
  await expect(hold.getByText(/Done: your seats are now held until/)).toBeVisible();
  await expect(hold.getByRole("button", { name: /^Add / })).toHaveCount(0);
  const secondsLeft = async () => {
    const [m, sec] = ((await hold.getByRole("timer").textContent()) ?? "").split(":").map(Number);
    return (m ?? 0) * 60 + (sec ?? 0);
  };
  await expect.poll(secondsLeft).toBeGreaterThan(HOLD_SECONDS);

  // Release: the seat is back for B at once.
  await openSection(b.page, "Front");
  await expect(seat(b.page, heldSeat, "on hold")).toBeVisible();
  await hold.getByRole("button", { name: "Release seats" }).click();
  await expect(hold).toHaveCount(0);
  await expect(seat(b.page, heldSeat, "available")).toBeVisible({ timeout: 2_500 });
  await expect(summary(b.page)).toContainText("20 of 20 seats available · 0 on hold");

  await Promise.all([a.context.close(), b.context.close()]);
});

test("at checkout, a hold that runs out after its extension shows only that it ended", async ({ browser, baseURL }) => {
  test.setTimeout(45_000);
  const showtimeId = showtimes[2]!;
  // A hold short enough to watch it end: 8 seconds, and 2 more once.
  await prisma().showtime.update({ where: { id: showtimeId }, data: { holdSeconds: 8, holdExtendSeconds: 2 } });
  const a = await newFan(browser, baseURL, "checkout-ends");
  await admit(a.page, showtimeId);
  const panel = a.page.getByRole("region", { name: "Your seats", exact: true });
  await panel.getByLabel("Find me").selectOption("1");
  await panel.getByRole("button", { name: "Find 1 seat" }).click();
  await a.page.getByRole("region", { name: "Your 1 seat is held" }).getByRole("link", { name: "Continue to checkout" }).click();
  await expect(a.page).toHaveURL(/\/checkout\/[\w-]+$/);

  await a.page.getByRole("button", { name: "Add 2 more seconds" }).click();
  const done = a.page.getByText(/Done: your seats are now held until/);
  await expect(done.first()).toBeVisible();
  await expect(a.page.getByRole("button", { name: /^Add / })).toHaveCount(0);

  // Time runs out: one state, the ended one, with nothing left of the extension's note.
  await expect(a.page.getByRole("heading", { name: "Your hold has ended" })).toBeVisible({ timeout: 15_000 });
  await expect(done).toHaveCount(0);
  await expect(a.page.getByRole("status").filter({ hasText: "Done:" })).toHaveCount(0);
  await expect(a.page.getByRole("heading", { name: "Seats held for you" })).toHaveCount(0);

  await a.context.close();
});
