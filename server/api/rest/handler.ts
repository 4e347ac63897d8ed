// The REST adapter: matches /api/v1 paths to procedures (routes.ts), builds the procedure's input from
// path, query or JSON body (and the X-Access-Token header), calls it through a tRPC caller, and answers
// in the REST conventions: 201/204, one error format, X-RateLimit-* headers.
import { z, type ZodType } from "zod";
import type { SessionUser } from "../../domain/auth/users.ts";
import { AppError, ERROR_CODES, type ErrorCode } from "../../domain/errors.ts";
import { log } from "../../log.ts";
import { clientIpOf, crossSiteRefusal, jsonResponse, rateLimitHeaders, requestIdOf } from "../request.ts";
import { appRouter, createCaller } from "../root.ts";
import { createContext, type Context } from "../trpc.ts";
import { compilePath, REST_ROUTES, type RestRoute } from "./routes.ts";
import { INTERNAL_MESSAGE, toAppError } from "../errors.ts";

export const REST_BASE = "/api/v1";

/** No REST input comes near this; a larger body is refused before it is parsed. */
const MAX_BODY_BYTES = 1024 * 1024;
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** The same error body under a more precise status (405, 413, 415). */
const withStatus = (status: number, res: Response) => new Response(res.body, { status, headers: res.headers });

const compiled = REST_ROUTES.map((route) => ({ route, match: compilePath(route.path) }));

type ProcedureDef = { _def: { inputs: ZodType[]; type: "query" | "mutation" | "subscription" } };

export function procedureOf(path: string): ProcedureDef {
  const procedure = (appRouter._def.procedures as unknown as Record<string, ProcedureDef | undefined>)[path];
  if (!procedure) throw new Error(`REST route names an unknown procedure: ${path}`);
  return procedure;
}

type JsonSchema = { type?: string | string[]; properties?: Record<string, JsonSchema>; anyOf?: JsonSchema[] };

type InputSchema = { properties: Record<string, JsonSchema>; required: string[] } | null;
const inputSchemas = new Map<string, InputSchema>();

/** The JSON Schema of a procedure's input: its parsers merged (gated procedures add showtimeId/accessToken). */
export function inputSchemaOf(path: string): InputSchema {
  // Computed once per procedure: the schemas never change while the process runs.
  if (!inputSchemas.has(path)) inputSchemas.set(path, buildInputSchema(path));
  return inputSchemas.get(path)!;
}

function buildInputSchema(path: string): InputSchema {
  const inputs = procedureOf(path)._def.inputs;
  if (inputs.length === 0) return null;
  const properties: Record<string, JsonSchema> = {};
  const required = new Set<string>();
  for (const input of inputs) {
    const schema = z.toJSONSchema(input, { io: "input", unrepresentable: "any" }) as {
      properties?: Record<string, JsonSchema>;
      required?: string[];
    };
    Object.assign(properties, schema.properties ?? {});
    for (const r of schema.required ?? []) required.add(r);
  }
  return { properties, required: [...required] };
}

const typesOf = (s: JsonSchema | undefined): string[] =>
  !s ? [] : s.anyOf ? s.anyOf.flatMap(typesOf) : Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];

/** Query strings are text: numbers and booleans the schema expects are converted, the rest kept. */
function coerceQuery(params: URLSearchParams, schema: ReturnType<typeof inputSchemaOf>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of params) {
    const types = typesOf(schema?.properties[name]);
    if ((types.includes("integer") || types.includes("number")) && value.trim() !== "" && Number.isFinite(Number(value)))
      out[name] = Number(value);
    else if (types.includes("boolean") && (value === "true" || value === "false")) out[name] = value === "true";
    else out[name] = value;
  }
  return out;
}

export type RestError = {
  error: { code: ErrorCode; message: string; details: Record<string, unknown> | null; request_id: string; timestamp: string };
};

/** An error in the REST format, with the status of its code. */
export function errorResponse(
  code: ErrorCode,
  message: string,
  details: Record<string, unknown> | undefined,
  requestId: string,
  headers = new Headers(),
): Response {
  const body: RestError = {
    error: { code, message, details: details ?? null, request_id: requestId, timestamp: new Date().toISOString() },
  };
  headers.set("x-request-id", requestId);
  return jsonResponse(ERROR_CODES[code].status, body, headers);
}

