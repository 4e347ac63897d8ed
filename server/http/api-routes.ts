// The paths the web server answers itself, outside Next's page pipeline: tRPC, the REST API, the partner
// price API, seat layouts and health. Each is the same Fetch-style handler the tests call with a plain Request; every
// other path (pages, next-auth, Next's own files) goes to Next.
import { handleTrpcRequest } from "../api/http.ts";
import { handlePartnerPrice } from "../api/partner.ts";
import { handlePaymentWebhook } from "../api/payment-webhook.ts";
import { jsonResponse } from "../api/request.ts";
import { handleRestRequest, REST_BASE } from "../api/rest/handler.ts";
import { buildOpenApiDocument } from "../api/rest/openapi.ts";
import { handleTokenRequest } from "../api/rest/token.ts";
import { handleSeatLayout } from "../api/seat-layout.ts";
import { handleSeatStatus } from "../api/seat-status.ts";
import { prisma } from "../db.ts";
import { checkHealth } from "../domain/health/health.ts";
import { POSTER_MAX_BYTES } from "../domain/posters/poster-rules.ts";
import { redis } from "../redis.ts";
import { sessionUserOf } from "../session.ts";

/** How many web processes of this server answer on its port (kept by the launcher, server/http/main.ts). */
export type WebProcesses = { up: number; of: number };

export type ApiRoute = {
  /** The path as documented (`*`: any rest of the path; `{name}`: one segment). */
  path: string;
  methods: readonly string[];
  handle(req: Request, params: Record<string, string>): Promise<Response> | Response;
  /** The largest body it takes, when not the server's default (server.ts). */
  maxBodyBytes?: number;
};

export function apiRoutes({ webProcesses }: { webProcesses: () => WebProcesses }): ApiRoute[] {
  const trpc = (req: Request) => handleTrpcRequest(req, () => sessionUserOf(req));
  return [
    // A poster's bytes are the body: up to its own limit, which the procedure enforces with a clear message
    // (the slack lets it, rather than the transport, be the one to refuse).
    { path: "/api/trpc/admin.concerts.uploadPoster", methods: ["POST"], maxBodyBytes: POSTER_MAX_BYTES + 1024 * 1024, handle: trpc },
    { path: "/api/trpc/*", methods: ["GET", "POST"], handle: trpc },
    { path: "/api/health", methods: ["GET"], handle: () => healthAnswer(webProcesses()) },
    { path: "/api/payments/webhook", methods: ["POST"], handle: (req) => handlePaymentWebhook(req) },
    { path: "/api/seat-layout/{showtimeId}", methods: ["GET"], handle: (req, params) => handleSeatLayout(req, params.showtimeId!) },
    {
      path: "/api/seat-status/{showtimeId}",
      methods: ["GET"],
      handle: (req, params) => handleSeatStatus(req, params.showtimeId!, () => sessionUserOf(req)),
    },
    { path: `${REST_BASE}/auth/token`, methods: ["POST"], handle: (req) => handleTokenRequest(req) },
    { path: `${REST_BASE}/openapi.json`, methods: ["GET"], handle: () => jsonResponse(200, openApiDocument()) },
    {
      path: `${REST_BASE}/*`,
      methods: ["GET", "POST", "PUT", "DELETE"],
      handle: (req) => handleRestRequest(req, () => sessionUserOf(req)),
    },
    {
      path: "/v1/channel/price/ticket/{product_id}",
      methods: ["GET"],
      handle: (req, params) => handlePartnerPrice(req, params.product_id!),
    },
  ];
}

let openApi: unknown;
/** Built once: it follows from the code, which does not change while the process runs. */
const openApiDocument = () => (openApi ??= buildOpenApiDocument());

async function healthAnswer(web: WebProcesses): Promise<Response> {
  const health = await checkHealth({ db: prisma(), redis: redis() });
  const headers = new Headers({ "cache-control": "no-store" });
  return jsonResponse(health.status === "ok" ? 200 : 503, { ...health, web: { processes: web.up, of: web.of, pid: process.pid } }, headers);
}

export type MatchedRoute = { route: ApiRoute; params: Record<string, string> };

/** The route table as one matcher: the first route whose path matches wins. */
export function apiMatcher(routes: ApiRoute[]): (pathname: string) => MatchedRoute | undefined {
  const compiled = routes.map((route) => {
    const prefix = route.path.endsWith("/*") ? route.path.slice(0, -2) : undefined;
    const segments = route.path.split("/");
    return { route, prefix, segments };
  });
  return (pathname) => {
    for (const { route, prefix, segments } of compiled) {
      if (prefix !== undefined) {
        if (pathname === prefix || pathname.startsWith(`${prefix}/`)) return { route, params: {} };
        continue;
      }
      const parts = pathname.split("/");
      if (parts.length !== segments.length) continue;
      const params: Record<string, string> = {};
      const matches = segments.every((segment, i) => {
        const name = /^\{(\w+)\}$/.exec(segment)?.[1];
        if (!name) return segment === parts[i];
        if (!parts[i]) return false;
        params[name] = decoded(parts[i]!);
        return true;
      });
      if (matches) return { route, params };
    }
    return undefined;
  };
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // not valid percent-encoding: the handler sees it as sent (and finds nothing)
  }
}
