// next-auth's protections against the real app: login CSRF (the credentials callback wants its CSRF
// token), CSRF on tRPC and REST mutations (server/api/request.ts, crossSiteRefusal; SameSite=Lax), session
// fixation (a planted cookie is not taken, and signing in replaces it), the session cookie's attributes,
// and sign-out clearing the cookie. Raw requests use Playwright's `request` with chosen headers; the
// cross-origin attacks also run as real pages in Chromium.
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, makeUser, signInViaApi, signUpViaApi, test, type TestUser } from "./fixtures";
import type { APIRequestContext, BrowserContext, Page } from "@playwright/test";

const EVIL = "http://evil.example";
const SESSION = /^(__Secure-)?next-auth\.session-token(\.\d+)?$/;

/** The session cookie(s) a browser context or an API request context holds. */
async function sessionCookies(context: BrowserContext | APIRequestContext) {
  const { cookies } = await context.storageState();
  return cookies.filter((c) => SESSION.test(c.name));
}

async function sessionEmail(request: APIRequestContext): Promise<string | undefined> {
  const session = (await (await request.get("/api/auth/session")).json()) as { user?: { email?: string } };
  return session.user?.email;
}

/** The wallet as its owner sees it (REST, with the cookie in `request`). */
async function balance(request: APIRequestContext): Promise<number> {
  const res = await request.get("/api/v1/wallet");
  expect(res.status()).toBe(200);
  const wallets = (await res.json()) as { currency: string; balanceMinor: number }[];
  return wallets.find((w) => w.currency === "KRW")?.balanceMinor ?? 0;
}

const topUpBody = () => ({ currency: "KRW", amountMinor: 7_000, idempotencyKey: `csrf-${randomUUID()}` });

async function signInThroughForm(page: Page, user: TestUser) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/$/, { timeout: 15_000 });
  await expect(page.getByRole("navigation", { name: "Account" })).toContainText(user.name);
}

test.describe("login CSRF", () => {
  test("a cross-site POST to the credentials callback without the CSRF token signs nobody in and sets no session cookie", async ({
    request,
    playwright,
    user,
  }) => {
    const attempt = async (form: Record<string, string>) => {
      const res = await request.post("/api/auth/callback/credentials", {
        form: { email: user.email, password: user.password, callbackUrl: "/", ...form },
        headers: { Origin: EVIL, Referer: `${EVIL}/`, "Sec-Fetch-Site": "cross-site" },
        maxRedirects: 0,
      });
      const setCookie = res
        .headersArray()
        .filter((h) => h.name.toLowerCase() === "set-cookie")
        .map((h) => h.value);
      expect(
        setCookie.some((c) => /next-auth\.session-token/.test(c)),
        setCookie.join("\n"),
      ).toBe(false);
      // next-auth sends the browser back to its sign-in page with csrf=true instead.
      const where = res.headers()["location"] ?? (await res.text());
      expect(where).toContain("csrf=true");
    };
    await attempt({});
    await attempt({ json: "true" });
    // A token the attacker fetched for themselves is useless without its cookie, which stays on their side.
    const attacker = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
    const { csrfToken } = (await (await attacker.get("/api/auth/csrf")).json()) as { csrfToken: string };
    await attacker.dispose();
    await attempt({ csrfToken, json: "true" });

    expect(await sessionEmail(request)).toBeUndefined();
    expect(await sessionCookies(request)).toEqual([]);
  });
});