/** A thrown error → the shared code (../errors.ts); anything unexpected is INTERNAL, logged, never shown. */
export function restErrorOf(err: unknown, requestId: string): AppError {
  const appError = toAppError(err);
  if (appError) return appError;
  log.error({ err, requestId }, "REST call failed");
  return new AppError("INTERNAL", INTERNAL_MESSAGE);
}

function callProcedure(ctx: Context, route: RestRoute, input: unknown): Promise<unknown> {
  // Walks the caller by the procedure's dotted path, as a client addresses it.
  const fn = route.procedure.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], createCaller(ctx)) as (
    i: unknown,
  ) => Promise<unknown>;
  return fn(input);
}

export async function handleRestRequest(req: Request, getUser: () => Promise<SessionUser | null>): Promise<Response> {
  const started = performance.now();
  const requestId = requestIdOf(req.headers);
  let response: Response;
  try {
    response = await respond(req, getUser, requestId);
  } catch (err) {
    const appError = restErrorOf(err, requestId);
    response = errorResponse(appError.code, appError.message, appError.details, requestId);
  }
  log.info(
    {
      requestId,
      method: req.method,
      path: new URL(req.url).pathname,
      status: response.status,
      ms: Math.round(performance.now() - started),
    },
    "rest request",
  );
  return response;
}

async function respond(req: Request, getUser: () => Promise<SessionUser | null>, requestId: string): Promise<Response> {
  const crossSite = crossSiteRefusal(req);
  if (crossSite) throw crossSite;
  const url = new URL(req.url);
  const path = url.pathname.slice(REST_BASE.length) || "/";
  const candidates = compiled.map((c) => ({ ...c, params: c.match(path) })).filter((c) => c.params !== null);
  if (candidates.length === 0) return errorResponse("NOT_FOUND", `No API resource at ${url.pathname}.`, undefined, requestId);
  const hit = candidates.find((c) => c.route.method === req.method);
  if (!hit) {
    const allow = candidates.map((c) => c.route.method).join(", ");
    return withStatus(
      405,
      errorResponse("BAD_REQUEST", `${req.method} is not supported here; use ${allow}.`, { allow }, requestId, new Headers({ allow })),
    );
  }
  const { route, params } = hit;
  const schema = inputSchemaOf(route.procedure);

  let body: Record<string, unknown> = {};
  if (req.method === "POST" || req.method === "PUT") {
    const tooLarge = () =>
      withStatus(413, errorResponse("BAD_REQUEST", "The request body is larger than 1 MB.", { maxBytes: MAX_BODY_BYTES }, requestId));
    if (Number(req.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) return tooLarge();
    const text = await req.text();
    if (text.length > MAX_BODY_BYTES) return tooLarge();
    if (text.trim() !== "") {
      // A form or text body is not read as JSON: a browser sends those cross-site without asking.
      if (!JSON_TYPE.test(req.headers.get("content-type") ?? "")) {
        return withStatus(
          415,
          errorResponse("BAD_REQUEST", "Send the body as JSON, with Content-Type: application/json.", undefined, requestId),
        );
      }
      try {
        const parsed: unknown = JSON.parse(text);
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
        body = parsed as Record<string, unknown>;
      } catch {
        return errorResponse("BAD_REQUEST", "The request body must be a JSON object.", undefined, requestId);
      }
    }
  }
  const query = req.method === "GET" || req.method === "DELETE" ? coerceQuery(url.searchParams, schema) : {};
  const accessToken = req.headers.get("x-access-token");
  // Path parameters win over body fields of the same name: the resource is the one in the URL. Inputs are
  // strict, so the access-token header goes only to the gated procedures that read it (a client may send it on every call).
  const gated = accessToken && schema?.properties.accessToken;
  const input = schema ? { ...query, ...body, ...(gated ? { accessToken } : {}), ...params } : undefined;

  const ctx = createContext({ user: await getUser(), requestId, ip: clientIpOf(req.headers), client: "api" });
  let result: unknown;
  try {
    result = await callProcedure(ctx, route, input);
  } catch (err) {
    const appError = restErrorOf(err, requestId);
    return errorResponse(appError.code, appError.message, appError.details, requestId, rateLimitHeaders(ctx.rate.state, [appError]));
  }
  const headers = rateLimitHeaders(ctx.rate.state);
  headers.set("x-request-id", requestId);
  const status = route.status ?? 200;
  if (status === 204) return new Response(null, { status, headers });
  return jsonResponse(status, result ?? null, headers);
}
