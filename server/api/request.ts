// Per-request facts shared by every route handler: the request id and the client's address.
export function requestIdOf(headers: Headers): string {
  const given = headers.get("x-request-id");
  // Accept a caller's id only if it looks like one, so logs cannot be injected through it.
  return given && /^[A-Za-z0-9-]{8,64}$/.test(given) ? given : crypto.randomUUID();
}

export function clientIpOf(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers.get("x-real-ip") || "unknown";
}
