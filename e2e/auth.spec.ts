import { randomUUID } from "node:crypto";
import { expect, makeUser, SEED, signUpViaApi, test } from "./fixtures";

const accountNav = (page: import("@playwright/test").Page) => page.getByRole("navigation", { name: "Account" });

test.describe("sign up", () => {
  test("through the form lands signed in and shows the name", async ({ page }) => {
    const user = makeUser("signup");
    await page.goto("/sign-up");
    await page.getByLabel("Name").fill(user.name);
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Create account" }).click();

    // Creating the account and signing in hash the password twice on purpose (argon2): allow for it.
    await expect(page).toHaveURL(/\/$/, { timeout: 15_000 });
    await expect(accountNav(page)).toContainText(user.name);
    await expect(accountNav(page).getByRole("button", { name: "Sign out" })).toBeVisible();
  });

  test("with an email already signed up answers under the email field without confirming the account", async ({ page, request }) => {
    const existing = makeUser("taken");
    await signUpViaApi(request, existing);

    await page.goto("/sign-up");
    await page.getByLabel("Name").fill("Someone Else");
    await page.getByLabel("Email").fill(existing.email);
    await page.getByLabel("Password").fill("Another-pass-42");
    await page.getByRole("button", { name: "Create account" }).click();

    const email = page.getByLabel("Email");
    await expect(page.getByText("We couldn’t create an account with this email address")).toBeVisible();
    await expect(email).toHaveAttribute("aria-invalid", "true");
    await expect(email).toHaveAccessibleDescription(/If you have signed up with it before, sign in instead/);
    await expect(page.getByText(/already exists|is taken/)).toHaveCount(0);
    await expect(page).toHaveURL(/\/sign-up/);
  });

  test("with a weak password explains the rule", async ({ page }) => {
    const user = makeUser("weak");
    await page.goto("/sign-up");
    await page.getByLabel("Name").fill(user.name);
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill("short1");
    await page.getByRole("button", { name: "Create account" }).click();

    await expect(page.getByText("Use at least 10 characters.")).toBeVisible();
    await expect(page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("Password")).toBeFocused();

    await page.getByLabel("Password").fill("aaaaaaaaaaaa");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByText("Mix letters with at least one number or symbol.")).toBeVisible();
    await expect(page).toHaveURL(/\/sign-up/);
  });
});

test.describe("sign in", () => {
  test("with a wrong password says so", async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(SEED.demoFan.email);
    await page.getByLabel("Password").fill("not-the-password-1");
    await page.getByRole("button", { name: "Sign in" }).click();

    await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();
    await expect(page).toHaveURL(/\/sign-in/);
    await expect(accountNav(page).getByRole("link", { name: "Sign in" })).toBeVisible();
  });

  test("with a password over the limit says so in words, and the email field has a limit", async ({ page }) => {
    await page.goto("/sign-in");
    await expect(page.getByLabel("Email")).toHaveAttribute("maxlength", "254");
    await page.getByLabel("Email").fill(SEED.demoFan.email);
    await page.getByLabel("Password").fill("long-password-1".repeat(9)); // 135 characters
    await page.getByRole("button", { name: "Sign in" }).click();

    await expect(page.getByLabel("Password")).toHaveAccessibleDescription("Passwords are at most 128 characters: check what you typed.");
    await expect(page.getByText(/Too big|<=128/)).toHaveCount(0);
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("after 10 wrong passwords for one account, the form asks the fan to wait; other accounts sign in as usual", async ({
    page,
    user,
  }) => {
    // Twelve sign-ins, each a password hash on the server: the budget is per sign-in, not the default's.
    test.setTimeout(12 * 15_000);
    const guessed = `guessed-${randomUUID()}@example.test`;
    // The form's own alert (Next's route announcer is an alert too).
    const alert = page.getByRole("region", { name: "Sign in" }).getByRole("alert");
    /** One attempt through the form, done when the server has answered it (not when an alert shows: the last one may still be up). */
    const attempt = async (password: string) => {
      await page.getByLabel("Password").fill(password);
      const answered = page.waitForResponse(
        (r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/auth/callback/credentials",
        {
          timeout: 0,
        },
      );
      await page.getByRole("button", { name: "Sign in" }).click();
      await answered;
      // The form shows the answer once it is in, and is ready for the next try.
      await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
    };

    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(guessed);
    for (let n = 1; n <= 10; n++) {
      await attempt(`wrong-guess-${n}`);
      await expect(alert).toHaveText("Wrong email or password.");
    }
    await attempt("wrong-guess-11");
    await expect(alert).toHaveText(/^Too many sign-in attempts\. Please wait \d+ seconds and try again\.$/);
    await expect(page).toHaveURL(/\/sign-in/);

    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(accountNav(page)).toContainText(user.name, { timeout: 15_000 });
  });

  test("through the form works and returns to where the fan came from", async ({ page, user }) => {
    await page.goto("/sign-in?callbackUrl=%2Fsearch");
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();

    await expect(page).toHaveURL(/\/search$/);
    await expect(accountNav(page)).toContainText(user.name);
  });

  test("works for the demo fan", async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(SEED.demoFan.email);
    await page.getByLabel("Password").fill(SEED.demoFan.password);
    await page.getByRole("button", { name: "Sign in" }).click();

    await expect(page).toHaveURL(/\/$/);
    await expect(accountNav(page)).toContainText(SEED.demoFan.name);
  });

  test("a signed-in fan visiting the sign-in page is sent on", async ({ signedInPage: page }) => {
    await page.goto("/sign-in");
    await expect(page).toHaveURL(/\/$/);
  });
});

test("sign out", async ({ signedInPage: page, user }) => {
  await page.goto("/");
  await expect(accountNav(page)).toContainText(user.name);

  await accountNav(page).getByRole("button", { name: "Sign out" }).click();

  await expect(accountNav(page).getByRole("link", { name: "Sign in" })).toBeVisible();
  await expect(accountNav(page)).not.toContainText(user.name);
  await page.reload();
  await expect(accountNav(page).getByRole("link", { name: "Sign in" })).toBeVisible();
});
