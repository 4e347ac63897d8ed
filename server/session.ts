// The session cookie and the signed-in user of an API request. Plain Node (no bundler interop), so the
// web server's API path, the route handlers and the tests all load the same code.
import { getToken } from "next-auth/jwt";
import type { SessionUser } from "./domain/auth/users.ts";
import { env } from "./env.ts";

/**
 * The session cookie, stated here rather than left to next-auth's defaults: always HttpOnly (no script
 * reads it) and SameSite=Lax (not sent on cross-site POSTs); Secure with the __Secure- prefix whenever the
 * app is served over https, as NEXTAUTH_URL says. getToken (sessionUserOf) must look for the same name, so
 * both read this. The other next-auth cookies follow `useSecureCookies` the same way.
 */
export function sessionCookie(appUrl = process.env.NEXTAUTH_URL) {
  const secure = (appUrl ?? "").startsWith("https://");
  return {
    name: `${secure ? "__Secure-" : ""}next-auth.session-token`,
    options: { httpOnly: true, sameSite: "lax" as const, path: "/", secure },
  };
}

const SESSION_COOKIE = sessionCookie();

/**
 * The signed-in user of an API request, from the session cookie (or a Bearer session token). It only
 * decrypts the token: unlike getServerSession it does not re-issue the cookie on every call, which on a
 * hot endpoint like the waiting room's status was a tenth of the web process's work.
 */
export async function sessionUserOf(req: Request): Promise<SessionUser | null> {
  const token = await getToken({
    // getToken finds cookies only on Next's requests (`req.cookies`): a plain Request gets them from its header.
    req: { headers: req.headers, cookies: sessionCookiesOf(req.headers.get("cookie")) } as unknown as Parameters<typeof getToken>[0]["req"],
    secret: env().AUTH_SECRET,
    cookieName: SESSION_COOKIE.name,
    secureCookie: SESSION_COOKIE.options.secure,
  });
  if (!token?.sub || !token.email || !token.role) return null;
  return { id: token.sub, email: token.email, name: token.name ?? "", role: token.role };
}

/** The session cookie (and its chunks `name.0`, `name.1`, … when next-auth split a large one) from a Cookie header. */
function sessionCookiesOf(header: string | null): Map<string, string> {
  const found = new Map<string, string>();
  if (!header) return found;
  for (const pair of header.split(";")) {
    const eq = pair.indexOf("=");
    const name = pair.slice(0, eq).trim();
    if (eq > 0 && name.startsWith(SESSION_COOKIE.name)) found.set(name, pair.slice(eq + 1).trim());
  }
  return found;
}
