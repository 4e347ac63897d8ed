import { devices, type Locator, type Page } from "@playwright/test";
import { expect, SEED, test } from "./fixtures";

const region = (page: Page, name: string) => page.getByRole("region", { name });
const concertLink = (scope: Page | Locator, title: string) => scope.getByRole("link", { name: title, exact: true });

test.describe("on a phone", () => {
  test("the site's links fold behind a Menu button, which opens, takes the fan on and closes", async ({ browser, baseURL }) => {
    const phone = await browser.newContext({ ...devices["Pixel 7"], baseURL });
    try {
      const page = await phone.newPage();
      await page.goto("/");
      const menu = page.getByRole("button", { name: "Menu" });
      const main = page.getByRole("navigation", { name: "Main" });
      await expect(menu).toHaveAttribute("aria-expanded", "false");
      await expect(main.getByRole("link", { name: "Search" })).toBeHidden();
      // One header row: the brand and the button.
      const header = await page.locator(".site-header").boundingBox();
      expect(header!.height).toBeLessThan(80);

      await menu.click();
      await expect(menu).toHaveAttribute("aria-expanded", "true");
      await expect(page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Sign in" })).toBeVisible();
      await main.getByRole("link", { name: "Search" }).click();
      await expect(page).toHaveURL(/\/search$/);
      await expect(menu).toHaveAttribute("aria-expanded", "false");
      await expect(main.getByRole("link", { name: "Search" })).toBeHidden();

      // Escape closes it too, and gives focus back to the button.
      await menu.click();
      await page.keyboard.press("Escape");
      await expect(menu).toHaveAttribute("aria-expanded", "false");
      await expect(menu).toBeFocused();
    } finally {
      await phone.close();
    }
  });

  test("on a desktop there is no Menu button and the links are in the header", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("button", { name: "Menu" })).toBeHidden();
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Search" })).toBeVisible();
  });
});

test.describe("home", () => {
  test("lists concerts on sale now and coming soon", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();

    const onSale = region(page, "On sale now");
    await expect(concertLink(onSale, SEED.aurora.title)).toBeVisible();
    await expect(concertLink(onSale, SEED.velvet.title)).toBeVisible();
    await expect(concertLink(onSale, SEED.jazz.title)).toHaveCount(0);

    const soon = region(page, "Coming soon");
    await expect(concertLink(soon, SEED.jazz.title)).toBeVisible();

    const card = page.getByRole("article").filter({ has: concertLink(page, SEED.aurora.title) });
    await expect(card).toContainText(SEED.aurora.artist);
    await expect(card).toContainText("New York");
    await expect(card).toContainText(/\$\d+\.\d{2} – \$\d+\.\d{2}/);
    await expect(card).toContainText("On sale");
  });

  test("a card opens its concert", async ({ page }) => {
    await page.goto("/");
    await concertLink(region(page, "On sale now"), SEED.aurora.title).click();
    await expect(page).toHaveURL(new RegExp(`/concerts/${SEED.aurora.slug}$`));
    await expect(page.getByRole("heading", { level: 1, name: SEED.aurora.title })).toBeVisible();
  });
});

