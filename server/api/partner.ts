// The partner price API over HTTP, in the partner spec's exact shapes (not the REST error format):
// GET /v1/channel/price/ticket/{product_id} with `Authorization: Token <key>` and `Channel: Code <code>`.
import { verifyApiKey } from "../domain/channels/channels.ts";
import { getPartnerPrices } from "../domain/channels/partner-prices.ts";
import { AppError } from "../domain/errors.ts";
import { rateLimits, takeRateLimit, type RateState } from "../domain/rate-limit/rate-limit.ts";
import { log } from "../log.ts";
import { jsonResponse, rateLimitHeaders, requestIdOf } from "./request.ts";

/** The bodies partners expect, byte for byte. */
export const PARTNER_BODIES = {
  forbidden: { detail: "You do not have permission to perform this action." },
  notFound: { message: "Not found." },
  tooMany: (seconds: number) => ({ detail: `Request was throttled. Expected available in ${seconds} seconds.` }),
} as const;

/** `Token abc` → "abc"; anything else → null. */
function credential(header: string | null, scheme: "Token" | "Code"): string | null {
  const match = header?.match(new RegExp(`^${scheme} (\\S{1,200})$`));
  return match?.[1] ?? null;
}

export async function handlePartnerPrice(req: Request, productId: string): Promise<Response> {
  const requestId = requestIdOf(req.headers);
  const key = credential(req.headers.get("authorization"), "Token");
  const code = credential(req.headers.get("channel"), "Code");
  const channel = key && code ? await verifyApiKey(key, code) : null;
  if (!channel) return jsonResponse(403, PARTNER_BODIES.forbidden);

  let state: RateState | undefined;
  const limits = rateLimits();
  if (limits !== "off") {
    try {
      state = await takeRateLimit("partner", [{ kind: "key", id: channel.keyId, limit: limits.partner.perUser }]);
    } catch (err) {
      if (err instanceof AppError && err.code === "RATE_LIMITED") {
        const seconds = (err.details as { retryAfterSeconds: number }).retryAfterSeconds;
        return jsonResponse(429, PARTNER_BODIES.tooMany(seconds), rateLimitHeaders(undefined, [err]));
      }
      throw err;
    }
  }
  const prices = await getPartnerPrices(productId);
  log.info({ requestId, channel: channel.channelCode, productId, found: prices !== null }, "partner price request");
  const headers = rateLimitHeaders(state);
  if (!prices) return jsonResponse(404, PARTNER_BODIES.notFound, headers);
  return jsonResponse(200, { status_code: 200, prices }, headers);
}
