// Signed waiting-room tokens (JWT, HS256): a queue token proves a place, an access token admission.
import { createHash } from "node:crypto";
import { jwtVerify, SignJWT, errors as joseErrors } from "jose";
import { env } from "../../env.ts";

const ISSUER = "onsale";
const AUDIENCE = "onsale-waiting-room";

export type QueueClaims = { userId: string; showtimeId: string; seq: number };
export type AccessClaims = { userId: string; showtimeId: string; expiresAt: Date };

// A key of its own, derived from AUTH_SECRET, so a session token can never pass as a waiting-room token.
// Imported once as a CryptoKey: handed raw bytes, jose imports them on every call (more than half of a
// sign or verify).
let cachedKey: { secret: string; key: Promise<CryptoKey> } | undefined;
function signingKey(): Promise<CryptoKey> {
  const secret = env().AUTH_SECRET;
  if (cachedKey?.secret !== secret) {
    const raw = createHash("sha256").update(`onsale-waiting-room:${secret}`).digest();
    cachedKey = { secret, key: crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]) };
  }
  return cachedKey.key;
}

export async function signQueueToken(c: QueueClaims, ttlSeconds = 24 * 3600): Promise<string> {
  return new SignJWT({ st: c.showtimeId, seq: c.seq, typ: "queue" })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(c.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(await signingKey());
}

export async function signAccessToken(c: AccessClaims): Promise<string> {
  return new SignJWT({ st: c.showtimeId, typ: "access" })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(c.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(c.expiresAt.getTime() / 1000))
    .sign(await signingKey());
}

export type VerifiedToken =
  | { ok: true; userId: string; showtimeId: string; type: "queue" | "access"; seq?: number; expiresAt: Date }
  | { ok: false; reason: "malformed" | "bad-signature" | "bad-algorithm" | "expired" | "invalid" };

export async function verifyWaitingRoomToken(token: string): Promise<VerifiedToken> {
  try {
    const { payload } = await jwtVerify(token, await signingKey(), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ["HS256"],
    });
    const { sub, st, typ, seq, exp } = payload as { sub?: string; st?: unknown; typ?: unknown; seq?: unknown; exp?: number };
    if (!sub || typeof st !== "string" || (typ !== "queue" && typ !== "access") || !exp) {
      return { ok: false, reason: "invalid" };
    }
    return {
      ok: true,
      userId: sub,
      showtimeId: st,
      type: typ,
      ...(typeof seq === "number" ? { seq } : {}),
      expiresAt: new Date(exp * 1000),
    };
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) return { ok: false, reason: "expired" };
    if (error instanceof joseErrors.JWSSignatureVerificationFailed) return { ok: false, reason: "bad-signature" };
    // Anything but HS256 (`none`, HS384/512 with our key, RS256/ES256 with a key in the header) is
    // refused before any key is tried: algorithm confusion cannot reach a verification.
    if (error instanceof joseErrors.JOSEAlgNotAllowed || error instanceof joseErrors.JOSENotSupported)
      return { ok: false, reason: "bad-algorithm" };
    if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid) {
      return { ok: false, reason: "malformed" };
    }
    return { ok: false, reason: "invalid" };
  }
}
