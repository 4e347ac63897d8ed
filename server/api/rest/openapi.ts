// The OpenAPI 3.1 document of the REST API, generated from routes.ts and the procedures' own zod input
// schemas, so it cannot drift from what the API accepts.
import { ERROR_CODES } from "../../domain/errors.ts";
import { inputSchemaOf, REST_BASE } from "./handler.ts";
import { REST_ROUTES } from "./routes.ts";
import { TOKEN_TTL_SECONDS } from "./token.ts";

type Json = Record<string, unknown>;

const ERROR_SCHEMA: Json = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message", "details", "request_id", "timestamp"],
      properties: {
        code: { type: "string", enum: Object.keys(ERROR_CODES) },
        message: { type: "string" },
        details: { type: ["object", "null"] },
        request_id: { type: "string" },
        timestamp: { type: "string", format: "date-time" },
      },
    },
  },
};

const RATE_HEADERS: Json = {
  "X-RateLimit-Limit": { description: "Calls allowed in the current window.", schema: { type: "integer" } },
  "X-RateLimit-Remaining": { description: "Calls left in the current window.", schema: { type: "integer" } },
  "X-RateLimit-Reset": { description: "When the window resets (Unix seconds).", schema: { type: "integer" } },
};

const errorResponse = (description: string): Json => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

export function buildOpenApiDocument(serverUrl = REST_BASE): Json {
  const paths: Record<string, Json> = {};
  for (const route of REST_ROUTES) {
    const schema = inputSchemaOf(route.procedure);
    const pathParams = [...route.path.matchAll(/\{([A-Za-z]+)\}/g)].map((m) => m[1]!);
    const props = { ...(schema?.properties ?? {}) };
    delete props.accessToken;
    const parameters: Json[] = pathParams.map((name) => ({ name, in: "path", required: true, schema: props[name] ?? { type: "string" } }));
    for (const name of pathParams) delete props[name];
    if (route.auth === "admitted") {
      parameters.push({
        name: "X-Access-Token",
        in: "header",
        required: false,
        description:
          "The waiting room's access token (from GET /showtimes/{showtimeId}/queue when READY); may also be sent as `accessToken` in the body.",
        schema: { type: "string" },
      });
    }
    const required = (schema?.required ?? []).filter((r) => r in props);
    let requestBody: Json | undefined;
    if (route.method === "GET" || route.method === "DELETE") {
      for (const [name, s] of Object.entries(props)) parameters.push({ name, in: "query", required: required.includes(name), schema: s });
    } else if (Object.keys(props).length > 0) {
      requestBody = {
        required: required.length > 0,
        content: { "application/json": { schema: { type: "object", properties: props, required } } },
      };
    }
    const status = String(route.status ?? 200);
    const responses: Json = {
      [status]:
        status === "204"
          ? { description: "Done.", headers: RATE_HEADERS }
          : {
              description: "OK.",
              headers: RATE_HEADERS,
              content: { "application/json": { schema: { type: ["object", "array", "null"] } } },
            },
      "400": errorResponse("Malformed request."),
      "422": errorResponse("Input failed validation: `details.fieldErrors` names the fields."),
      "429": errorResponse("Rate limited: wait `Retry-After` seconds."),
      "500": errorResponse("Unexpected server error."),
      ...(route.auth !== "public" ? { "401": errorResponse("Not signed in.") } : {}),
      ...(route.auth === "admitted" ? { "403": errorResponse("NOT_ADMITTED: no valid waiting-room access for this showtime.") } : {}),
      ...(pathParams.length > 0 ? { "404": errorResponse("No such resource (or not yours).") } : {}),
      ...(route.method !== "GET"
        ? { "409": errorResponse("Conflict: taken or already done; `details` say what (a paid hold's `details.orderId`).") }
        : {}),
    };
    const operation: Json = {
      operationId: route.procedure.replace(".", "_"),
      summary: route.summary,
      tags: [route.tag],
      parameters,
      ...(requestBody ? { requestBody } : {}),
      responses,
      ...(route.auth === "public" ? { security: [] } : {}),
      "x-trpc-procedure": route.procedure,
    };
    paths[route.path] = { ...(paths[route.path] ?? {}), [route.method.toLowerCase()]: operation };
  }
  paths["/auth/token"] = {
    post: {
      operationId: "auth_token",
      summary: "Exchange email and password for a bearer token",
      tags: ["Auth"],
      security: [],
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: {
              type: "object",
              required: ["email", "password"],
              properties: { email: { type: "string", format: "email" }, password: { type: "string" } },
            },
          },
        },
      },
      responses: {
        "201": {
          description: `A bearer token valid for ${TOKEN_TTL_SECONDS} seconds.`,
          content: {
            "application/json": {
              schema: {
                type: "object",
                required: ["token_type", "access_token", "expires_in"],
                properties: {
                  token_type: { type: "string", const: "Bearer" },
                  access_token: { type: "string" },
                  expires_in: { type: "integer" },
                },
              },
            },
          },
        },
        "400": errorResponse("Malformed request."),
        "401": errorResponse("Wrong email or password."),
        "429": errorResponse("Too many failed attempts for this account or from this address; wait as Retry-After says."),
        "503": errorResponse("Onsale cannot check the attempt right now; nothing was changed."),
      },
    },
  };
  return {
    openapi: "3.1.0",
    info: {
      title: "Onsale API",
      version: "1.0.0",
      description:
        "Everything a fan can do on Onsale. Authenticate with the session cookie or `Authorization: Bearer <token>` from POST /auth/token. Errors share one shape; amounts are integer minor units with a currency code.",
    },
    servers: [{ url: serverUrl }],
    tags: [...new Set(REST_ROUTES.map((r) => r.tag)), "Auth"].map((name) => ({ name })),
    security: [{ bearer: [] }, { session: [] }],
    paths,
    components: {
      schemas: { Error: ERROR_SCHEMA },
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "A token from POST /auth/token." },
        session: { type: "apiKey", in: "cookie", name: "next-auth.session-token", description: "The web session cookie." },
      },
    },
  };
}
