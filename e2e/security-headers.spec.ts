// Security headers and secrets against the real app (`next start`, so NODE_ENV=production): every kind of
// answer carries the headers; the main pages load and work under the nonce CSP without one violation; a page
// framed by another origin is refused; nothing secret is in what the browser is served; and the production
// server refuses to start with the public development secret.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { APIRequestContext, Browser, BrowserContext } from "@playwright/test";
import { prisma } from "../server/db.ts";
import { makeConcert } from "../test/support/factories.ts";
import { freePort } from "../test/support/redis-server.ts";
import { expect, makeUser, SEED, signInViaApi, signUpViaApi, test, trpcMutation, trpcQuery } from "./fixtures";

const ONE_YEAR = 365 * 24 * 3600;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** "script-src 'self' 'nonce-x'" → { "script-src": ["'self'", "'nonce-x'"] } */
function directives(csp: string | undefined): Record<string, string[]> {
  expect(csp, "no Content-Security-Policy").toBeTruthy();
  return Object.fromEntries(
    csp!.split(";").map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name!, values];
    }),
  );
}

/** The headers every answer carries, whatever it is (`next start` is production: HSTS included). */
function expectCommonHeaders(headers: Record<string, string>, what: string) {
  const hsts = headers["strict-transport-security"];
  expect(hsts, `${what}: HSTS`).toMatch(/^max-age=\d+; includeSubDomains$/);
  expect(Number(/max-age=(\d+)/.exec(hsts!)![1]), `${what}: HSTS max-age`).toBeGreaterThanOrEqual(ONE_YEAR);
  expect(headers["referrer-policy"], what).toBe("strict-origin-when-cross-origin");
  expect(headers["x-content-type-options"], what).toBe("nosniff");
  expect(headers["x-frame-options"], what).toBe("DENY");
  expect(headers["permissions-policy"], what).toMatch(/camera=\(\).*microphone=\(\).*geolocation=\(\)/);
  const csp = directives(headers["content-security-policy"]);
  expect(csp["frame-ancestors"], `${what}: frame-ancestors`).toEqual(["'none'"]);
  expect(csp["object-src"], `${what}: object-src`).toEqual(["'none'"]);
  return csp;
}

/** The nonce of a page's CSP, after checking that the policy really restricts scripts. */
function pageNonce(headers: Record<string, string>, what: string): string {
  const csp = expectCommonHeaders(headers, what);
  const scripts = csp["script-src"] ?? [];
  const nonce = scripts.map((s) => /^'nonce-([A-Za-z0-9+/=]+)'$/.exec(s)?.[1]).find(Boolean);
  expect(nonce, `${what}: script-src has no nonce: ${scripts.join(" ")}`).toBeTruthy();
  expect(scripts, what).toContain("'strict-dynamic'");
  expect(scripts, what).not.toContain("'unsafe-inline'");
  expect(scripts, what).not.toContain("'unsafe-eval'");
  expect(csp["base-uri"], what).toEqual(["'self'"]);
  expect(csp["form-action"], what).toEqual(["'self'"]);
  expect(csp["connect-src"], what).toEqual(["'self'"]);
  expect(csp["default-src"], what).toEqual(["'self'"]);
  return nonce!;
}

