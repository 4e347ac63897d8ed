// Signing in with a password, slowed for guessers: every attempt (the browser's sign-in and the REST
// API's token) is counted against the address it comes from and the account it names, and refused over
// the limit (RATE_LIMITED) before the password is checked; a correct password gives its count back, so
// only failures add up and a fan who signs in often is never held up.
import { log } from "../../log.ts";
import { AppError, outageOf } from "../errors.ts";
import { giveBackRateLimit, rateLimits, takeRateLimit, type Subject } from "../rate-limit/rate-limit.ts";
import { verifyCredentials, type SessionUser } from "./users.ts";

export async function signInWithPassword(input: { email: string; password: string }, ip: string): Promise<SessionUser | null> {
  const limits = rateLimits();
  const subjects: Subject[] = [];
  if (limits !== "off") {
    subjects.push({ kind: "user", id: `email:${input.email.trim().toLowerCase().slice(0, 254)}`, limit: limits.signIn.perUser });
    if (ip !== "unknown") subjects.push({ kind: "ip", id: ip, limit: limits.signIn.perIp });
    await takeRateLimit("signIn", subjects);
  }
  const user = await verifyCredentials(input);
  if (user && subjects.length > 0) {
    // Signed in either way: a count not given back only runs out with its minute.
    await giveBackRateLimit("signIn", subjects).catch((err: unknown) => log.warn({ err: String(err) }, "sign-in count not given back"));
  }
  return user;
}

/**
 * What the sign-in page is told when an attempt fails for a reason other than a wrong password: next-auth
 * puts the message of an error thrown by `authorize` in the page's `?error=`, so a code, never details:
 * `RATE_LIMITED:<seconds to wait>`, `UNAVAILABLE`, or `SIGN_IN_FAILED`.
 */
export function signInErrorCode(err: unknown): string {
  if (err instanceof AppError && err.code === "RATE_LIMITED")
    return `RATE_LIMITED:${(err.details as { retryAfterSeconds: number }).retryAfterSeconds}`;
  if (outageOf(err)) return "UNAVAILABLE";
  log.error({ err }, "sign-in failed");
  return "SIGN_IN_FAILED";
}
