// A failed tRPC call, read in the browser: the server's error code, message and details (server/api/trpc.ts).
import { TRPCClientError } from "@trpc/client";
import type { AppRouter } from "@/server/api/root";
import type { ErrorCode } from "@/server/domain/errors";

export type ClientAppError = {
  /** The domain code, or NETWORK when no answer came back at all. */
  code: ErrorCode | "NETWORK";
  message: string;
  details?: Record<string, unknown>;
};

export function appErrorOf(error: unknown): ClientAppError {
  if (error instanceof TRPCClientError) {
    const e = error as TRPCClientError<AppRouter>;
    if (e.data?.appCode) return { code: e.data.appCode, message: e.message, details: e.data.details };
  }
  return { code: "NETWORK", message: "We couldn’t reach Onsale. Check your connection and try again." };
}
