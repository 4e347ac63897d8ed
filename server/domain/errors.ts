// The one error vocabulary. Domain code throws AppError; only adapters turn it into tRPC or HTTP errors.

export const ERROR_CODES = {
  BAD_REQUEST: { status: 400, trpc: "BAD_REQUEST" },
  VALIDATION_FAILED: { status: 422, trpc: "UNPROCESSABLE_CONTENT" },
  UNAUTHENTICATED: { status: 401, trpc: "UNAUTHORIZED" },
  FORBIDDEN: { status: 403, trpc: "FORBIDDEN" },
  NOT_ADMITTED: { status: 403, trpc: "FORBIDDEN" },
  NOT_FOUND: { status: 404, trpc: "NOT_FOUND" },
  EMAIL_TAKEN: { status: 409, trpc: "CONFLICT" },
  SEATS_UNAVAILABLE: { status: 409, trpc: "CONFLICT" },
  CONFLICT: { status: 409, trpc: "CONFLICT" },
  NOT_ON_SALE: { status: 409, trpc: "CONFLICT" },
  HOLD_EXPIRED: { status: 410, trpc: "NOT_FOUND" },
  INSUFFICIENT_FUNDS: { status: 402, trpc: "PAYMENT_REQUIRED" },
  LIMIT_EXCEEDED: { status: 422, trpc: "UNPROCESSABLE_CONTENT" },
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
export function overloadError(error: unknown): AppError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== "P2024" && code !== "P2028") return undefined;
  return new AppError("UNAVAILABLE", "Onsale is very busy right now and could not finish this in time; nothing was changed. Please try again in a moment.");
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
