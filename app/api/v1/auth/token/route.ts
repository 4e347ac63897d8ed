// Bearer tokens for the REST API (server/api/rest/token.ts).
import { handleTokenRequest } from "@/server/api/rest/token";

export const dynamic = "force-dynamic";

export const POST = (req: Request) => handleTokenRequest(req);