test.describe("CSRF on the APIs", () => {
  test("a cross-site tRPC or REST mutation with the victim's cookies is refused 403 FORBIDDEN and changes nothing", async ({
    request,
    user,
  }) => {
    await signInViaApi(request, user);
    const before = await balance(request);
    const foreign: Record<string, string>[] = [
      { Origin: EVIL, "Sec-Fetch-Site": "cross-site" },
      { Origin: EVIL },
      { "Sec-Fetch-Site": "cross-site" },
      { Origin: "http://127.0.0.1:4444", "Sec-Fetch-Site": "same-site" },
    ];
    for (const headers of foreign) {
      const trpc = await request.post("/api/trpc/wallet.topUp", { data: { json: topUpBody() }, headers });
      expect(trpc.status(), JSON.stringify(headers)).toBe(403);
      const trpcBody = (await trpc.json()) as { error: { json: { data: { appCode: string; details?: { reason?: string } } } } };
      expect(trpcBody.error.json.data).toMatchObject({ appCode: "FORBIDDEN", details: { reason: "cross-site" } });

      const rest = await request.post("/api/v1/wallet/top-ups", { data: topUpBody(), headers });
      expect(rest.status(), JSON.stringify(headers)).toBe(403);
      const restBody = (await rest.json()) as { error: { code: string; message: string; details: { reason: string } } };
      expect(restBody.error).toMatchObject({ code: "FORBIDDEN", details: { reason: "cross-site" } });
      expect(restBody.error.message).toMatch(/another site/);
    }
    expect(await balance(request)).toBe(before);

    // The same calls from the app's own origin go through: the refusals above were about the origin.
    const own = { Origin: new URL(test.info().project.use.baseURL!).origin, "Sec-Fetch-Site": "same-origin" };
    expect((await request.post("/api/trpc/wallet.topUp", { data: { json: topUpBody() }, headers: own })).status()).toBe(200);
    expect((await request.post("/api/v1/wallet/top-ups", { data: topUpBody(), headers: own })).status()).toBe(201);
    expect(await balance(request)).toBe(before + 14_000);
  });

  test("a Bearer-token API call from a foreign origin is not cookie-based and stays allowed", async ({ playwright, user }) => {
    const api = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
    const token = (await (await api.post("/api/v1/auth/token", { data: { email: user.email, password: user.password } })).json()) as {
      access_token: string;
    };
    const res = await api.post("/api/v1/wallet/top-ups", {
      data: topUpBody(),
      headers: { Authorization: `Bearer ${token.access_token}`, Origin: EVIL, "Sec-Fetch-Site": "cross-site" },
    });
    expect(res.status()).toBe(201);
    await api.dispose();
  });

  test("real pages on other origins cannot spend the signed-in fan's wallet", async ({ signedInPage: page }) => {
    const app = new URL(test.info().project.use.baseURL!);
    const before = await balance(page.request);
    // The attacker's pages, served for real on this machine (so Chromium treats them as ordinary pages):
    // at http://127.0.0.1:<port>, a sibling origin on the app's own site (another port of the same host),
    // and at http://localhost:<port>, another site.
    const pages: Record<string, string> = {
      // Same site: the browser sends the Lax cookie, so only the origin check stands between the page and
      // the wallet. It posts what a page can send without a preflight: text/plain JSON to REST, multipart to tRPC.
      "/sibling": `<!doctype html><title>win a prize</title><script>
        const body = ${JSON.stringify(JSON.stringify(topUpBody()))};
        const form = new FormData(); form.append("amountMinor", "7000");
        Promise.allSettled([
          fetch("${app.origin}/api/v1/wallet/top-ups", { method: "POST", mode: "no-cors", credentials: "include", headers: { "content-type": "text/plain" }, body }),
          fetch("${app.origin}/api/trpc/wallet.topUp", { method: "POST", mode: "no-cors", credentials: "include", body: form }),
        ]).then((r) => { document.title = "done " + r.map((x) => x.status + (x.reason ? " " + x.reason : "")).join(", "); });
      </script>`,
      // Another site: an auto-submitted text/plain form (a top-level POST: SameSite=Lax keeps the cookie home).
      "/form": `<!doctype html><form method="post" enctype="text/plain" action="${app.origin}/api/v1/wallet/top-ups">
        <input name='{"currency":"KRW","amountMinor":7000,"idempotencyKey":"${randomUUID()}","x":"' value='"}'></form>
        <script>document.forms[0].submit()</script>`,
    };
    const server = createServer((req, res) => {
      res.writeHead(200, { "content-type": "text/html" }).end(pages[req.url ?? ""] ?? "");
    });
    await new Promise<void>((resolve) => server.listen(0, app.hostname, resolve));
    const { port } = server.address() as AddressInfo;
    try {
      // The page cannot read the opaque answers; the browser (and so Playwright) sees their status.
      const answer = (path: string) =>
        page.waitForResponse((res) => res.url() === `${app.origin}${path}` && res.request().method() === "POST");
      const answers = Promise.all([answer("/api/v1/wallet/top-ups"), answer("/api/trpc/wallet.topUp")]);
      await page.goto(`http://${app.hostname}:${port}/sibling`);
      await expect(page).toHaveTitle("done fulfilled, fulfilled");
      const [rest, trpc] = await answers;
      expect(rest.status()).toBe(403);
      expect(trpc.status()).toBe(403);
      // 403, not 401: they carried the fan's cookie (same site), and the origin check is what refused them
      // (without the cookie tRPC would answer 401 and REST 401 or 415; Chromium does not show Playwright
      // the cookie and Sec-Fetch-* of an opaque request, so the status is the witness).
      const crossSiteHost = app.hostname === "localhost" ? "127.0.0.1" : "localhost";
      const submitted = page.waitForResponse((res) => res.url() === `${app.origin}/api/v1/wallet/top-ups`);
      await page.goto(`http://${crossSiteHost}:${port}/form`);
      // Refused either way: without the cookie the app sees a stranger (401), and REST reads only JSON
      // bodies (415); the wallet below is the proof that nothing was spent.
      const formAnswer = await submitted;
      expect([401, 403, 415]).toContain(formAnswer.status());
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await balance(page.request)).toBe(before);
  });
});

