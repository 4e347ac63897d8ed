// The audit log's search: words matched in what the log shows (here a concert's title), a span of days, both
// kept in the URL (so a reload or a shared link shows the same), a clear word for days that cannot be, and
// an empty result that offers to clear the search.
import { randomUUID } from "node:crypto";
import { expect, SEED, signInViaApi, test, trpcMutation } from "./fixtures";

/** A day as the date inputs write it, in the browser's (this machine's) time zone. */
const localDay = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;

test("the audit log finds entries by words and days, keeps them in the URL, and says when none match", async ({ page }) => {
  await signInViaApi(page.request, SEED.admin);
  const id = randomUUID().slice(0, 8);
  const word = `Nebula${id}`;
  const concert = await trpcMutation<{ id: string }>(page.request, "admin.concerts.create", {
    slug: `e2e-audit-${id}`,
    title: `${word} Tour`,
    artist: "The Searchers",
    category: "Rock",
  });
  await trpcMutation(page.request, "admin.concerts.update", { concertId: concert.id, patch: { description: "Now with words." } });
  // Another concert made the same minute: it must not show.
  await trpcMutation(page.request, "admin.concerts.create", {
    slug: `e2e-audit-other-${id}`,
    title: `Quiet ${id}`,
    artist: "Others",
    category: "Rock",
  });

  await page.goto("/admin/audit");
  const search = page.getByRole("search", { name: "Search the audit log" });
  const today = localDay(new Date());
  await search.getByLabel("Search", { exact: true }).fill(word.toLowerCase());
  await search.getByLabel("From").fill(today);
  await search.getByLabel("To").fill(today);
  await search.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(`/admin/audit?q=${word.toLowerCase()}&from=${today}&to=${today}`);

  const entries = page.getByRole("region", { name: "Entries" }).getByRole("listitem");
  await expect(entries).toHaveCount(2);
  await expect(entries.filter({ hasText: "Edited a concert" })).toContainText(`${word} Tour`);
  await expect(entries.filter({ hasText: "Created a concert" })).toContainText(`${word} Tour`);
  await expect(page.getByText(`Quiet ${id}`)).toHaveCount(0);

  // A reload shows the same search, filled in.
  await page.reload();
  await expect(entries).toHaveCount(2);
  await expect(search.getByLabel("Search", { exact: true })).toHaveValue(word.toLowerCase());
  await expect(search.getByLabel("From")).toHaveValue(today);

  // Days with nothing in them: said so, with the way out.
  await search.getByLabel("From").fill("2020-01-01");
  await search.getByLabel("To").fill("2020-01-31");
  await search.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/from=2020-01-01&to=2020-01-31/);
  await expect(page.getByRole("heading", { name: "No entries match" })).toBeVisible();
  await page.getByRole("link", { name: "Clear the search" }).click();
  await expect(page).toHaveURL("/admin/audit");
  await expect(entries.first()).toBeVisible();

  // Days that cannot be: named, nothing listed.
  await page.goto(`/admin/audit?q=${word}&from=2026-02-30`);
  await expect(page.getByRole("alert").filter({ hasText: "Those dates can’t be used" })).toContainText(
    "“2026-02-30” is not a date we can use",
  );
  await expect(search.getByText("“2026-02-30” is not a date we can use")).toBeVisible();
  await expect(entries).toHaveCount(0);
  await page.getByRole("link", { name: "Search without dates" }).click();
  await expect(page).toHaveURL(`/admin/audit?q=${word}`);
  await expect(entries).toHaveCount(2);
  // A span that runs backwards is refused before asking.
  await search.getByLabel("From").fill("2026-12-08");
  await search.getByLabel("To").fill("2026-12-01");
  await search.getByRole("button", { name: "Search" }).click();
  await expect(search.getByText("The “from” day (2026-12-08) is after the “to” day (2026-12-01).")).toBeVisible();
  await expect(page).toHaveURL(`/admin/audit?q=${word}`);
});
