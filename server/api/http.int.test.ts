// The HTTP face of tRPC: error codes from the shared vocabulary, request ids, and no stack traces.
import { describe, expect, it } from "vitest";
import superjson from "superjson";
import { handleTrpcRequest } from "./http.ts";

const anon = async () => null;

type Body = { error?: { message: string; data: Record<string, unknown> } };

/** tRPC serialises errors with the transformer: `{ error: { json, meta } }`. */
async function bodyOf(res: Response): Promise<Body> {
  const raw = (await res.json()) as { error?: Parameters<typeof superjson.deserialize>[0] };
  return raw.error ? { error: superjson.deserialize(raw.error) } : {};
}

async function get(path: string, input: unknown, headers: Record<string, string> = {}) {
  const url = `http://localhost/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`;
  const res = await handleTrpcRequest(new Request(url, { headers }), anon);
  return { res, body: await bodyOf(res) };
}

async function post(path: string, input: unknown) {
  const res = await handleTrpcRequest(
    new Request(`http://localhost/api/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(superjson.serialize(input)),
    }),
    anon,
  );
  return { res, body: await bodyOf(res) };
}

describe("tRPC over HTTP", () => {
  it("maps a domain NOT_FOUND to 404 with the app code and request id", async () => {
    const { res, body } = await get("catalog.concert", { slug: "no-such-concert" }, { "x-request-id": "req-12345678" });
    expect(res.status).toBe(404);
    expect(res.headers.get("x-request-id")).toBe("req-12345678");
    expect(body.error?.data).toMatchObject({ appCode: "NOT_FOUND", requestId: "req-12345678" });
    expect(body.error?.message).toBe("We couldn't find that concert.");
  });

  it("answers bad input with VALIDATION_FAILED and field errors, without a stack", async () => {
    const { res, body } = await post("auth.signUp", { name: "", email: "nope", password: "x" });
    expect(res.status).toBe(400);
    expect(body.error?.data.appCode).toBe("VALIDATION_FAILED");
    const fieldErrors = (body.error?.data.details as { fieldErrors: Record<string, string[]> }).fieldErrors;
    expect(Object.keys(fieldErrors).sort()).toEqual(["email", "name", "password"]);
    expect(JSON.stringify(body)).not.toMatch(/\bat .*\.ts:\d+/);
    expect(body.error?.data.stack).toBeUndefined();
  });

  it("answers UNAUTHENTICATED for a protected call without a session", async () => {
    const { res, body } = await get("auth.me", undefined);
    expect(res.status).toBe(401);
    expect(body.error?.data.appCode).toBe("UNAUTHENTICATED");
  });

  it("ignores a request id that could inject into logs", async () => {
    const { res } = await get("catalog.cities", undefined, { "x-request-id": 'x" level=50 msg="forged' });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
