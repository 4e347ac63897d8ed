// POST /api/payments/webhook: the card processor's signed events (server/domain/payments/events.ts). A
// good signature answers 200 (also for a repeat, so the processor stops sending it); a bad one 400 and
// nothing is kept.
import { receiveProviderEvent } from "../domain/payments/events.ts";
import { toAppError } from "./errors.ts";
import { jsonResponse, requestIdOf } from "./request.ts";
import { errorResponse } from "./rest/handler.ts";

/** The headers a processor signs with: Stripe's, and the sandbox's. */
const SIGNATURE_HEADERS = ["stripe-signature", "onsale-sandbox-signature"];

export async function handlePaymentWebhook(req: Request): Promise<Response> {
  const signature = SIGNATURE_HEADERS.map((h) => req.headers.get(h)).find((v) => v) ?? null;
  try {
    const { outcome } = await receiveProviderEvent(await req.text(), signature);
    return jsonResponse(200, { received: true, outcome });
  } catch (err) {
    const appError = toAppError(err);
    if (!appError) throw err;
    return errorResponse(appError.code, appError.message, appError.details, requestIdOf(req.headers));
  }
}
