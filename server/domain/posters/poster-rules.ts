// What a poster may be: a JPEG, PNG or WebP image (known by its first bytes, not its name) of at most 5 MB.
// Pure, so the concert form can say "too large" before sending and the server decides the same way.

export const POSTER_MAX_BYTES = 5 * 1024 * 1024;

export type PosterType = { ext: "jpg" | "png" | "webp"; contentType: "image/jpeg" | "image/png" | "image/webp" };

const startsWith = (bytes: Uint8Array, at: number, magic: readonly number[]) => magic.every((b, i) => bytes[at + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** The image type its first bytes announce (the files' magic numbers), or null for anything else. */
export function posterTypeOf(bytes: Uint8Array): PosterType | null {
  if (startsWith(bytes, 0, [0xff, 0xd8, 0xff])) return { ext: "jpg", contentType: "image/jpeg" };
  if (startsWith(bytes, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { ext: "png", contentType: "image/png" };
  if (startsWith(bytes, 0, ascii("RIFF")) && startsWith(bytes, 8, ascii("WEBP"))) return { ext: "webp", contentType: "image/webp" };
  return null;
}

export const POSTER_TOO_LARGE = "The poster is larger than 5 MB. Save it smaller (a 1200 × 1600 JPEG is plenty) and upload it again.";
export const POSTER_NOT_AN_IMAGE = "That file is not a JPEG, PNG or WebP image. Upload the poster in one of those formats.";
