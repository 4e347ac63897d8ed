// Posters uploaded by admins: kept on disk under POSTER_DIR, each named by the SHA-256 of its content, so an
// identical upload is the same file and its address (/posters/<hash>.<ext>) never changes what it shows.
import { createHash, randomUUID } from "node:crypto";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { env } from "../../env.ts";
import { AppError } from "../errors.ts";
import { POSTER_MAX_BYTES, POSTER_NOT_AN_IMAGE, POSTER_TOO_LARGE, posterTypeOf, type PosterType } from "./poster-rules.ts";

/** Where the site serves them (app/posters/[name]/route.ts). */
export const POSTER_PATH = "/posters";

const refuse = (message: string, details: Record<string, unknown> = {}) =>
  new AppError("VALIDATION_FAILED", message, { ...details, fieldErrors: { poster: [message] } });

/**
 * The bytes of an upload, refused once past the limit. It stops reading there without cancelling the
 * stream: cancelling an HTTP request's body ends its connection, and the admin would get no answer.
 */
async function readLimited(input: ReadableStream<Uint8Array> | Uint8Array, maxBytes: number): Promise<Uint8Array> {
  if (input instanceof Uint8Array) {
    if (input.byteLength > maxBytes) throw refuse(POSTER_TOO_LARGE, { maxBytes });
    return input;
  }
  const reader = input.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) throw refuse(POSTER_TOO_LARGE, { maxBytes });
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  return Buffer.concat(chunks);
}

export type StoredPoster = { path: string; hash: string; contentType: PosterType["contentType"]; bytes: number; reused: boolean };

/** Checks and keeps a poster; the same content again is the same file, written once. */
export async function storePoster(
  input: ReadableStream<Uint8Array> | Uint8Array,
  { dir = env().POSTER_DIR, maxBytes = POSTER_MAX_BYTES }: { dir?: string; maxBytes?: number } = {},
): Promise<StoredPoster> {
  const bytes = await readLimited(input, maxBytes);
  if (bytes.byteLength === 0) throw refuse("That file is empty. Choose the poster image again.");
  const type = posterTypeOf(bytes);
  if (!type) throw refuse(POSTER_NOT_AN_IMAGE);
  const hash = createHash("sha256").update(bytes).digest("hex");
  const name = `${hash}.${type.ext}`;
  const file = path.join(dir, name);
  const reused = await stat(file).then(
    () => true,
    () => false,
  );
  if (!reused) {
    await mkdir(dir, { recursive: true });
    // Written aside, then renamed: a reader never sees half a file, and two identical uploads at once both end well.
    const temp = path.join(dir, `.${name}.${randomUUID()}.tmp`);
    await writeFile(temp, bytes);
    await rename(temp, file);
  }
  return { path: `${POSTER_PATH}/${name}`, hash, contentType: type.contentType, bytes: bytes.byteLength, reused };
}

const POSTER_NAME = /^([0-9a-f]{64})\.(jpg|png|webp)$/;
const CONTENT_TYPES = { jpg: "image/jpeg", png: "image/png", webp: "image/webp" } as const;

/**
 * A stored poster by its public name, or null. Only a name of exactly a hash and a known extension is
 * looked up, so no name can reach outside POSTER_DIR.
 */
export async function readPoster(name: string, { dir = env().POSTER_DIR }: { dir?: string } = {}) {
  const match = POSTER_NAME.exec(name);
  if (!match) return null;
  const body = await readFile(path.join(dir, name)).catch(() => null);
  return body ? { body, contentType: CONTENT_TYPES[match[2] as keyof typeof CONTENT_TYPES] } : null;
}
