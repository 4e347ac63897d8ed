// Thrown errors → the one error vocabulary (../domain/errors.ts), in one place for every adapter: the
// tRPC procedures and error formatter, the REST API and the seat files.
import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { AppError, ERROR_CODES, fieldErrorsOf, unavailableError, type ErrorCode } from "../domain/errors.ts";

export const INTERNAL_MESSAGE = "Something went wrong on our side. Please try again.";

/**
 * The error as the client should see it: a domain error as thrown; an outage (database, Redis, overload)
 * as UNAVAILABLE; refused input (a zod parse, in a procedure or a domain function) as VALIDATION_FAILED
 * with its field errors; a tRPC error of its own (no such procedure, a malformed request) by its code.
 * Undefined for anything else: a bug, which the adapter logs and answers as INTERNAL, never in detail.
 */
export function toAppError(err: unknown): AppError | undefined {
  const cause = err instanceof TRPCError && err.cause ? err.cause : err;
  if (cause instanceof AppError) return cause;
  const outage = unavailableError(cause);
  if (outage) return outage;
  if (cause instanceof ZodError)
    return new AppError("VALIDATION_FAILED", "Some fields need attention.", { fieldErrors: fieldErrorsOf(cause.issues) });
  if (err instanceof TRPCError && err.code !== "INTERNAL_SERVER_ERROR") return new AppError(appCodeOf(err.code), err.message);
  return undefined;
}

function appCodeOf(code: TRPCError["code"]): ErrorCode {
  const match = (Object.keys(ERROR_CODES) as ErrorCode[]).find((c) => ERROR_CODES[c].trpc === code);
  return match ?? "BAD_REQUEST";
}
