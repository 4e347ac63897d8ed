// The one error vocabulary. Domain code throws AppError; only adapters turn it into tRPC or HTTP errors.

export const ERROR_CODES = {
  BAD_REQUEST: { status: 400, trpc: "BAD_REQUEST" },
  VALIDATION_FAILED: { status: 422, trpc: "UNPROCESSABLE_CONTENT" },
  UNAUTHENTICATED: { status: 401, trpc: "UNAUTHORIZED" },
  FORBIDDEN: { status: 403, trpc: "FORBIDDEN" },
  NOT_ADMITTED: { status: 403, trpc: "FORBIDDEN" },
  PRESALE_ONLY: { status: 403, trpc: "FORBIDDEN" },
  NOT_FOUND: { status: 404, trpc: "NOT_FOUND" },
  EMAIL_TAKEN: { status: 409, trpc: "CONFLICT" },
  SEATS_UNAVAILABLE: { status: 409, trpc: "CONFLICT" },
  CONFLICT: { status: 409, trpc: "CONFLICT" },
  NOT_ON_SALE: { status: 409, trpc: "CONFLICT" },
  HOLD_EXPIRED: { status: 410, trpc: "NOT_FOUND" },
  INSUFFICIENT_FUNDS: { status: 402, trpc: "PAYMENT_REQUIRED" },
  LIMIT_EXCEEDED: { status: 422, trpc: "UNPROCESSABLE_CONTENT" },
  PRESALE_CODE_INVALID: { status: 422, trpc: "UNPROCESSABLE_CONTENT" },
  RATE_LIMITED: { status: 429, trpc: "TOO_MANY_REQUESTS" },
  QUEUE_FULL: { status: 503, trpc: "SERVICE_UNAVAILABLE" },
  UNAVAILABLE: { status: 503, trpc: "SERVICE_UNAVAILABLE" },
  INTERNAL: { status: 500, trpc: "INTERNAL_SERVER_ERROR" },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/**
 * Overload, not a bug: no pooled database connection within the wait (Prisma P2024), or a transaction
 * that could not start or finish in its time (P2028) and was rolled back. Answered as UNAVAILABLE (503),
 * so a client knows nothing changed and that trying again later is right.
 */
const OVERLOAD_CODES = new Set(["P2024", "P2028"]);
/** Prisma's codes for a database it cannot reach or that closed the connection. */
const DB_GONE_CODES = new Set(["P1001", "P1002", "P1008", "P1017"]);
/** PostgreSQL SQLSTATEs for a backend that was terminated, or a server shutting down or starting up. */
const DB_GONE_SQLSTATES = /^(57P0[1-4]|08\d{3})$/;
/** Node's and ioredis's words for a connection that is refused, reset, closed, or out of retries. */
const CONNECTION_LOST =
  /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|Connection terminated|terminating connection|Connection is closed|max retries per request|Stream isn't writeable|LOADING Redis is loading|connection (?:was )?closed|server closed the connection|not queryable/i;

export type Unavailable = "overload" | "database" | "redis";

/** Which kind of outage an error is, walking its `cause` chain; undefined for everything else. */
export function outageOf(error: unknown): Unavailable | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, name, message, meta } = e as { code?: unknown; name?: unknown; message?: unknown; meta?: unknown };
    if (typeof code === "string" && OVERLOAD_CODES.has(code)) return "overload";
    if (typeof code === "string" && (DB_GONE_CODES.has(code) || DB_GONE_SQLSTATES.test(code))) return "database";
    const sqlState = (meta as { driverAdapterError?: { cause?: { originalCode?: unknown } } } | undefined)?.driverAdapterError?.cause
      ?.originalCode;
    if (typeof sqlState === "string" && DB_GONE_SQLSTATES.test(sqlState)) return "database";
    if (name === "MaxRetriesPerRequestError") return "redis";
    if (typeof message === "string" && CONNECTION_LOST.test(message)) {
      return /redis|max retries per request|Stream isn't writeable|Connection is closed/i.test(`${String(name)} ${message}`)
        ? "redis"
        : "database";
    }
  }
  return undefined;
}

const UNAVAILABLE_MESSAGES: Record<Unavailable, string> = {
  overload: "Onsale is very busy right now and could not finish this in time; nothing was changed. Please try again in a moment.",
  database: "Onsale lost its connection to the database while doing this; nothing was changed. Please try again in a moment.",
  redis: "Onsale cannot reach its queue and session store right now; nothing was changed. Please try again in a moment.",
};

/**
 * Overload or an outage, not a bug: the database pool or a transaction ran out of time (rolled back), the
 * database connection was lost (the transaction rolled back with it), or Redis is unreachable. Answered
 * as UNAVAILABLE (503) with `details.reason`, so a client knows nothing changed and that trying again
 * later is right.
 */
export function unavailableError(error: unknown): AppError | undefined {
  const reason = outageOf(error);
  return reason ? new AppError("UNAVAILABLE", UNAVAILABLE_MESSAGES[reason], { reason }) : undefined;
}

/**
 * Input problems by field, for forms: `{ "amountMinor": ["…"], "settings.batchSize": ["…"] }`. Nested
 * fields are named by their dotted path, so a form can put each message beside its own input.
 */
export function fieldErrorsOf(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join(".") || "_form";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}
