// Uploaded posters, by the content hash in their name: what an address shows never changes, so browsers and
// the image optimizer may keep it for a year without asking again.
import { readPoster } from "@/server/domain/posters/posters";

export async function GET(_request: Request, { params }: { params: Promise<{ name: string }> }) {
  const poster = await readPoster((await params).name);
  if (!poster) return new Response("Not found", { status: 404, headers: { "content-type": "text/plain", "cache-control": "no-store" } });
  return new Response(new Uint8Array(poster.body), {
    headers: {
      "content-type": poster.contentType,
      "content-length": String(poster.body.byteLength),
      "cache-control": "public, max-age=31536000, immutable",
      "x-content-type-options": "nosniff",
    },
  });
}
