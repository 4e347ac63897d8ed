// Payment methods end to end: a fan saves test cards through the sandbox's card form, which turns the
// number into a token in the browser (only the token reaches Onsale), changes the default and removes a
// card; numbers the form refuses never leave the page, and the server's refusals are shown in words.
import type { Locator, Page, Request } from "@playwright/test";
import { expect, test, trpcMutation } from "./fixtures";

const badge = (card: Locator) => card.getByText("Default", { exact: true });
const nextYear = String((new Date().getFullYear() + 2) % 100).padStart(2, "0");

/** Every call of paymentMethods.add the page makes, and every request body it sends. */
function watchRequests(page: Page) {
  const adds: Request[] = [];
  const bodies: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes("paymentMethods.add")) adds.push(request);
    const body = request.postData();
    if (body) bodies.push(body);
  });
  return { adds, bodies };
}

async function fillCard(page: Page, card: { number: string; expiry?: string; cvc?: string }) {
  const form = page.getByRole("region", { name: "Add a card" });
  await form.getByLabel("Card number").fill(card.number);
  await form.getByLabel("Expiry (MM / YY)").fill(card.expiry ?? `12 / ${nextYear}`);
  await form.getByLabel("CVC").fill(card.cvc ?? "123");
}

test("a signed-out visitor is sent to sign in first", async ({ page }) => {
  await page.goto("/wallet/cards");
  await expect(page).toHaveURL(`/sign-in?callbackUrl=${encodeURIComponent("/wallet/cards")}`);
});

