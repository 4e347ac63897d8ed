// next-auth options: email + password credentials, JWT sessions carrying the user id and role.
import type { NextAuthOptions } from "next-auth";
import { getServerSession } from "next-auth";
import { getToken } from "next-auth/jwt";
import CredentialsProvider from "next-auth/providers/credentials";
import { signInErrorCode, signInWithPassword } from "./domain/auth/sign-in.ts";
import type { SessionUser } from "./domain/auth/users.ts";
import { clientIpOf } from "./api/request.ts";
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

export const authOptions: NextAuthOptions = {
  secret: env().AUTH_SECRET,
  session: { strategy: "jwt", maxAge: 7 * 24 * 60 * 60 },
  useSecureCookies: SESSION_COOKIE.options.secure,
  cookies: { sessionToken: SESSION_COOKIE },
  pages: { signIn: "/sign-in" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      authorize: async (credentials, req) => {
        const headers = new Headers(Object.entries(req?.headers ?? {}).filter((h): h is [string, string] => typeof h[1] === "string"));
        try {
          return await signInWithPassword({ email: credentials?.email ?? "", password: credentials?.password ?? "" }, clientIpOf(headers));
        } catch (err) {
          throw new Error(signInErrorCode(err));
        }
      },
    }),
  ],
  callbacks: {
    jwt: ({ token, user }) => {
      if (user) {
        token.sub = user.id;
        token.role = user.role;
      }
      return token;
    },
    session: ({ session, token }) => {
      if (session.user && token.sub) {
        session.user.id = token.sub;
        session.user.role = token.role;
      }
      return session;
    },
  },
};

export const getSession = () => getServerSession(authOptions);

/**
 * The signed-in user of an API request, from the session cookie (or a Bearer session token). It only
 * decrypts the token: unlike getServerSession it does not re-issue the cookie on every call, which on a
 * hot endpoint like the waiting room's status was a tenth of the web process's work.
 */
export async function sessionUserOf(req: Request): Promise<SessionUser | null> {
  const token = await getToken({
    req: req as Parameters<typeof getToken>[0]["req"],
    secret: env().AUTH_SECRET,
    cookieName: SESSION_COOKIE.name,
    secureCookie: SESSION_COOKIE.options.secure,
  });
  if (!token?.sub || !token.email || !token.role) return null;
  return { id: token.sub, email: token.email, name: token.name ?? "", role: token.role };
}
