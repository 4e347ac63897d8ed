// Server-side access to admin procedures for the dashboard's pages. Every admin procedure re-reads the
// caller's role from the database; this turns its refusals into the right page: signed out → sign in and
// come back, signed in without the ADMIN role → the 403 page (app/forbidden.tsx).
import "server-only";
import { TRPCError } from "@trpc/server";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { serverApi } from "@/server/api/server";
import { getSession } from "@/server/auth";

export type AdminApi = Awaited<ReturnType<typeof serverApi>>;

function signInHref(returnTo: string): string {
  return `/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`;
}

/** Runs `read` with the request's caller; a refusal for lack of a session or role becomes a redirect or 403. */
export async function loadAdmin<T>(returnTo: string, read: (api: AdminApi) => Promise<T>): Promise<T> {
  try {
    return await read(await serverApi());
  } catch (error) {
    if (error instanceof TRPCError && error.code === "UNAUTHORIZED") redirect(signInHref(returnTo));
    if (error instanceof TRPCError && error.code === "FORBIDDEN") forbidden();
    throw error;
  }
}

/**
 * The layout's gate. The session says who is signed in; the role comes from the database through an admin
 * procedure (admin.whoami, which reads nothing else), so a demoted admin is refused at once.
 */
export const requireAdmin = cache(async (returnTo: string): Promise<void> => {
  if (!(await getSession())) redirect(signInHref(returnTo));
  await loadAdmin(returnTo, (api) => api.admin.whoami());
});