test.describe("search", () => {
  test("by text finds a concert, and the query lives in the URL", async ({ page }) => {
    await page.goto("/search");
    await page.getByLabel("Artist, concert or venue").fill("aurora");
    await page.getByRole("button", { name: "Search", exact: true }).click();

    await expect(page).toHaveURL(/[?&]q=aurora/);
    const results = region(page, "Results");
    await expect(concertLink(results, SEED.aurora.title)).toBeVisible();
    await expect(concertLink(results, SEED.velvet.title)).toHaveCount(0);
    await expect(results).toContainText("Showing 1–1 of 1 concert");

    // Back returns to the unfiltered list; forward brings the search (and its form value) back.
    await page.goBack();
    await expect(concertLink(region(page, "Results"), SEED.velvet.title)).toBeVisible();
    await expect(page.getByLabel("Artist, concert or venue")).toHaveValue("");
    await page.goForward();
    await expect(page.getByLabel("Artist, concert or venue")).toHaveValue("aurora");
    await expect(concertLink(region(page, "Results"), SEED.velvet.title)).toHaveCount(0);
  });

  test("by city filters", async ({ page }) => {
    await page.goto("/search");
    const city = page.getByLabel("City");
    for (const name of SEED.cities) await expect(city.getByRole("option", { name })).toHaveCount(1);
    await city.selectOption("Seoul");
    await page.getByRole("button", { name: "Search", exact: true }).click();

    await expect(page).toHaveURL(/[?&]city=Seoul/);
    const results = region(page, "Results");
    await expect(concertLink(results, SEED.velvet.title)).toBeVisible();
    await expect(concertLink(results, SEED.jazz.title)).toBeVisible();
    // Aurora Skies plays New York and Busan only.
    await expect(concertLink(results, SEED.aurora.title)).toHaveCount(0);
  });

  test("finds a city typed as text and a name with a typo, and sorts by price across pages", async ({ page }) => {
    await page.goto("/search");
    await page.getByLabel("Artist, concert or venue").fill("seoul");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    const results = region(page, "Results");
    await expect(concertLink(results, SEED.velvet.title)).toBeVisible();
    await expect(concertLink(results, SEED.jazz.title)).toBeVisible();
    await expect(concertLink(results, SEED.aurora.title)).toHaveCount(0);

    // One letter missing from the title still finds it.
    await page.getByLabel("Artist, concert or venue").fill(SEED.aurora.title.replace("r", ""));
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await expect(concertLink(region(page, "Results"), SEED.aurora.title)).toBeVisible();

    // The sort lives in the URL, and the pages keep it.
    await page.getByLabel("Artist, concert or venue").fill("");
    await page.getByLabel("Sort by").selectOption("price");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await expect(page).toHaveURL(/[?&]sort=price/);
    await expect(page.getByLabel("Sort by")).toHaveValue("price");
    await page.goto("/search?sort=price&pageSize=2");
    await page.getByRole("navigation", { name: "Pagination" }).getByRole("link", { name: /Next/ }).click();
    await expect(page).toHaveURL(/sort=price/);
    await expect(page).toHaveURL(/page=2/);
    await expect(page.getByLabel("Sort by")).toHaveValue("price");
  });

  test("a query that matches nothing shows the empty state with a way back", async ({ page }) => {
    await page.goto("/search?q=zzqx-no-such-band");
    await expect(page.getByText(/No concerts match/)).toBeVisible();
    await page.getByRole("link", { name: /Clear the search/ }).click();
    await expect(page).toHaveURL(/\/search$/);
    await expect(concertLink(region(page, "Results"), SEED.aurora.title)).toBeVisible();
  });

  test("an end date before the start date is explained, not searched", async ({ page }) => {
    await page.goto("/search");
    await page.getByLabel("From", { exact: true }).fill("2027-01-10");
    await page.getByLabel("To", { exact: true }).fill("2026-12-01");
    await page.getByRole("button", { name: "Search", exact: true }).click();

    await expect(page.getByText("The end date must be on or after the start date.")).toBeVisible();
    await expect(page.getByLabel("To", { exact: true })).toHaveAttribute("aria-invalid", "true");

    // The same rule holds for a shared link with the dates already in it: no results, just the message.
    await page.goto("/search?from=2027-01-10&to=2026-12-01");
    await expect(page.getByText("The end date must be on or after the start date.")).toBeVisible();
    await expect(region(page, "Results")).toHaveCount(0);
  });

  test("pages through results", async ({ page }) => {
    // Other specs add concerts while this runs, so the total is read from the page rather than the seed.
    await page.goto("/search?pageSize=2");
    const pagination = page.getByRole("navigation", { name: "Pagination" });
    const first = page.getByText(/^Showing 1–2 of (\d+) concerts$/);
    await expect(first).toBeVisible();
    const total = Number((await first.textContent())!.match(/of (\d+)/)![1]);
    expect(total).toBeGreaterThanOrEqual(SEED.concertCount);
    await expect(pagination.getByRole("link", { name: "Page 1" })).toHaveAttribute("aria-current", "page");

    await pagination.getByRole("link", { name: /Next/ }).click();
    await expect(page).toHaveURL(/[?&]page=2/);
    await expect(page.getByText(/^Showing 3–4 of \d+ concerts$/)).toBeVisible();
    await expect(pagination.getByRole("link", { name: "Page 2" })).toHaveAttribute("aria-current", "page");

    await page.goBack();
    await expect(page.getByText(/^Showing 1–2 of \d+ concerts$/)).toBeVisible();
  });
});