test.describe("headers", () => {
  test("a page's CSP has a fresh nonce each time, and every script of the page carries it", async ({ request }) => {
    const nonces = new Set<string>();
    for (const url of ["/", "/", `/concerts/${SEED.aurora.slug}`, "/sign-in", "/api-docs", "/no-such-page"]) {
      const res = await request.get(url);
      const nonce = pageNonce(res.headers(), url);
      nonces.add(nonce);
      const html = await res.text();
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length, `${url}: no scripts at all?`).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag, `${url}: a script without the nonce`).toContain(`nonce="${nonce}"`);
    }
    expect(nonces.size, "a nonce was served twice").toBe(6);
  });

  test("API answers (tRPC, REST, health, partner) carry them too, with a policy that allows nothing", async ({ request }) => {
    const input = encodeURIComponent(JSON.stringify({ json: { slug: SEED.aurora.slug } }));
    const answers = {
      "/api/trpc": await request.get(`/api/trpc/catalog.concert?input=${input}`),
      "/api/trpc (error)": await request.get("/api/trpc/no.such.procedure"),
      "/api/v1": await request.get(`/api/v1/concerts/${SEED.aurora.slug}`),
      "/api/v1 (401)": await request.get("/api/v1/wallet"),
      "/api/v1/openapi.json": await request.get("/api/v1/openapi.json"),
      "/api/health": await request.get("/api/health"),
      "/v1/channel (403)": await request.get("/v1/channel/price/ticket/1"),
    };
    expect(answers["/api/trpc"].status()).toBe(200);
    expect(answers["/api/v1"].status()).toBe(200);
    expect(answers["/api/v1 (401)"].status()).toBe(401);
    for (const [what, res] of Object.entries(answers)) {
      const csp = expectCommonHeaders(res.headers(), what);
      expect(csp["default-src"], what).toEqual(["'none'"]);
      expect(res.headers()["x-request-id"], what).toBeTruthy();
    }
  });

  test("next-auth's answers, redirects and static files carry what applies to them", async ({ request, page }) => {
    pageNonce((await request.get("/api/auth/csrf")).headers(), "/api/auth/csrf");
    const redirect = await request.get("/admin", { maxRedirects: 0 });
    expect([302, 303, 307, 308]).toContain(redirect.status());
    expectCommonHeaders(redirect.headers(), "a redirect");
    expectCommonHeaders((await request.get("/favicon.svg")).headers(), "/favicon.svg");

    const chunks: string[] = [];
    page.on("response", (res) => {
      if (new URL(res.url()).pathname.startsWith("/_next/static/")) chunks.push(res.url());
    });
    await page.goto("/");
    await expect.poll(() => chunks.length).toBeGreaterThan(0);
    const chunk = await request.get(chunks[0]!);
    expect(chunk.status()).toBe(200);
    expect(chunk.headers()["x-content-type-options"]).toBe("nosniff");
  });

  test("a page framed by another origin is refused", async ({ page, baseURL }) => {
    // A page of another origin (a server of the test's own, on another port: the browser blocks a public page
    // from framing a local one anyway) framing the app, and a page of its own without the headers (the control).
    const framer = http.createServer((req, res) => {
      res.setHeader("content-type", "text/html");
      if (req.url === "/control") return res.end("<!doctype html><h1>Control</h1>");
      res.end(
        `<!doctype html><title>Framer</title><iframe id="app" src="${baseURL}/sign-in"></iframe><iframe id="control" src="/control"></iframe>`,
      );
    });
    await new Promise<void>((resolve) => framer.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = framer.address() as net.AddressInfo;
      const appAnswer = page.waitForResponse((res) => res.url() === `${baseURL}/sign-in`);
      await page.goto(`http://127.0.0.1:${port}/`);
      // The app answered and frames do render on this page (the control)…
      const answer = await appAnswer;
      await expect(page.frameLocator("#control").getByRole("heading", { name: "Control" })).toBeVisible();
      // …but the browser showed nothing of the app inside its frame, because of its headers.
      const frame = await (await page.locator("#app").elementHandle())!.contentFrame();
      await frame!.waitForLoadState("load");
      await expect(page.frameLocator("#app").getByRole("heading", { name: "Sign in" })).toHaveCount(0);
      await expect(page.frameLocator("#app").locator("input")).toHaveCount(0);
      expect(answer.headers()["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
    } finally {
      framer.closeAllConnections();
      await new Promise((resolve) => framer.close(resolve));
    }
  });
});

// ---------------------------------------------------------------------------------------------------------

/** Every CSP violation the browser reports in a context: console messages and securitypolicyviolation events. */
async function watchCsp(context: BrowserContext): Promise<string[]> {
  const violations: string[] = [];
  // Init scripts come from the browser's debugging protocol, not the page, so the CSP does not stop them.
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(
        `Content Security Policy violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`,
      );
    });
  });
  context.on("console", (m) => {
    if (/Content[- ]Security[- ]Policy/i.test(m.text())) violations.push(`${m.page()?.url()}: ${m.text()}`);
  });
  context.on("weberror", (e) => violations.push(`page error: ${e.error().message}`));
  return violations;
}

async function fanContext(browser: Browser, baseURL: string | undefined) {
  const context = await browser.newContext({ baseURL });
  const violations = await watchCsp(context);
  const user = makeUser("csp");
  await signUpViaApi(context.request, user);
  await signInViaApi(context.request, user);
  return { context, violations, user };
}

/** Joins (the line is off for the test's showtime: admitted at once) and returns the access token. */
async function admit(request: APIRequestContext, showtimeId: string): Promise<string> {
  await trpcMutation(request, "waitingRoom.join", { showtimeId });
  let token: string | undefined;
  await expect
    .poll(
      async () => {
        const status = await trpcQuery<{ state: string; accessToken?: string }>(request, "waitingRoom.status", { showtimeId });
        token = status.accessToken;
        return status.state;
      },
      { timeout: 20_000, intervals: [250, 500, 1_000] },
    )
    .toBe("READY");
  return token!;
}

type SeatMap = {
  tiers: { priceMinor: number; feeMinor: number }[];
  sections: { rows: { seats: [number, number, number, number, number, number][] }[] }[];
};

