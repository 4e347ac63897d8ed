// Benchmark fans: accounts inserted straight into the database, signed in by minting their session cookie.
import { randomBytes } from "node:crypto";
import { encode } from "next-auth/jwt";
import type pg from "pg";

export type Fan = { id: string; email: string; name: string; cookie: string };

/** next-auth's cookie name when NEXTAUTH_URL is http:// (https:// adds the `__Secure-` prefix). */
export const SESSION_COOKIE = "next-auth.session-token";

/**
 * The cookie next-auth would set after a sign-in: its JWE with the same payload the app's jwt callback
 * builds (sub and role), encrypted with the app's AUTH_SECRET.
 */
export async function sessionCookie(
  user: { id: string; email: string; name: string; role: "USER" | "ADMIN" },
  secret: string,
): Promise<string> {
  const token = await encode({
    token: { sub: user.id, email: user.email, name: user.name, role: user.role },
    secret,
    maxAge: 2 * 60 * 60,
  });
  return `${SESSION_COOKIE}=${token}`;
}

/**
 * Inserts `count` USER accounts in one statement. Their password hash is not a hash, so nobody can sign
 * in as them; the minted cookie is their only way in.
 */
export async function createFans(client: pg.Client, count: number, secret: string): Promise<Fan[]> {
  const run = randomBytes(3).toString("hex");
  const ids = Array.from({ length: count }, (_, i) => `benchfan${run}${String(i + 1).padStart(6, "0")}`);
  const { rows } = await client.query<{ id: string; email: string; name: string }>(
    `INSERT INTO "User" (id, email, name, "passwordHash", role, "createdAt", "updatedAt")
     SELECT id, 'bench-' || id || '@onsale.test', 'Bench Fan ' || n, 'bench-no-password', 'USER', now(), now()
     FROM unnest($1::text[]) WITH ORDINALITY AS t(id, n)
     RETURNING id, email, name`,
    [ids],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return Promise.all(
    ids.map(async (id) => {
      const row = byId.get(id);
      if (!row) throw new Error(`fan ${id} was not inserted`);
      return { ...row, cookie: await sessionCookie({ ...row, role: "USER" }, secret) };
    }),
  );
}
