// Attack: password guessing. Sign-in attempts (the browser's next-auth sign-in and the REST API's token
// share `signInWithPassword`) are counted per account and per address, atomically, before the password
// is checked: hundreds of parallel guesses get exactly the limit checked and the rest 429 with
// Retry-After; a correct password gives its count back, so fans who sign in are never held up. The
// browser's side (the form's message) is in e2e/auth.spec.ts.
import { describe, expect, it } from "vitest";
import { handleTokenRequest } from "../../server/api/rest/token.ts";
import { hashPassword } from "../../server/domain/auth/passwords.ts";
import { signInErrorCode, signInWithPassword } from "../../server/domain/auth/sign-in.ts";
import { DEFAULT_LIMITS } from "../../server/domain/rate-limit/limits.ts";
import { rateLimits } from "../../server/domain/rate-limit/rate-limit.ts";
import { prisma } from "../../server/db.ts";
import { makeUser, uniq } from "../support/factories.ts";

const { perUser: PER_ACCOUNT, perIp: PER_ADDRESS } = DEFAULT_LIMITS.signIn;

let addresses = 0;
/** A documentation address of its own per call, so only the account's count can bind. */
const freshIp = () => {
  addresses += 1;
  return `198.51.${Math.floor(addresses / 250) % 250}.${(addresses % 250) + 1}`;
};

const token = (email: string, password: string, ip: string) =>
  handleTokenRequest(
    new Request("http://localhost/api/v1/auth/token", {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": ip },
      body: JSON.stringify({ email, password }),
    }),
  );

const statuses = (responses: Response[]) =>
  responses.reduce<Record<number, number>>((n, r) => ({ ...n, [r.status]: (n[r.status] ?? 0) + 1 }), {});

describe("password guessing", () => {
  it("runs on the default sign-in limits", () => {
    const limits = rateLimits();
    expect(limits !== "off" && limits.signIn).toEqual(DEFAULT_LIMITS.signIn);
  });

  it(`one account, 200 parallel wrong guesses from 200 addresses: exactly ${PER_ACCOUNT} are checked, the rest 429; then the right password waits too, other accounts do not`, async () => {
    const victim = await makeUser();
    const guesses = await Promise.all(Array.from({ length: 200 }, (_, i) => token(victim.email, `guess-${i}-wrong`, freshIp())));
    expect(statuses(guesses)).toEqual({ 401: PER_ACCOUNT, 429: 200 - PER_ACCOUNT });
    const refused = guesses.find((r) => r.status === 429)!;
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get("X-RateLimit-Limit")).toBe(String(PER_ACCOUNT));
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("RATE_LIMITED");

    // The account's email in any case is the same account.
    expect((await token(victim.email.toUpperCase(), victim.password, freshIp())).status).toBe(429);
    const other = await makeUser();
    expect((await token(other.email, other.password, freshIp())).status).toBe(201);
  });

  it(`one address, 300 parallel wrong guesses over 300 accounts: exactly ${PER_ADDRESS} are checked, the rest 429; other addresses sign in`, async () => {
    const ip = freshIp();
    const guesses = await Promise.all(
      Array.from({ length: 300 }, (_, i) => token(`${uniq(`nobody${i}`)}@example.test`, "guess-wrong-1", ip)),
    );
    expect(statuses(guesses)).toEqual({ 401: PER_ADDRESS, 429: 300 - PER_ADDRESS });
    const fan = await makeUser();
    expect((await token(fan.email, fan.password, ip)).status).toBe(429);
    expect((await token(fan.email, fan.password, freshIp())).status).toBe(201);
  });

  it("a correct password is given back: 40 fans behind one address sign in at once, then a fan signs in 30 times; the address still has every failure left", async () => {
    const ip = freshIp();
    const passwordHash = await hashPassword("right-password-42");
    const tag = uniq("nat");
    const fans = Array.from({ length: 40 }, (_, i) => ({
      id: `${tag}-${i}`,
      email: `${tag}-${i}@example.test`,
      name: `Fan ${i}`,
      passwordHash,
    }));
    await prisma().user.createMany({ data: fans });
    const signedIn = await Promise.all(fans.map((f) => signInWithPassword({ email: f.email, password: "right-password-42" }, ip)));
    expect(signedIn.map((u) => u?.id)).toEqual(fans.map((f) => f.id));
    for (let i = 0; i < 3 * PER_ACCOUNT; i++) {
      expect(await signInWithPassword({ email: fans[0]!.email, password: "right-password-42" }, ip)).not.toBeNull();
    }
    const guesses = await Promise.all(
      Array.from({ length: PER_ADDRESS + 1 }, (_, i) =>
        signInWithPassword({ email: fans[i % 40]!.email, password: `wrong-${i}` }, ip).then(() => "checked", signInErrorCode),
      ),
    );
    // PER_ADDRESS + 1 guesses over 40 accounts: the address's count binds before any account's (at most 3 each).
    expect(guesses.filter((g) => g === "checked")).toHaveLength(PER_ADDRESS);
    expect(guesses.filter((g) => g !== "checked")).toEqual([expect.stringMatching(/^RATE_LIMITED:\d+$/)]);
  });
});