test.describe("pages under the CSP", () => {
  let showtimeId = "";

  test.beforeAll(async () => {
    const concert = await makeConcert({ title: "CSP E2E", showtimes: [{ inDays: 12 }] });
    showtimeId = concert.showtimes[0]!.id;
    await prisma().showtime.update({ where: { id: showtimeId }, data: { wrEnabled: false } });
  });

  test.afterAll(async () => {
    await prisma().$disconnect();
  });

  test("visitors' pages load and work without a CSP violation", async ({ browser, baseURL }) => {
    test.setTimeout(90_000);
    const context = await browser.newContext({ baseURL });
    const violations = await watchCsp(context);
    const page = await context.newPage();

    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await page.goto(`/concerts/${SEED.aurora.slug}`);
    await expect(page.getByRole("heading", { level: 1, name: SEED.aurora.title })).toBeVisible();
    await page.goto(`/search?q=${encodeURIComponent("Aurora")}`);
    await expect(page.getByRole("link", { name: SEED.aurora.title }).first()).toBeVisible();
    await page.goto("/api-docs");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    // A client-side navigation loads the next page's chunks through the nonce-trusted runtime.
    await page.getByRole("link", { name: "Sign in" }).first().click();
    await expect(page).toHaveURL(/\/sign-in/);

    // Signing in through the form: scripts run, the fetch to next-auth goes through, the page follows.
    await page.getByLabel("Email").fill(SEED.demoFan.email);
    await page.getByLabel("Password").fill(SEED.demoFan.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("navigation", { name: "Account" })).toContainText(SEED.demoFan.name, { timeout: 15_000 });

    expect(violations).toEqual([]);
    await context.close();
  });

  test("the live seat map, the waiting room, checkout, wallet, orders and tickets with QR codes work without a violation", async ({
    browser,
    baseURL,
  }) => {
    test.setTimeout(120_000);
    const { context, violations } = await fanContext(browser, baseURL);
    const page = await context.newPage();

    // Through the waiting room page to the seat map, which goes live over its SSE stream.
    await page.goto(`/showtimes/${showtimeId}/queue`);
    await expect(page).toHaveURL(new RegExp(`/showtimes/${showtimeId}\\?admitted=1$`), { timeout: 20_000 });
    await expect(page.getByTestId("seatmap")).toHaveAttribute("data-live", "on", { timeout: 15_000 });
    await expect(page.getByRole("application", { name: /Seat map of/ })).toBeVisible();

    // A purchase through the API, then the pages that show it.
    const request = context.request;
    const accessToken = await admit(request, showtimeId);
    const map = await trpcQuery<SeatMap>(request, "showtimes.seatMap", { showtimeId });
    const free = map.sections.flatMap((s) => s.rows.flatMap((r) => r.seats)).filter((s) => s[5] === 0);
    const seat = free[Math.floor(Math.random() * free.length)]!;
    const { holdId } = await trpcMutation<{ holdId: string }>(request, "holds.create", { showtimeId, accessToken, seatIds: [seat[0]] });
    await page.goto(`/checkout/${holdId}`);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    const tier = map.tiers[seat[4]]!;
    await trpcMutation(request, "wallet.topUp", {
      currency: "KRW",
      amountMinor: tier.priceMinor + tier.feeMinor,
      idempotencyKey: randomUUID(),
    });
    const { orderId } = await trpcMutation<{ orderId: string }>(request, "orders.checkout", {
      showtimeId,
      accessToken,
      holdId,
      idempotencyKey: randomUUID(),
    });

    await page.goto("/wallet");
    await expect(page.getByRole("heading", { level: 1, name: "Wallet" })).toBeVisible();
    await page.goto("/orders");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await page.goto(`/orders/${orderId}`);
    await expect(page.getByRole("img", { name: /^QR code for / })).toBeVisible();
    await page.goto("/tickets");
    await expect(page.getByRole("heading", { level: 1, name: "My tickets" })).toBeVisible();
    await expect(page.getByRole("img", { name: /^QR code for / }).first()).toBeVisible();

    expect(violations).toEqual([]);
    await context.close();
  });

  test("the admin dashboard, a venue's live canvas preview and a showtime's live view work without a violation", async ({
    browser,
    baseURL,
  }) => {
    test.setTimeout(90_000);
    const context = await browser.newContext({ baseURL });
    const violations = await watchCsp(context);
    await signInViaApi(context.request, SEED.admin);
    const page = await context.newPage();

    await page.goto("/admin");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await page.goto(`/admin/showtimes/${showtimeId}/live`);
    await expect(page.getByRole("heading", { level: 1, name: "CSP E2E" })).toBeVisible();
    await expect(page.getByText(/updated (just now|\d+ s ago)/)).toBeVisible({ timeout: 15_000 });
    await page.goto("/admin/venues/new");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await page.goto("/admin/audit");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();

    expect(violations).toEqual([]);
    await context.close();
  });
});

