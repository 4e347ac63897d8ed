// next-auth options: email + password credentials, JWT sessions carrying the user id and role.
import type { NextAuthOptions } from "next-auth";
import { getServerSession } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { signInErrorCode, signInWithPassword } from "./domain/auth/sign-in.ts";
import { clientIpOf } from "./api/request.ts";
import { env } from "./env.ts";
import { sessionCookie } from "./session.ts";

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
