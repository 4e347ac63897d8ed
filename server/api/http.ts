// The tRPC HTTP endpoint, independent of Next.js so tests can drive it with a plain Request.
import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { SessionUser } from "../domain/auth/users.ts";
import { log } from "../log.ts";
import { clientIpOf, crossSiteRefusal, rateLimitHeaders, requestIdOf } from "./request.ts";
import { appRouter } from "./root.ts";
import { createContext } from "./trpc.ts";

export async function handleTrpcRequest(req: Request, getUser: () => Promise<SessionUser | null>): Promise<Response> {
  const started = performance.now();
  const requestId = requestIdOf(req.headers);
  const crossSite = crossSiteRefusal(req);
  const response = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () => {
      // A cross-site mutation riding on the fan's cookie: every call in it answers 403 FORBIDDEN, none runs.
      if (crossSite) throw new TRPCError({ code: "FORBIDDEN", message: crossSite.message, cause: crossSite });
      return createContext({ user: await getUser(), requestId, ip: clientIpOf(req.headers) });
    },
    responseMeta: ({ ctx, errors }) => ({
      headers: rateLimitHeaders(
        ctx?.rate.state,
        errors.map((e) => e.cause),
      ),
    }),
  });
  response.headers.set("x-request-id", requestId);
  const answer = await withLength(response);
  log.info(
    {
      requestId,
      method: req.method,
      path: new URL(req.url).pathname,
      status: response.status,
      ms: Math.round(performance.now() - started),
    },
    "trpc request",
  );
  return answer;
}

/**
 * tRPC's JSON answer goes out whole with its Content-Length, as jsonResponse's do, so Next's compression
 * skips the small ones: gzip of 200-byte answers cost the web process about 9% of its CPU in the holds
 * benchmark. Streams (subscriptions) pass through as they are.
 */
async function withLength(response: Response): Promise<Response> {
  if (!response.body || !response.headers.get("content-type")?.startsWith("application/json")) return response;
  const body = new Uint8Array(await response.arrayBuffer());
  const headers = new Headers(response.headers);
  headers.set("content-length", String(body.byteLength));
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}