test.describe("concert page", () => {
  test("shows showtimes with venue, time and availability", async ({ page }) => {
    await page.goto(`/concerts/${SEED.aurora.slug}`);
    await expect(page.getByRole("heading", { level: 1, name: SEED.aurora.title })).toBeVisible();
    await expect(page.getByText(SEED.aurora.artist, { exact: true })).toBeVisible();

    const arena = page.getByRole("article").filter({ hasText: "Harbor Arena" }).first();
    await expect(arena).toContainText("New York");
    await expect(arena).toContainText(/of 15,600 seats left/);
    await expect(arena).toContainText(/8:00 PM EST|8:00 PM EDT/);
    await expect(arena.getByRole("link", { name: /Choose seats/ })).toBeVisible();
  });

  test("marks a sold-out showtime", async ({ page }) => {
    await page.goto(`/concerts/${SEED.velvet.slug}`);
    const soldOut = page.getByRole("article").filter({ hasText: "Rolling Hall" }).filter({ hasText: "Sold out" });
    await expect(soldOut.first()).toBeVisible();
    await expect(soldOut.first().getByRole("link", { name: /Choose seats/ })).toHaveCount(0);
  });

  test("says when an upcoming sale opens", async ({ page }) => {
    await page.goto(`/concerts/${SEED.jazz.slug}`);
    await expect(page.getByText(/On sale from/).first()).toBeVisible();
    await expect(page.getByRole("link", { name: /Choose seats/ })).toHaveCount(0);
  });

  test("an unknown concert shows the not-found page", async ({ page }) => {
    const response = await page.goto("/concerts/no-such-concert-here");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: /couldn.t find that page/ })).toBeVisible();
    await expect(page.getByRole("link", { name: "Browse concerts" })).toBeVisible();
  });
});

