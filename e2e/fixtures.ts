// Shared Playwright fixtures: fresh accounts made through the API, and pages already signed in, so a spec
// tests its own page rather than the sign-up form again.
import { randomUUID } from "node:crypto";
import { expect, test as base, type APIRequestContext, type Page } from "@playwright/test";

export type TestUser = { name: string; email: string; password: string };

/** A unique account that passes the password rules (and never contains its email's name). */
export function makeUser(label = "fan"): TestUser {
  const id = randomUUID().slice(0, 8);
  return { name: `E2E ${label} ${id}`, email: `e2e-${label}-${id}@onsale.test`, password: `Encore-${id}-2026!` };
}

/** POST /api/trpc/auth.signUp, a tRPC mutation over HTTP with the superjson envelope. */
export async function signUpViaApi(request: APIRequestContext, user: TestUser): Promise<void> {
  const res = await request.post("/api/trpc/auth.signUp", { data: { json: user } });
  expect(res.ok(), `sign-up failed: ${res.status()} ${await res.text()}`).toBe(true);
}

/** Signs in through next-auth's credentials endpoint; the session cookie lands in the request's context. */
export async function signInViaApi(request: APIRequestContext, user: Pick<TestUser, "email" | "password">): Promise<void> {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email: user.email, password: user.password, json: "true", callbackUrl: "/" },
  });
  expect(res.ok(), `sign-in failed: ${res.status()}`).toBe(true);
  const session = (await (await request.get("/api/auth/session")).json()) as { user?: { email?: string } };
  expect(session.user?.email, "no session after signing in").toBe(user.email.toLowerCase());
}

/** GET /api/trpc/<path>: a tRPC query over HTTP with the superjson envelope; returns the (JSON) data. */
export async function trpcQuery<T>(request: APIRequestContext, path: string, input: unknown): Promise<T> {
  const res = await request.get(`/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`);
  expect(res.ok(), `${path} failed: ${res.status()} ${await res.text()}`).toBe(true);
  return ((await res.json()) as { result: { data: { json: T } } }).result.data.json;
}

/** POST /api/trpc/<path>: a tRPC mutation over HTTP with the superjson envelope; returns the (JSON) data. */
export async function trpcMutation<T>(request: APIRequestContext, path: string, input: unknown): Promise<T> {
  const res = await request.post(`/api/trpc/${path}`, { data: { json: input } });
  expect(res.ok(), `${path} failed: ${res.status()} ${await res.text()}`).toBe(true);
  return ((await res.json()) as { result: { data: { json: T } } }).result.data.json;
}

type Fixtures = {
  /** A fresh account (not signed in). */
  user: TestUser;
  /** `page`, signed in as `user`. */
  signedInPage: Page;
};

// The callback is named `provide`, not Playwright's usual `use`, so React's hook lint rule leaves it alone.
export const test = base.extend<Fixtures>({
  user: async ({ request }, provide) => {
    const user = makeUser();
    await signUpViaApi(request, user);
    await provide(user);
  },
  signedInPage: async ({ page, user }, provide) => {
    // page.request shares the browser context's cookies, so the page is signed in too.
    await signInViaApi(page.request, user);
    await provide(page);
  },
});

export { expect };

/** Facts the seed guarantees (prisma/seed.ts). */
export const SEED = {
  demoFan: { email: "fan1@onsale.test", password: "onsale-fan-2026", name: "Mina Park" },
  admin: { email: "admin@onsale.test", password: "backstage-pass-2026" },
  aurora: { slug: "aurora-skies-world-tour", title: "Aurora Skies World Tour", artist: "Aurora Skies" },
  velvet: { slug: "the-velvet-echoes-reunion", title: "The Velvet Echoes Reunion" },
  jazz: { slug: "midnight-jazz-collective", title: "Midnight Jazz Collective" },
  /** One showtime on sale (Rolling Hall) and one upcoming (Dream Theatre); only waiting-room.spec.ts uses it. */
  indie: { slug: "indie-garden-sessions", title: "Indie Garden Sessions" },
  concertCount: 7,
  cities: ["Busan", "New York", "Seoul"],
} as const;
