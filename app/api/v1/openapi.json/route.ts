// The REST API's OpenAPI document, generated from the procedures (server/api/rest/openapi.ts).
import { buildOpenApiDocument } from "@/server/api/rest/openapi";

export function GET() {
  return Response.json(buildOpenApiDocument());
}
