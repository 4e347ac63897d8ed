// The waiting room end to end: the real worker admits fans on its ticks, pages follow over server-sent
// events. Only this spec touches Indie Garden Sessions, whose waiting room the admin reconfigures here; its
// tests share that room's single slot, so they must not run in parallel with each other.
import fs from "node:fs";
import type { APIRequestContext, Browser, Page } from "@playwright/test";
import { prisma } from "../server/db.ts";
import { makeConcert } from "../test/support/factories.ts";
import { expect, makeUser, SEED, signInViaApi, signUpViaApi, test, trpcMutation, trpcQuery } from "./fixtures";

test.afterAll(async () => {
  await prisma().$disconnect();
});

type SaleStatus = "ON_SALE" | "UPCOMING";

async function indieShowtime(request: APIRequestContext, status: SaleStatus): Promise<string> {
  const concert = await trpcQuery<{ showtimes: { id: string; saleStatus: string }[] }>(request, "catalog.concert", {
    slug: SEED.indie.slug,
  });
  const showtime = concert.showtimes.find((s) => s.saleStatus === status);
  expect(showtime, `no ${status} showtime of ${SEED.indie.slug}`).toBeDefined();
  return showtime!.id;
}

/** A browser context of its own (cookies, sessionStorage), signed in as a fresh fan or as the demo admin. */
async function signedInContext(browser: Browser, baseURL: string | undefined, who: "admin" | string) {
  const context = await browser.newContext({ baseURL });
  let email: string = SEED.admin.email;
  if (who === "admin") {
    await signInViaApi(context.request, SEED.admin);
  } else {
    const user = makeUser(who);
    email = user.email;
    await signUpViaApi(context.request, user);
    await signInViaApi(context.request, user);
  }
  return { context, page: await context.newPage(), email };
}

/** The upcoming showtime's sale opens with a presale (the seed's): the admin puts the fan on its list. */
async function invite(admin: { context: { request: APIRequestContext } }, showtimeId: string, email: string) {
  await trpcMutation(admin.context.request, "admin.presale.addToList", { showtimeId, emails: email });
}

const storedToken = (page: Page, showtimeId: string) =>
  page.evaluate((id) => window.sessionStorage.getItem(`onsale:access:${id}`), showtimeId);

const admittedUrl = (showtimeId: string) => new RegExp(`/showtimes/${showtimeId}\\?admitted=1$`);
const accessBanner = (page: Page) => page.getByRole("region", { name: /You.re in — choose your seats/ });