test("a fan saves a Visa and a Mastercard, makes the Mastercard the default and removes the Visa", async ({ signedInPage: page }) => {
  const { adds, bodies } = watchRequests(page);
  await page.goto("/wallet");
  await page.getByRole("link", { name: "Payment methods" }).click();
  await expect(page).toHaveURL("/wallet/cards");
  await expect(page.getByRole("heading", { level: 1, name: "Payment methods" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Wallet" })).toHaveAttribute(
    "aria-current",
    "page",
  );
  const saved = page.getByRole("region", { name: "Saved cards" });
  await expect(saved.getByRole("heading", { name: "No saved cards yet…" })).toBeVisible();

  const form = page.getByRole("region", { name: "Add a card" });
  await expect(form).toContainText("Test processor. No real card is charged here");
  const save = form.getByRole("button", { name: "Save card" });

  // The first card becomes the default.
  await fillCard(page, { number: "4242424242424242" });
  await form.getByLabel("CVC").focus();
  await expect(form.getByLabel("Card number")).toHaveValue("4242 4242 4242 4242");
  await save.click();
  await expect(form.getByRole("status")).toHaveText("Saved your Visa ending in 4242. It is your default card.");
  const visa = saved.getByRole("listitem", { name: "Visa ending in 4242" });
  await expect(visa).toContainText("Visa •••• 4242");
  await expect(badge(visa)).toBeVisible();
  await expect(visa).toContainText(/Expires \d\d\/\d\d/);
  await expect(visa.getByRole("button", { name: /^Make default/ })).toHaveCount(0);
  await expect(form.getByLabel("Card number")).toHaveValue("");

  // The second does not.
  await fillCard(page, { number: "5555 5555 5555 4444" });
  await save.click();
  await expect(form.getByRole("status")).toHaveText("Saved your Mastercard ending in 4444.");
  const mastercard = saved.getByRole("listitem", { name: "Mastercard ending in 4444" });
  await expect(mastercard).toContainText("Mastercard •••• 4444");
  await expect(badge(mastercard)).toHaveCount(0);
  await expect(saved.getByRole("listitem")).toHaveCount(2);

  // Make the Mastercard the default: it moves to the top, keeping the focus.
  await mastercard.getByRole("button", { name: "Make default: Mastercard ending in 4444" }).click();
  await expect(badge(mastercard)).toBeVisible();
  await expect(badge(visa)).toHaveCount(0);
  await expect(saved.getByRole("listitem").first()).toHaveAccessibleName("Mastercard ending in 4444");
  await expect(mastercard).toBeFocused();
  await expect(saved.getByRole("status")).toHaveText("Mastercard ending in 4444 is now your default card.");

  // Remove asks first; "Keep it" changes nothing.
  const removeVisa = visa.getByRole("button", { name: "Remove Visa ending in 4242" });
  await removeVisa.click();
  const question = visa.getByRole("group", { name: /^Remove your Visa ending in 4242\?/ });
  await expect(question).toBeFocused();
  await question.getByRole("button", { name: "Keep it" }).click();
  await expect(removeVisa).toBeFocused();
  await removeVisa.click();
  await visa.getByRole("button", { name: "Yes, remove it" }).click();
  await expect(visa).toHaveCount(0);
  await expect(saved.getByRole("status")).toHaveText("Removed your Visa ending in 4242.");
  await expect(saved.getByRole("listitem")).toHaveCount(1);
  await expect(badge(mastercard)).toBeVisible();

  // The same list after a reload: it came from the server.
  await page.reload();
  await expect(saved.getByRole("listitem")).toHaveCount(1);
  await expect(badge(saved.getByRole("listitem", { name: "Mastercard ending in 4444" }))).toBeVisible();

  // Only the tokens went to Onsale, never a card number.
  expect(adds.map((r) => JSON.stringify(r.postDataJSON()))).toEqual([
    expect.stringContaining('"token":"tok_visa"'),
    expect.stringContaining('"token":"tok_mastercard"'),
  ]);
  for (const body of bodies) expect(body).not.toMatch(/4242 ?4242|5555 ?5555/);
});

test("the card form refuses a bad number, date or code in the browser and asks for a test card", async ({ signedInPage: page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  const { adds } = watchRequests(page);
  await page.goto("/wallet/cards");
  const form = page.getByRole("region", { name: "Add a card" });
  const number = form.getByLabel("Card number");
  const expiry = form.getByLabel("Expiry (MM / YY)");
  const cvc = form.getByLabel("CVC");
  const save = form.getByRole("button", { name: "Save card" });
  await expect(page.getByRole("region", { name: "Saved cards" }).getByText("No saved cards yet…")).toBeVisible();

  // Nothing typed: each field says what it needs, and the first has the focus.
  await save.click();
  await expect(number).toBeFocused();
  await expect(number).toHaveAccessibleDescription("Enter the card number.");
  await expect(expiry).toHaveAccessibleDescription("Enter the expiry date, like 08 / 29.");
  await expect(cvc).toHaveAccessibleDescription("Enter the security code (CVC).");

  // A number that fails the Luhn check (one digit off), a month that is not one, a short code.
  await fillCard(page, { number: "4242 4242 4242 4241", expiry: `13 / ${nextYear}`, cvc: "12" });
  await save.click();
  await expect(number).toBeFocused();
  await expect(number).toHaveAttribute("aria-invalid", "true");
  await expect(number).toHaveAccessibleDescription("That card number isn’t valid: check it for a mistyped digit.");
  await expect(expiry).toHaveAccessibleDescription("The month must be from 01 to 12.");
  await expect(cvc).toHaveAccessibleDescription("The security code is 3 or 4 digits, on the back of the card.");

  // Fixing the number moves the focus to the next problem: a date in the past.
  await number.fill("4242 4242 4242 4242");
  await expiry.fill("01 / 20");
  await cvc.fill("123");
  await save.click();
  await expect(expiry).toBeFocused();
  await expect(expiry).toHaveAccessibleDescription("This card has expired: check the date, or use another card.");
  await expect(number).not.toHaveAttribute("aria-invalid");

  // A real card's number is valid, but this processor takes only test cards.
  await fillCard(page, { number: "4111 1111 1111 1111" });
  await save.click();
  await expect(number).toBeFocused();
  await expect(number).toHaveAccessibleDescription("This is a test processor: use a test card, e.g. 4242 4242 4242 4242.");

  // The test cards are listed on the form.
  await form.getByText("Test card numbers", { exact: true }).click();
  await expect(form.getByRole("listitem").filter({ hasText: "4242 4242 4242 4242" })).toContainText("Visa, pays");
  await expect(form.getByRole("listitem").filter({ hasText: "4000 0000 0000 0002" })).toContainText("Visa, declined");

  // None of it reached Onsale, and the page fits a phone.
  expect(adds).toHaveLength(0);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
});

test("a refusal from the server is shown in words beside the form", async ({ signedInPage: page }) => {
  // Ten cards is the most a fan may keep.
  for (let i = 0; i < 10; i++) {
    await trpcMutation(page.request, "paymentMethods.add", { token: "tok_visa", idempotencyKey: `e2e-limit-${i}-${Date.now()}` });
  }
  await page.goto("/wallet/cards");
  await expect(page.getByRole("region", { name: "Saved cards" }).getByRole("listitem")).toHaveCount(10);
  const form = page.getByRole("region", { name: "Add a card" });
  await fillCard(page, { number: "5555 5555 5555 4444" });
  await form.getByRole("button", { name: "Save card" }).click();
  const alert = form.getByRole("alert");
  await expect(alert).toHaveText("You can keep at most 10 cards. Remove one to add another.");
  await expect(alert).toBeFocused();
  // What was typed stays, to try again after removing a card.
  await expect(form.getByLabel("Card number")).toHaveValue("5555 5555 5555 4444");
});
