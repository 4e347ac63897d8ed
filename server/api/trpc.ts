// tRPC setup in three parts: context, initialisation (with the error formatter), procedure builders.
import { initTRPC, TRPCError } from "@trpc/server";
import { transformer } from "./transformer.ts";
import { ZodError, z } from "zod";
import { prisma, type Db } from "../db.ts";
import { AppError, ERROR_CODES, type ErrorCode } from "../domain/errors.ts";
import type { SessionUser } from "../domain/auth/users.ts";
import { assertAdmitted } from "../domain/waiting-room/gate.ts";
import type { RateClass } from "../domain/rate-limit/limits.ts";
import { rateLimits, takeRateLimit, type RateState, type Subject } from "../domain/rate-limit/rate-limit.ts";
import { log } from "../log.ts";
import { malformedInput } from "./well-formed.ts";
import { INTERNAL_MESSAGE, toAppError } from "./errors.ts";
import { ZId } from "../domain/ids.ts";

// 1. Context ------------------------------------------------------------------------------------
export type Context = {
  db: Db;
  user: SessionUser | null;
  requestId: string;
  ip: string;
  /** Which channel the call came through, recorded on holds: "web" (the pages) or "api" (REST). */
  client: "web" | "api";
  /** Filled by the rate limiter, read by the HTTP adapters for the X-RateLimit-* headers. */
  rate: { state?: RateState };
};

/** Per-procedure settings: which rate-limit class it counts against (default: "default"). */
export type Meta = { rateLimit?: RateClass };

/** Builds a context from plain values: route handlers and tests both come through here. */
export function createContext(input: Partial<Context> & { requestId?: string }): Context {
  return {
    db: input.db ?? prisma(),
    user: input.user ?? null,
    requestId: input.requestId ?? crypto.randomUUID(),
    ip: input.ip ?? "unknown",
    client: input.client ?? "web",
    rate: {},
  };
}

// 2. Initialisation ------------------------------------------------------------------------------
export type AppErrorData = { appCode: ErrorCode; details?: Record<string, unknown>; requestId: string };

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer,
    isDev: process.env.NODE_ENV === "development",
    // Live streams (seat map, waiting room) send a comment every 10 s; a client that hears nothing for 25 s
    // (a proxy dropped the connection silently) reconnects and is told to re-read what it shows.
    sse: { ping: { enabled: true, intervalMs: 10_000 }, client: { reconnectAfterInactivityMs: 25_000 } },
    errorFormatter({ shape, error, ctx }) {
      const appError = toAppError(error);
      const data = {
        ...shape.data,
        appCode: appError?.code ?? "INTERNAL",
        details: appError?.details,
        requestId: ctx?.requestId ?? "unknown",
      };
      // The stack never leaves the server, whatever the environment.
      delete (data as { stack?: string }).stack;
      return { ...shape, message: appError?.message ?? INTERNAL_MESSAGE, data };
    },
  });

export const createCallerFactory = t.createCallerFactory;
export const createTRPCRouter = t.router;

// 3. Procedures ----------------------------------------------------------------------------------
/** Domain errors become tRPC errors here, once; unexpected ones are logged with the request id. */
const errorBoundary = t.middleware(async ({ ctx, next, path, type }) => {
  const result = await next();
  if (!result.ok) {
    const appError = toAppError(result.error);
    const cause = result.error.cause;
    if (!appError) {
      log.error({ err: cause ?? result.error, path, type, requestId: ctx.requestId }, "procedure failed");
    } else if (!(cause instanceof ZodError)) {
      throw new TRPCError({ code: ERROR_CODES[appError.code].trpc, message: appError.message, cause: appError });
    } else if (result.error.code === "INTERNAL_SERVER_ERROR") {
      // A domain function's own parse refused the input: the caller's mistake, BAD_REQUEST as when the
      // procedure's schema refuses it (which tRPC answers itself, with zod's messages).
      throw new TRPCError({ code: "BAD_REQUEST", message: appError.message, cause });
    }
  }
  return result;
});

/**
 * Counts every query and mutation against its class's limits, per user and per IP, before it runs: over
 * the limit, RATE_LIMITED and nothing done. Streams are not counted (one per open page). Calls made in
 * the server itself (tests, server components) have no IP and count per user only.
 */
const rateLimited = t.middleware(async ({ ctx, meta, type, next }) => {
  const limits = rateLimits();
  if (type === "subscription" || limits === "off") return next();
  const cls = meta?.rateLimit ?? "default";
  const subjects: Subject[] = [];
  if (ctx.user) subjects.push({ kind: "user", id: ctx.user.id, limit: limits[cls].perUser });
  if (ctx.ip !== "unknown") subjects.push({ kind: "ip", id: ctx.ip, limit: limits[cls].perIp });
  if (subjects.length > 0) ctx.rate.state = await takeRateLimit(cls, subjects);
  return next();
});

/** NUL, broken UTF-16 or a "__proto__" key anywhere in an input is refused before any parser sees it (well-formed.ts). */
const wellFormed = t.middleware(async ({ getRawInput, next }) => {
  const problem = malformedInput(await getRawInput());
  if (problem) throw new AppError("VALIDATION_FAILED", problem);
  return next();
});

export const publicProcedure = t.procedure.use(errorBoundary).use(rateLimited).use(wellFormed);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
  return next({ ctx: { ...ctx, user: ctx.user } });
});

export const adminProcedure = authedProcedure.use(async ({ ctx, next }) => {
  // The role is read from the database, not the session token, so a demoted admin loses access at once.
  const current = await ctx.db.user.findUnique({ where: { id: ctx.user.id }, select: { role: true } });
  if (current?.role !== "ADMIN") throw new AppError("FORBIDDEN", "This needs an administrator account.");
  return next({ ctx });
});

/**
 * Behind the waiting room: the caller must hold a valid access token for `showtimeId` and still be an
 * active shopper there (DESIGN.md, Waiting room → gate). tRPC runs every `.input()` parser on the whole
 * raw input, so the gate reads its two keys loosely and each procedure built on it declares its whole
 * input strictly, as `ZAdmittedInput.extend(...)`: an unknown key is refused, never dropped.
 */
export const ZAdmittedInput = z.strictObject({
  showtimeId: ZId,
  accessToken: z.string().max(2048).optional(),
});

export const admittedProcedure = authedProcedure.input(ZAdmittedInput.loose()).use(async ({ ctx, input, next }) => {
  const { accessExpiresAt, idleMs } = await assertAdmitted({
    accessToken: input.accessToken,
    userId: ctx.user.id,
    showtimeId: input.showtimeId,
  });
  return next({ ctx: { ...ctx, accessExpiresAt, idleMs } });
});
