// The admin dashboard, part 1: who gets in, and an admin building a venue, a concert and an on-sale
// showtime in the browser that fans then see on the concert's page and seat map.
import { randomUUID } from "node:crypto";
import { expect, SEED, signInViaApi, test } from "./fixtures";

test.describe("admin access", () => {
  test("a fan gets a 403 page that says so, and no Admin link", async ({ signedInPage: page }) => {
    const res = await page.goto("/admin");
    expect(res?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "This page is for administrators" })).toBeVisible();
    await expect(page.getByText("403 · Forbidden")).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" })).toHaveCount(0);
    // Deeper pages are closed too.
    expect((await page.goto("/admin/venues/new"))?.status()).toBe(403);
  });

  test("an anonymous visitor is sent to sign in", async ({ page }) => {
    await page.goto("/admin/venues");
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fadmin/);
    await expect(page.getByRole("heading", { name: /sign in/i })).toBeVisible();
  });
});

test("an admin builds a venue, a concert and an on-sale showtime that fans can see", async ({ page }) => {
  test.setTimeout(120_000);
  const id = randomUUID().slice(0, 6);
  const venueName = `E2E Hall ${id}`;
  const title = `E2E Concert ${id}`;
  await signInViaApi(page.request, SEED.admin);

  await page.goto("/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
  await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
  const adminNav = page.getByRole("navigation", { name: "Admin" });

  // A venue with two sections: 10 × 20 + 5 × 12 = 260 seats, counted by the live preview.
  await adminNav.getByRole("link", { name: "Venues" }).click();
  await page.getByRole("link", { name: "New venue" }).first().click();
  await expect(page.getByRole("heading", { name: "New venue" })).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill(venueName);
  await expect(page.getByLabel("Address (slug)")).toHaveValue(`e2e-hall-${id}`);
  await page.getByLabel("City").fill("Testville");
  await page.getByLabel("Country code").fill("us");
  await page.getByLabel("Street address").fill("1 Test Street");
  await page.getByLabel("Time zone").selectOption("America/New_York");
  const first = page.getByRole("group", { name: /^Section 1:/ });
  await first.getByLabel("Section name").fill("Floor");
  await first.getByLabel("Rows", { exact: true }).fill("10");
  await first.getByLabel("Seats per row").fill("20");
  await page.getByRole("button", { name: "Add section" }).click();
  const second = page.getByRole("group", { name: /^Section 2:/ });
  await second.getByLabel("Section name").fill("Balcony");
  await second.getByLabel("Rows", { exact: true }).fill("5");
  await second.getByLabel("Seats per row").fill("12");
  await second.getByLabel("Front row y").fill("320");
  await expect(page.getByTestId("preview-count")).toHaveText(/^260 seats · generated and drawn in \d+ ms$/);
  await page.getByRole("button", { name: "Create venue" }).click();
  await expect(page).toHaveURL(/\/admin\/venues\?created=/);
  await expect(page.getByText(`${venueName} is ready with 260 seats.`)).toBeVisible();
  await expect(page.getByRole("row", { name: new RegExp(venueName) })).toContainText("260");

  // A concert, published after a confirmation.
  await adminNav.getByRole("link", { name: "Concerts" }).click();
  await page.getByRole("link", { name: "New concert" }).click();
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Artist").fill("The Test Band");
  await page.getByLabel("Category").fill("Rock");
  await page.getByRole("button", { name: "Create concert" }).click();
  await expect(page).toHaveURL(/\/admin\/concerts\/[^/?]+\?created=1/);
  await page.getByRole("button", { name: "Publish concert" }).click();
  const publishConcert = page.getByRole("dialog", { name: `Publish “${title}”?` });
  await publishConcert.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByTestId("admin-head-meta").getByText("Published", { exact: true })).toBeVisible();

  // A showtime with two tiers and no waiting room, on general sale from now.
  await page.getByRole("link", { name: "Add showtime" }).click();
  await page.getByLabel("Venue").selectOption({ label: `${venueName} · Testville (260 seats, America/New_York)` });
  await expect(page.getByText(/Times are local to the venue: America\/New_York \(E[SD]T, UTC−0[45]:00\)/)).toBeVisible();
  const tiers = page.getByRole("group", { name: "Price tiers" });
  await expect(tiers.getByLabel("Currency (all tiers)")).toHaveValue("USD");
  await tiers.getByLabel("Tier name").fill("Floor seats");
  await tiers.getByLabel("Price (USD)").fill("120");
  await tiers.getByLabel("Fee (USD)").fill("9.50");
  await tiers.getByRole("button", { name: "Add price tier" }).click();
  await tiers.getByLabel("Tier name").nth(1).fill("Balcony seats");
  await tiers.getByLabel("Price (USD)").nth(1).fill("60");
  await page.getByLabel("Balcony · 60 seats").selectOption({ label: "Balcony seats" });
  await page.getByLabel("Use the waiting room").uncheck();
  // A presale over the two days before general sale opens (now), and a 48-hour refund cutoff.
  const generalSale = await page.getByLabel("General sale opens").inputValue();
  const daysBefore = (local: string, days: number) => new Date(Date.parse(`${local}:00Z`) - days * 86_400_000).toISOString().slice(0, 16);
  const presaleOpens = daysBefore(generalSale, 2);
  const presaleCloses = daysBefore(generalSale, 1);
  await page.getByLabel("Presale opens").fill(presaleOpens);
  await page.getByLabel("Presale closes").fill(presaleCloses);
  await page.getByLabel("Refund cutoff (hours)").fill("48");
  await page.getByLabel("Keep as a draft").check();

  // The server's rule about the windows comes back beside its field.
  const starts = await page.getByLabel("Show starts").inputValue();
  const doors = page.getByLabel("Doors open");
  const doorsValue = await doors.inputValue();
  await doors.fill(starts.replace(/T\d\d:\d\d$/, "T23:30"));
  await page.getByRole("button", { name: "Create draft showtime" }).click();
  await expect(page.getByText("Doors must open before the show starts.")).toBeVisible();
  await expect(doors).toHaveAttribute("aria-invalid", "true");
  await doors.fill(doorsValue);

  await page.getByRole("button", { name: "Create draft showtime" }).click();
  await expect(page).toHaveURL(/\/admin\/showtimes\/[^/?]+\?created=260/);
  await expect(page.getByText("Showtime created with 260 seats, as a draft.")).toBeVisible();
  // The draft's edit page shows what was entered.
  await expect(page.getByLabel("Presale opens")).toHaveValue(presaleOpens);
  await expect(page.getByLabel("Presale closes")).toHaveValue(presaleCloses);
  await expect(page.getByLabel("General sale opens")).toHaveValue(generalSale);
  await expect(page.getByLabel("Refund cutoff (hours)")).toHaveValue("48");
  await expect(page.getByLabel("Price (USD)").nth(1)).toHaveValue("60.00");
  await expect(page.getByLabel("Balcony · 60 seats").locator("option:checked")).toHaveText("Balcony seats");
  await page.getByRole("button", { name: "Publish showtime" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Publish" }).click();
  await expect(page.getByTestId("admin-head-meta").getByText("Published", { exact: true })).toBeVisible();
  await expect(page.getByLabel("Price (USD)").first()).toHaveValue("120.00");

  // The dashboard lists it as on sale.
  await adminNav.getByRole("link", { name: "Dashboard" }).click();
  const row = page.getByRole("row", { name: new RegExp(title) });
  await expect(row).toContainText("On sale");
  await expect(row).toContainText("0 / 260");

  // Fans see it on the concert's page, and its seat map has the venue's seats.
  await page.goto(`/concerts/e2e-concert-${id}`);
  const showtime = page.getByRole("article", { name: new RegExp(venueName) });
  await expect(showtime).toContainText("260 of 260 seats left");
  await expect(showtime).toContainText("$60.00 – $120.00");
  await showtime.getByRole("link", { name: /Choose seats/ }).click();
  await expect(page.getByText(/260 of 260 seats available/)).toBeVisible({ timeout: 15_000 });
});