test.describe("session fixation and the session cookie", () => {
  test("a cookie planted before sign-in is not accepted, and signing in replaces it", async ({ page, context, user }) => {
    const app = test.info().project.use.baseURL!;
    await context.addCookies([{ name: "next-auth.session-token", value: "attacker-chosen-session-value", url: app }]);
    expect(await sessionEmail(page.request)).toBeUndefined();
    expect((await page.request.get("/api/v1/wallet")).status()).toBe(401);

    await signInThroughForm(page, user);
    const [cookie, ...more] = await sessionCookies(context);
    expect(more).toEqual([]);
    expect(cookie!.value).not.toBe("attacker-chosen-session-value");
    expect(await sessionEmail(page.request)).toBe(user.email.toLowerCase());
  });

  test("an attacker's own valid session planted in the victim's browser is replaced by the victim's at sign-in", async ({
    page,
    context,
    playwright,
    user,
  }) => {
    const app = test.info().project.use.baseURL!;
    const attacker = makeUser("attacker");
    const attackerApi = await playwright.request.newContext({ baseURL: app });
    await signUpViaApi(attackerApi, attacker);
    await signInViaApi(attackerApi, attacker);
    const [planted] = await sessionCookies(attackerApi);
    await attackerApi.dispose();
    await context.addCookies([{ name: planted!.name, value: planted!.value, url: app }]);
    expect(await sessionEmail(page.request)).toBe(attacker.email.toLowerCase());

    // Signed in (as the attacker), the sign-in page sends the fan on, so they sign in through next-auth's
    // endpoint from the same browser context, planted cookie and all.
    await signInViaApi(page.request, user);
    const [cookie] = await sessionCookies(context);
    expect(cookie!.value).not.toBe(planted!.value);
    expect(await sessionEmail(page.request)).toBe(user.email.toLowerCase());
  });

  test("the session cookie is HttpOnly and SameSite=Lax (Secure only over https), and signing out removes it", async ({
    page,
    context,
    user,
  }) => {
    await signInThroughForm(page, user);
    const cookies = await sessionCookies(context);
    expect(cookies).toHaveLength(1);
    const https = test.info().project.use.baseURL!.startsWith("https://");
    expect(cookies[0]).toMatchObject({
      name: https ? "__Secure-next-auth.session-token" : "next-auth.session-token",
      httpOnly: true,
      sameSite: "Lax",
      secure: https,
      path: "/",
    });
    // A script on the page cannot read it.
    expect(await page.evaluate(() => document.cookie)).not.toContain("session-token");

    await page.getByRole("navigation", { name: "Account" }).getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Sign in" })).toBeVisible();
    await expect.poll(async () => (await sessionCookies(context)).length).toBe(0);
    expect(await sessionEmail(page.request)).toBeUndefined();
    expect((await page.request.get("/api/v1/wallet")).status()).toBe(401);
  });
});