test("a signed-out visitor is sent to sign in before joining the line", async ({ page }) => {
  const showtimeId = await indieShowtime(page.request, "ON_SALE");
  await page.goto(`/showtimes/${showtimeId}`);
  await page.getByRole("link", { name: "Join the waiting room" }).click();
  await expect(page).toHaveURL(`/sign-in?callbackUrl=${encodeURIComponent(`/showtimes/${showtimeId}/queue`)}`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
});

test("the first fan is admitted, the second waits for the only slot and moves on when it frees", async ({ browser, baseURL }) => {
  test.setTimeout(90_000);
  const admin = await signedInContext(browser, baseURL, "admin");
  const showtimeId = await indieShowtime(admin.context.request, "ON_SALE");
  // One shopper at a time, a tick every half second (updateSettings schedules the ticks at once).
  await trpcMutation(admin.context.request, "waitingRoom.updateSettings", {
    showtimeId,
    settings: { enabled: true, paused: false, batchSize: 1, intervalMs: 500, maxActive: 1, accessSeconds: 60 },
  });
  const a = await signedInContext(browser, baseURL, "queue-a");
  const b = await signedInContext(browser, baseURL, "queue-b");

  // Fan A: the line is empty, so the next tick admits them and the page moves on by itself.
  await a.page.goto(`/showtimes/${showtimeId}/queue`);
  await expect(a.page).toHaveURL(admittedUrl(showtimeId), { timeout: 15_000 });
  await expect(accessBanner(a.page)).toContainText(/Your access lasts until \d{1,2}:\d{2}\s[AP]M \((\d+ minutes?|\d+ seconds) left\)/);
  expect(await storedToken(a.page, showtimeId)).toBeTruthy();
  await expect(a.page.getByRole("link", { name: "Join the waiting room" })).toHaveCount(0);

  // Fan B: the only slot is taken, so B waits at the front of the line.
  await b.page.goto(`/showtimes/${showtimeId}/queue`);
  await expect(b.page.getByRole("heading", { name: "You are number 1 in line" })).toBeVisible();
  const bar = b.page.getByRole("progressbar");
  await expect(bar).toHaveAttribute("aria-valuenow", "100");
  await expect(bar).toHaveAttribute("aria-valuetext", /number 1 in line/);
  await expect(b.page.getByRole("link", { name: "See the fairness proof" })).toBeVisible();
  await expect
    .poll(() => trpcQuery<{ active: number; waiting: number }>(admin.context.request, "waitingRoom.stats", { showtimeId }))
    .toMatchObject({ active: 1, waiting: 1 });
  // Several ticks later, still waiting.
  await b.page.waitForTimeout(2_000);
  await expect(b.page).toHaveURL(/\/queue$/);

  // Fan A's access ends (leaving frees the slot); B's page moves on by itself.
  expect(await trpcMutation<{ left: boolean }>(a.context.request, "waitingRoom.leave", { showtimeId })).toEqual({ left: true });
  await expect(b.page).toHaveURL(admittedUrl(showtimeId), { timeout: 15_000 });
  await expect(accessBanner(b.page)).toBeVisible();
  expect(await storedToken(b.page, showtimeId)).toBeTruthy();

  // A's stored token no longer passes the gate: the page forgets it and offers the waiting room again.
  await a.page.reload();
  await expect(a.page.getByRole("link", { name: "Join the waiting room" })).toBeVisible();
  await expect(a.page.getByText(/has ended. Join the waiting room again/)).toBeVisible();
  await expect(accessBanner(a.page)).toHaveCount(0);
  expect(await storedToken(a.page, showtimeId)).toBeNull();

  // Free the slot again, so a repeated run starts from an empty room.
  await trpcMutation(b.context.request, "waitingRoom.leave", { showtimeId });
  await Promise.all([admin.context.close(), a.context.close(), b.context.close()]);
});

test("a fan who is away loses the turn to the next fan, is told so, and takes it back once at the front", async ({ browser, baseURL }) => {
  test.setTimeout(90_000);
  const admin = await signedInContext(browser, baseURL, "admin");
  const showtimeId = await indieShowtime(admin.context.request, "ON_SALE");
  // One shopper at a time; one who holds no seats and does nothing for 15 s gives the slot back.
  await trpcMutation(admin.context.request, "waitingRoom.updateSettings", {
    showtimeId,
    settings: { enabled: true, paused: false, batchSize: 1, intervalMs: 500, maxActive: 1, accessSeconds: 300, idleSeconds: 15 },
  });
  const a = await signedInContext(browser, baseURL, "idle-a");
  const b = await signedInContext(browser, baseURL, "idle-b");

  await a.page.goto(`/showtimes/${showtimeId}/queue`);
  await expect(a.page).toHaveURL(admittedUrl(showtimeId), { timeout: 15_000 });
  await b.page.goto(`/showtimes/${showtimeId}/queue`);
  await expect(b.page.getByRole("heading", { name: "You are number 1 in line" })).toBeVisible();

  // A does nothing: warned first, then the turn goes to B, and A's page says so by itself.
  await expect(a.page.getByRole("alert").filter({ hasText: /Still choosing\? With no seats held, your turn passes/ })).toBeVisible();
  const released = a.page.getByRole("region", { name: "Your turn went to the next fan" });
  await expect(released).toBeVisible({ timeout: 30_000 });
  await expect(accessBanner(a.page)).toHaveCount(0);
  expect(await storedToken(a.page, showtimeId)).toBeNull();
  await expect(b.page).toHaveURL(admittedUrl(showtimeId), { timeout: 15_000 });

  // A takes the turn back: first in line, ahead of anyone who joined after them; admitted when B leaves.
  await released.getByRole("button", { name: "Take my turn back" }).click();
  await expect(a.page).toHaveURL(new RegExp(`/showtimes/${showtimeId}/queue$`));
  await expect(a.page.getByRole("heading", { name: "You are number 1 in line" })).toBeVisible();
  await trpcMutation(b.context.request, "waitingRoom.leave", { showtimeId });
  await expect(a.page).toHaveURL(admittedUrl(showtimeId), { timeout: 15_000 });
  await expect(accessBanner(a.page)).toBeVisible();

  await trpcMutation(a.context.request, "waitingRoom.leave", { showtimeId });
  await trpcMutation(admin.context.request, "waitingRoom.updateSettings", { showtimeId, settings: { idleSeconds: 60 } });
  await Promise.all([admin.context.close(), a.context.close(), b.context.close()]);
});

test("before sales open a fan joins the pre-queue, can check their entry, and can leave", async ({ browser, baseURL }) => {
  test.setTimeout(60_000);
  const admin = await signedInContext(browser, baseURL, "admin");
  const showtimeId = await indieShowtime(admin.context.request, "UPCOMING");
  // Open the pre-queue now: the seeded sale opens in a couple of days, the window reaches back a week.
  await trpcMutation(admin.context.request, "waitingRoom.updateSettings", {
    showtimeId,
    settings: { enabled: true, paused: false, prequeueMinutes: 7 * 24 * 60 },
  });
  const fan = await signedInContext(browser, baseURL, "prequeue");
  await invite(admin, showtimeId, fan.email);
  const { page } = fan;

  await page.goto(`/showtimes/${showtimeId}/queue`);
  await expect(page.getByRole("heading", { name: "You’re in the pre-queue" })).toBeVisible();
  await expect(page.getByText(/everyone who joined before then gets a random place; refreshing won’t change yours/)).toBeVisible();
  await page.reload();
  await expect(page.getByRole("heading", { name: "You’re in the pre-queue" })).toBeVisible();

  await page.getByRole("link", { name: "See the fairness proof" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Fairness proof" })).toBeVisible();
  await expect(page.getByText("Revealed when sales open")).toBeVisible();
  await page.getByRole("button", { name: "Verify in my browser" }).click();
  await expect(page.getByText("Verified: Your entry belongs to your account")).toBeVisible();

  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download the entries (JSON)" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`onsale-prequeue-${showtimeId}.json`);
  const proof = JSON.parse(fs.readFileSync(await file.path(), "utf8")) as { entries: string[]; seed: string | null };
  expect(proof.entries.length).toBeGreaterThanOrEqual(1);
  expect(proof.seed).toBeNull();

  // Leaving, with a confirmation, returns to the concert and gives the place up.
  await page.getByRole("link", { name: "Back to the waiting room" }).click();
  await page.getByRole("button", { name: "Leave the line" }).click();
  await expect(page.getByRole("button", { name: "Stay in line" })).toBeFocused();
  await page.getByRole("button", { name: "Yes, leave the line" }).click();
  await expect(page).toHaveURL(new RegExp(`/concerts/${SEED.indie.slug}$`));
  expect(await trpcQuery<{ state: string }>(fan.context.request, "waitingRoom.status", { showtimeId })).toMatchObject({ state: "NONE" });

  await Promise.all([admin.context.close(), fan.context.close()]);
});

test("the proof of an open sale reveals the seed, and the browser confirms it", async ({ signedInPage: page }) => {
  const showtimeId = await indieShowtime(page.request, "ON_SALE");
  // The worker's first tick after opening records the (here empty) pre-queue as opened.
  await expect
    .poll(async () => (await trpcQuery<{ opened: boolean }>(page.request, "waitingRoom.proof", { showtimeId })).opened, { timeout: 20_000 })
    .toBe(true);
  await page.goto(`/showtimes/${showtimeId}/queue/proof`);
  await expect(page.getByRole("heading", { level: 1, name: "Fairness proof" })).toBeVisible();
  await expect(page.getByText(/You have no pre-queue entry/)).toBeVisible();
  await page.getByRole("button", { name: "Verify in my browser" }).click();
  await expect(page.getByText("Verified: The revealed seed matches the commitment published before sales opened")).toBeVisible();
});

test("when live updates fail, the page keeps the fan's place by polling", async ({ browser, baseURL }) => {
  const admin = await signedInContext(browser, baseURL, "admin");
  const showtimeId = await indieShowtime(admin.context.request, "UPCOMING");
  await trpcMutation(admin.context.request, "waitingRoom.updateSettings", {
    showtimeId,
    settings: { enabled: true, paused: false, prequeueMinutes: 7 * 24 * 60 },
  });
  const fan = await signedInContext(browser, baseURL, "polling");
  await invite(admin, showtimeId, fan.email);
  const { page } = fan;
  await page.route(/\/api\/trpc\/waitingRoom\.watch/, (route) => route.abort());

  const polled = page.waitForRequest(/\/api\/trpc\/waitingRoom\.status/);
  await page.goto(`/showtimes/${showtimeId}/queue`);
  await polled;
  await expect(page.getByText("Live updates are reconnecting")).toBeVisible();
  await expect(page.getByRole("heading", { name: "You’re in the pre-queue" })).toBeVisible();

  await trpcMutation(fan.context.request, "waitingRoom.leave", { showtimeId });
  await Promise.all([admin.context.close(), fan.context.close()]);
});

test("a paused line says so, with the organiser's message as the admin writes it, and moves again when resumed", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(60_000);
  const admin = await signedInContext(browser, baseURL, "admin");
  const showtimeId = await indieShowtime(admin.context.request, "ON_SALE");
  await trpcMutation(admin.context.request, "waitingRoom.updateSettings", {
    showtimeId,
    settings: { enabled: true, paused: true, pauseNote: null, batchSize: 1, intervalMs: 500, maxActive: 1, accessSeconds: 60 },
  });
  const fan = await signedInContext(browser, baseURL, "paused");
  await fan.page.goto(`/showtimes/${showtimeId}/queue`);
  await expect(fan.page.getByRole("heading", { name: /^You are number \d+ in line$/ })).toBeVisible();
  const paused = fan.page.getByText("Admission is paused by the organiser.", { exact: true });
  await expect(paused).toBeVisible();
  const wait = fan.page.getByRole("definition").filter({ hasText: "Paused" });
  await expect(wait).toBeVisible();
  await expect(fan.page.getByText(/You’re next|less than a minute|about \d+ minutes?/)).toHaveCount(0);

  // The admin writes a message on the live page; the fan's open page shows it without a reload.
  await admin.page.goto(`/admin/showtimes/${showtimeId}/live`);
  await expect(admin.page.getByText("Admission: Paused")).toBeVisible();
  const message = "We’re fixing a payment problem and will resume in about 10 minutes.";
  await admin.page.getByLabel("Message to waiting fans").fill(message);
  await admin.page.getByRole("button", { name: "Update the message" }).click();
  await expect(fan.page.getByRole("blockquote")).toHaveText(`The organiser says: ${message}`, { timeout: 5_000 });

  // Resumed: the pause and its message go, by themselves.
  await admin.page.getByRole("button", { name: "Resume admission" }).click();
  await expect(admin.page.getByText("Admission: Running")).toBeVisible();
  await expect(paused).toHaveCount(0, { timeout: 5_000 });
  await expect(fan.page.getByText(message)).toHaveCount(0);
  expect(
    await trpcQuery<{ pauseNote: string | null; paused: boolean }>(admin.context.request, "waitingRoom.settings", { showtimeId }),
  ).toMatchObject({
    paused: false,
    pauseNote: null,
  });

  await trpcMutation(fan.context.request, "waitingRoom.leave", { showtimeId });
  await Promise.all([admin.context.close(), fan.context.close()]);
});

test("once every seat is sold, the line tells those in it and is closed to new fans", async ({ browser, baseURL }) => {
  test.setTimeout(60_000);
  const concert = await makeConcert({ title: "Sold Out Line E2E", layout: { rows: 1, seatsPerRow: 4 }, showtimes: [{ inDays: 12 }] });
  const showtimeId = concert.showtimes[0]!.id;
  const admin = await signedInContext(browser, baseURL, "admin");
  // One shopper at a time, ticking every half second from now on.
  await trpcMutation(admin.context.request, "waitingRoom.updateSettings", {
    showtimeId,
    settings: { enabled: true, paused: false, batchSize: 1, intervalMs: 500, maxActive: 1, accessSeconds: 60 },
  });
  const first = await signedInContext(browser, baseURL, "soldout-first");
  const waiting = await signedInContext(browser, baseURL, "soldout-waiting");
  await trpcMutation(first.context.request, "waitingRoom.join", { showtimeId });
  await expect
    .poll(async () => (await trpcQuery<{ state: string }>(first.context.request, "waitingRoom.status", { showtimeId })).state, {
      timeout: 15_000,
    })
    .toBe("READY");
  await waiting.page.goto(`/showtimes/${showtimeId}/queue`);
  await expect(waiting.page.getByRole("heading", { name: "You are number 1 in line" })).toBeVisible();

  // Every seat is sold (the first fan's purchase, and others'): those in line are told within a tick or two.
  await prisma().seat.updateMany({ where: { showtimeId }, data: { status: "SOLD" } });
  await expect(waiting.page.getByText("This showtime is sold out.", { exact: true })).toBeVisible({ timeout: 10_000 });
  await expect(waiting.page.getByRole("definition").filter({ hasText: "Sold out" })).toBeVisible();
  await expect(waiting.page.getByText(/You’re next|less than a minute/)).toHaveCount(0);

  // A fan arriving now finds the line closed, with a way to the concert's other dates.
  const late = await signedInContext(browser, baseURL, "soldout-late");
  await late.page.goto(`/showtimes/${showtimeId}/queue`);
  await expect(late.page.getByRole("heading", { name: "This showtime is sold out" })).toBeVisible();
  await expect(late.page.getByText(/the waiting room is closed to new fans/)).toBeVisible();
  await expect(late.page.getByRole("link", { name: "See the concert’s other dates" })).toHaveAttribute("href", `/concerts/${concert.slug}`);
  await expect(late.page.getByText(/in line|You’re next/)).toHaveCount(0);
  expect(await trpcQuery<{ waiting: number }>(admin.context.request, "waitingRoom.stats", { showtimeId })).toMatchObject({ waiting: 1 });

  await Promise.all([admin.context.close(), first.context.close(), waiting.context.close(), late.context.close()]);
});

test("the proof lists everyone who was drawn, marks who left since, and each place still checks out", async ({ browser, baseURL }) => {
  test.setTimeout(60_000);
  const concert = await makeConcert({ title: "Draw E2E", layout: { rows: 1, seatsPerRow: 4 }, showtimes: [{ inDays: 12 }] });
  const showtimeId = concert.showtimes[0]!.id;
  // Sales open in a few seconds; the pre-queue is open now and the worker ticks every half second.
  await prisma().showtime.update({ where: { id: showtimeId }, data: { generalSaleStartsAt: new Date(Date.now() + 6_000) } });
  const admin = await signedInContext(browser, baseURL, "admin");
  await trpcMutation(admin.context.request, "waitingRoom.updateSettings", {
    showtimeId,
    settings: { enabled: true, paused: false, prequeueMinutes: 60, batchSize: 1, intervalMs: 500, maxActive: 1 },
  });
  const stays = await signedInContext(browser, baseURL, "draw-stays");
  const leaves = await signedInContext(browser, baseURL, "draw-leaves");
  const third = await signedInContext(browser, baseURL, "draw-third");
  for (const fan of [stays, leaves, third]) {
    expect(await trpcMutation<{ state: string }>(fan.context.request, "waitingRoom.join", { showtimeId })).toMatchObject({
      state: "PREQUEUED",
    });
  }
  await expect
    .poll(async () => (await trpcQuery<{ opened: boolean }>(stays.context.request, "waitingRoom.proof", { showtimeId })).opened, {
      timeout: 20_000,
    })
    .toBe(true);
  expect(await trpcMutation<{ left: boolean }>(leaves.context.request, "waitingRoom.leave", { showtimeId })).toEqual({ left: true });

  // The fan who stayed: all three entries, one marked as gone, and their place verified from the seed.
  const { page } = stays;
  await page.goto(`/showtimes/${showtimeId}/queue/proof`);
  const draw = page.getByRole("region", { name: "The draw" });
  await expect(draw.getByRole("definition").filter({ hasText: /^3 · 1 of them left the line since/ })).toBeVisible();
  await expect(draw.getByText(/^[123] of 3$/)).toBeVisible();
  await page.getByRole("button", { name: "Verify in my browser" }).click();
  await expect(page.getByText("Verified: Your place follows from the seed and the entries")).toBeVisible();
  await expect(page.getByText(/^Does not match/)).toHaveCount(0);

  // The fan who left still finds their entry and place in the draw, said to be unused.
  await leaves.page.goto(`/showtimes/${showtimeId}/queue/proof`);
  await expect(leaves.page.getByText("(you left the line after the draw)")).toBeVisible();
  await leaves.page.getByRole("button", { name: "Verify in my browser" }).click();
  await expect(leaves.page.getByText("Verified: Your place follows from the seed and the entries")).toBeVisible();

  await Promise.all([admin, stays, leaves, third].map((c) => c.context.close()));
});
