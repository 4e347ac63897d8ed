// POST /api/v1/auth/token: email + password → a bearer token for the REST API. The token is a next-auth
// session token (same secret, same claims), so the API reads it exactly like the session cookie.
import { encode } from "next-auth/jwt";
import { z } from "zod";
import { signInWithPassword } from "../../domain/auth/sign-in.ts";
import { AppError, unavailableError } from "../../domain/errors.ts";
import { env } from "../../env.ts";
import { clientIpOf, jsonResponse, rateLimitHeaders, requestIdOf } from "../request.ts";

export const TOKEN_TTL_SECONDS = 3600;

const ZTokenRequest = z.strictObject({ email: z.string().max(254), password: z.string().max(200) });

function error(
  status: number,
  code: string,
  message: string,
  requestId: string,
  headers?: Headers,
  details: Record<string, unknown> | null = null,
) {
  return jsonResponse(status, { error: { code, message, details, request_id: requestId, timestamp: new Date().toISOString() } }, headers);
}

export async function handleTokenRequest(req: Request): Promise<Response> {
  const requestId = requestIdOf(req.headers);
  let input: z.infer<typeof ZTokenRequest>;
  try {
    input = ZTokenRequest.parse(await req.json());
  } catch {
    return error(400, "BAD_REQUEST", 'Send JSON like {"email": "...", "password": "..."}.', requestId);
  }
  let user;
  try {
    user = await signInWithPassword(input, clientIpOf(req.headers));
  } catch (err) {
    if (err instanceof AppError && err.code === "RATE_LIMITED")
      return error(429, err.code, err.message, requestId, rateLimitHeaders(undefined, [err]), err.details ?? null);
    const outage = unavailableError(err);
    if (outage) return error(503, outage.code, outage.message, requestId, undefined, outage.details ?? null);
    throw err;
  }
  if (!user) return error(401, "UNAUTHENTICATED", "That email and password don't match an account.", requestId);
  const token = await encode({
    token: { sub: user.id, email: user.email, name: user.name, role: user.role },
    secret: env().AUTH_SECRET,
    maxAge: TOKEN_TTL_SECONDS,
  });
  return jsonResponse(201, { token_type: "Bearer", access_token: token, expires_in: TOKEN_TTL_SECONDS });
}