// ---------------------------------------------------------------------------------------------------------

/** Every file under `dir`, recursively (none when it does not exist). */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

/** What the browser can be served from the build: its static files, the public folder, prerendered pages. */
function clientServedFiles(): string[] {
  const prerendered = filesUnder(path.join(repoRoot, ".next", "server", "app")).filter((f) => /\.(html|rsc|body|meta)$/.test(f));
  return [...filesUnder(path.join(repoRoot, ".next", "static")), ...filesUnder(path.join(repoRoot, "public")), ...prerendered];
}

/**
 * The real secret values of this run: the app's fresh AUTH_SECRET and database. The build has them too when it
 * was made in this run (scripts/test.ts rebuilds whenever an input changed); a reused build is still covered
 * by the fixed needles below (the development secret, connection-string schemes, the variables' names).
 */
function secretValues(): Record<string, string> {
  const values: Record<string, string> = {};
  const { AUTH_SECRET, DATABASE_URL, REDIS_URL } = process.env;
  expect(AUTH_SECRET, "the e2e run sets AUTH_SECRET").toBeTruthy();
  values.AUTH_SECRET = AUTH_SECRET!;
  if (DATABASE_URL) {
    values.DATABASE_URL = DATABASE_URL;
    const url = new URL(DATABASE_URL);
    if (url.password) values["the database password"] = decodeURIComponent(url.password);
    values["the database name"] = url.pathname.slice(1);
  }
  if (REDIS_URL) {
    values.REDIS_URL = REDIS_URL;
    const url = new URL(REDIS_URL);
    if (url.password) values["the Redis password"] = decodeURIComponent(url.password);
  }
  return values;
}

/**
 * Server-only things that must never reach the browser, whatever the run's values: the variables' names, the
 * development secret, connection strings, and the server libraries (a client import of one would pull it in).
 */
const SERVER_ONLY = [
  "AUTH_SECRET",
  "NEXTAUTH_SECRET",
  "DATABASE_URL",
  "REDIS_URL",
  "REDIS_PREFIX",
  "onsale-development-secret",
  "postgresql://",
  "redis://",
  "@node-rs/argon2",
  "@prisma/client",
  "@prisma/adapter-pg",
  "prisma/generated",
  "ioredis",
  "bullmq",
  "BEGIN PRIVATE KEY",
];

test.describe("secrets", () => {
  test("no secret and nothing server-only is in the files the browser is served", () => {
    const files = clientServedFiles();
    expect(files.filter((f) => f.endsWith(".js")).length, "no built client scripts: was .next built?").toBeGreaterThan(10);
    const needles = { ...secretValues(), ...Object.fromEntries(SERVER_ONLY.map((s) => [s, s])) };
    const found: string[] = [];
    for (const file of files) {
      const text = fs.readFileSync(file, "latin1");
      for (const [what, needle] of Object.entries(needles)) {
        if (needle.length >= 4 && text.includes(needle)) found.push(`${what} in ${path.relative(repoRoot, file)}`);
      }
    }
    expect(found).toEqual([]);
  });

  test("no secret value is in what pages and APIs answer", async ({ signedInPage: page }) => {
    const values = secretValues();
    for (const url of [
      "/",
      `/concerts/${SEED.aurora.slug}`,
      "/api-docs",
      "/wallet",
      "/tickets",
      "/no-such-page",
      "/api/v1/openapi.json",
      "/api/health",
      "/api/auth/session",
    ]) {
      const res = await page.request.get(url);
      const body = await res.text();
      for (const [what, value] of Object.entries(values)) expect(body.includes(value), `${what} in ${url}`).toBe(false);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------

test("the production server refuses to start with the public development secret", async () => {
  test.setTimeout(90_000);
  const port = await freePort();
  // Two processes, as on a machine of two cores: each refuses, and the server stops instead of replacing them.
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", PORT: String(port), WEB_CONCURRENCY: "2" };
  delete env.AUTH_SECRET;
  delete env.NEXTAUTH_SECRET;
  const child = spawn(process.execPath, ["--import", "tsx", "server/http/main.ts", "--port", String(port), "--host", "127.0.0.1"], {
    cwd: repoRoot,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  try {
    const code = await Promise.race([exited, new Promise<"running">((r) => setTimeout(() => r("running"), 60_000))]);
    expect(code, `the web server kept running with the development secret:\n${output}`).not.toBe("running");
    expect(code).not.toBe(0);
    expect(output).toMatch(/AUTH_SECRET: must be set in production/);
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await exited;
    }
  }
});
