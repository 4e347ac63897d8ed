// Server-side helpers for tRPC caller errors in pages.
import { TRPCError } from "@trpc/server";

/** True when a caller error means "no such thing": unknown ids, or ids that cannot exist (bad format). */
export function isMissing(error: unknown): boolean {
  return error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST");
}