test.describe("seat map", () => {
  async function openArenaSeatMap(page: Page) {
    await page.goto(`/concerts/${SEED.aurora.slug}`);
    const arena = page.getByRole("article").filter({ hasText: "Harbor Arena" }).first();
    await arena.getByRole("link", { name: /Choose seats/ }).click();
    await expect(page).toHaveURL(/\/showtimes\/[A-Za-z0-9_-]+$/);
    await expect(page.getByRole("heading", { level: 1, name: SEED.aurora.title })).toBeVisible();
    const canvas = page.getByRole("application", { name: /Seat map of Harbor Arena/ });
    await expect(canvas).toBeVisible();
    // Drawn means: sized to its box in device pixels and painted with more than the background.
    await expect.poll(() => canvasColours(canvas)).toBeGreaterThan(3);
    return canvas;
  }

  /** How many distinct colours a coarse grid of the canvas holds. */
  function canvasColours(canvas: Locator) {
    return canvas.evaluate((el: HTMLCanvasElement) => {
      const ctx = el.getContext("2d");
      if (!ctx || el.width < 10) return 0;
      const data = ctx.getImageData(0, 0, el.width, el.height).data;
      const seen = new Set<number>();
      for (let y = 0; y < el.height; y += 7) {
        for (let x = 0; x < el.width; x += 7) {
          const i = (y * el.width + x) * 4;
          seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
        }
      }
      return seen.size;
    });
  }

  const snapshot = (canvas: Locator) => canvas.evaluate((el: HTMLCanvasElement) => el.toDataURL());
  const zoomLevel = (page: Page) => page.locator("output").filter({ hasText: "%" });

  test("draws the arena with a legend of prices and counts", async ({ page }) => {
    await openArenaSeatMap(page);
    await expect(page.getByText(/of 15,600 seats available · /)).toBeVisible();

    const legend = region(page, "Prices");
    await expect(legend).toContainText("Floor");
    await expect(legend).toContainText("$189.50");
    await expect(legend).toContainText("+ $18.95 fee");
    await expect(legend).toContainText("Lower Bowl");
    await expect(legend).toContainText("Upper Bowl");
    await expect(legend).toContainText("On hold");
    await expect(legend).toContainText("Sold");

    const sections = region(page, "Sections").getByRole("button");
    await expect(sections).toHaveCount(36);
  });

  test("a first visit sees the map before the framework runs, and the live map takes it over", async ({ page, browser, baseURL }) => {
    await page.goto(`/concerts/${SEED.aurora.slug}`);
    const href = await page
      .getByRole("article")
      .filter({ hasText: "Harbor Arena" })
      .first()
      .getByRole("link", { name: /Choose seats/ })
      .getAttribute("href");
    expect(href).toMatch(/^\/showtimes\/[A-Za-z0-9_-]+$/);

    // Next's scripts held back (not its styles), as on a first visit while they load: only the page's painter can draw.
    const fresh = await browser.newContext({ baseURL });
    const early = await fresh.newPage();
    await early.route(/\/_next\/static\/.*\.js(\?.*)?$/, (route) => route.abort());
    await early.goto(href!);
    const painted = early.locator("#seat-paint");
    await expect(painted).toHaveAttribute("data-painted", /^\d+$/);
    expect(await canvasColours(painted)).toBeGreaterThan(3);
    await expect(early.getByText("Loading the seat map…")).toBeAttached();
    await fresh.close();

    // With the scripts, the live map replaces the picture, and hydration finds the page as rendered.
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(e.message));
    await page.goto(href!);
    await expect(page.locator('[data-testid="seatmap"][data-live="on"]')).toBeVisible();
    await expect.poll(() => canvasColours(page.getByRole("application", { name: /Seat map of Harbor Arena/ }))).toBeGreaterThan(3);
    await expect(page.locator("#seat-paint")).toHaveCount(0);
    // The painter's map carried on as the live one: it answers the controls.
    await expect(zoomLevel(page)).toHaveText(/100%/);
    await page.getByRole("button", { name: "Zoom in" }).click();
    await expect(zoomLevel(page)).not.toHaveText(/100%/);
    expect(problems).toEqual([]);
  });

  test("names the map's keys on a desktop, and not on a phone without a keyboard", async ({ page, browser, baseURL }) => {
    await openArenaSeatMap(page);
    const help = page.locator("#seatmap-help");
    await expect(help).toContainText("Scroll or pinch to zoom");
    await expect(help.getByText(/arrow keys move/)).toBeVisible();

    const phone = await browser.newContext({ ...devices["Pixel 7"], baseURL });
    try {
      const onPhone = await phone.newPage();
      await openArenaSeatMap(onPhone);
      await expect(onPhone.locator("#seatmap-help")).toBeVisible();
      await expect(onPhone.locator("#seatmap-help").getByText(/arrow keys move/)).toBeHidden();
    } finally {
      await phone.close();
    }
  });

  test("the section list works from the keyboard and zooms the map", async ({ page }) => {
    const canvas = await openArenaSeatMap(page);
    await expect(zoomLevel(page)).toHaveText(/100%/);
    const before = await snapshot(canvas);

    // Tab from the map's Reset button into the section list, then pick the first section.
    await page.getByRole("button", { name: "Reset" }).focus();
    await page.keyboard.press("Tab");
    const first = region(page, "Sections").getByRole("button").first();
    await expect(first).toBeFocused();
    await expect(first).toContainText("Floor A");
    await page.keyboard.press("Enter");

    await expect(first).toHaveAttribute("aria-pressed", "true");
    await expect(zoomLevel(page)).not.toHaveText(/^\D*100%/);
    await expect.poll(() => snapshot(canvas)).not.toBe(before);

    // The next section with Space: it becomes the chosen one.
    await page.keyboard.press("Tab");
    await page.keyboard.press(" ");
    await expect(region(page, "Sections").getByRole("button").nth(1)).toHaveAttribute("aria-pressed", "true");
    await expect(first).toHaveAttribute("aria-pressed", "false");
  });

  test("zooms with keys and buttons, and resets", async ({ page }) => {
    const canvas = await openArenaSeatMap(page);
    const before = await snapshot(canvas);

    await canvas.focus();
    await page.keyboard.press("+");
    await expect(zoomLevel(page)).toHaveText(/140%/);
    await expect.poll(() => snapshot(canvas)).not.toBe(before);

    await page.keyboard.press("ArrowRight");
    await page.getByRole("button", { name: "Zoom in" }).click();
    await expect(zoomLevel(page)).toHaveText(/196%/);
    await page.getByRole("button", { name: "Zoom out" }).click();
    await expect(zoomLevel(page)).toHaveText(/140%/);

    await page.getByRole("button", { name: "Reset" }).click();
    await expect(zoomLevel(page)).toHaveText(/100%/);
    await expect.poll(() => snapshot(canvas)).toBe(before);
  });

  test("an unknown showtime shows the not-found page", async ({ page }) => {
    const response = await page.goto("/showtimes/no-such-showtime");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: /couldn.t find that page/ })).toBeVisible();
  });
});
