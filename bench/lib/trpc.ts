// Calling tRPC procedures over plain HTTP, the way the browser client does (superjson, no batching).
import type { Outcome } from "./load.ts";

export function trpcQuery(baseUrl: string, path: string, input: unknown, cookie: string) {
  const query = encodeURIComponent(JSON.stringify({ json: input }));
  return { url: `${baseUrl}/api/trpc/${path}?input=${query}`, init: { headers: { cookie } } };
}

export function trpcMutation(baseUrl: string, path: string, input: unknown, cookie: string) {
  return {
    url: `${baseUrl}/api/trpc/${path}`,
    init: {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
      body: JSON.stringify({ json: input }),
    },
  };
}

/** The procedure's data on HTTP 200, else the status and body verbatim (what a report should quote). */
export function trpcData(status: number, body: string): Outcome<unknown> {
  if (status !== 200) return { ok: false, error: `HTTP ${status}: ${body.slice(0, 500)}` };
  try {
    const parsed = JSON.parse(body) as { result?: { data?: { json?: unknown } } };
    if (parsed.result?.data && "json" in parsed.result.data) return { ok: true, value: parsed.result.data.json };
  } catch {
    // fall through: report the body as it came
  }
  return { ok: false, error: `HTTP 200 with an unexpected body: ${body.slice(0, 500)}` };
}

/** One call, throwing with the response body on failure: for setup steps, not measurements. */
export async function callTrpc(req: { url: string; init?: RequestInit }): Promise<unknown> {
  const res = await fetch(req.url, { ...req.init, signal: AbortSignal.timeout(30_000) });
  const outcome = trpcData(res.status, await res.text());
  if (!outcome.ok) throw new Error(`${new URL(req.url).pathname}: ${outcome.error}`);
  return outcome.value;
}

/** The app's error code (SEATS_UNAVAILABLE, NOT_ADMITTED, …) of a tRPC error body, if it has one. */
export function trpcAppCode(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: { json?: { data?: { appCode?: unknown } } } };
    const code = parsed.error?.json?.data?.appCode;
    return typeof code === "string" ? code : undefined;
  } catch {
    return undefined;
  }
}
