// Poster uploads: only admins, only JPEG/PNG/WebP by their first bytes, at most 5 MB, one file per content
// (named by its SHA-256), and only such names are ever read back.
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createCaller } from "../../api/root.ts";
import { createContext } from "../../api/trpc.ts";
import { env } from "../../env.ts";
import { makeUser } from "../../../test/support/factories.ts";
import { POSTER_MAX_BYTES } from "./poster-rules.ts";
import { readPoster, storePoster } from "./posters.ts";

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff, 0xe0];
const WEBP = [...Buffer.from("RIFF"), 0x24, 0, 0, 0, ...Buffer.from("WEBPVP8 ")];

/** An "image" of the given first bytes, unique unless `seed` repeats. */
const image = (magic: number[], seed = crypto.randomUUID(), size = 64) => {
  const bytes = new Uint8Array(size);
  bytes.set(magic);
  bytes.set(Buffer.from(seed).subarray(0, size - magic.length), magic.length);
  return bytes;
};
const stream = (bytes: Uint8Array<ArrayBuffer>) => new Blob([bytes]).stream();
/** The body as the HTTP adapter hands it to the procedure: a stream (the client-side type says Blob). */
const body = (bytes: Uint8Array<ArrayBuffer>) => stream(bytes) as unknown as Blob;
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const dirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "posters-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

describe("poster uploads", () => {
  it("keep a JPEG, PNG or WebP under its content hash, and the same content as the same file", async () => {
    const dir = await tempDir();
    for (const [magic, ext] of [
      [JPEG, "jpg"],
      [PNG, "png"],
      [WEBP, "webp"],
    ] as const) {
      const bytes = image([...magic]);
      const first = await storePoster(stream(bytes), { dir });
      expect(first).toMatchObject({ hash: sha256(bytes), path: `/posters/${sha256(bytes)}.${ext}`, reused: false, bytes: 64 });
      const again = await storePoster(stream(bytes.slice()), { dir });
      expect(again).toEqual({ ...first, reused: true });
      expect(new Uint8Array(await readFile(path.join(dir, `${first.hash}.${ext}`)))).toEqual(bytes);
      expect((await readPoster(`${first.hash}.${ext}`, { dir }))?.contentType).toBe(`image/${ext === "jpg" ? "jpeg" : ext}`);
    }
    expect(await readdir(dir)).toHaveLength(3);
  });

  it("refuse files that are not those images by their bytes, whatever they claim, and keep nothing", async () => {
    const dir = await tempDir();
    const refusals = [
      image([...Buffer.from("GIF89a")]),
      new TextEncoder().encode("<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
      image([...Buffer.from("RIFF"), 0, 0, 0, 0, ...Buffer.from("WAVE")]),
      image(PNG.slice(0, 7)),
      new Uint8Array(0),
    ];
    for (const bytes of refusals) {
      await expect(storePoster(stream(bytes), { dir })).rejects.toMatchObject({
        code: "VALIDATION_FAILED",
        details: { fieldErrors: { poster: [expect.any(String)] } },
      });
    }
    await expect(storePoster(stream(refusals[0]!), { dir })).rejects.toThrow(/not a JPEG, PNG or WebP image/);
    expect(await readdir(dir)).toEqual([]);
  });

  it("refuse a poster over 5 MB, reading no further than the limit", async () => {
    const dir = await tempDir();
    const big = image(PNG, "big", POSTER_MAX_BYTES + 1);
    await expect(storePoster(stream(big), { dir })).rejects.toThrow(/larger than 5 MB/);
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(image(PNG, "chunk", 1024 * 1024));
      },
    });
    await expect(storePoster(endless, { dir })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      details: { maxBytes: POSTER_MAX_BYTES },
    });
    expect(pulled).toBeLessThanOrEqual(8);
    expect(await readdir(dir)).toEqual([]);
    // Exactly the limit is fine.
    expect(await storePoster(stream(image(PNG, "edge", POSTER_MAX_BYTES)), { dir })).toMatchObject({ bytes: POSTER_MAX_BYTES });
  });

  it("read back only names that are a hash and a known extension", async () => {
    const dir = await tempDir();
    const stored = await storePoster(stream(image(PNG)), { dir });
    const name = `${stored.hash}.png`;
    expect(await readPoster(name, { dir })).not.toBeNull();
    for (const bad of [
      `../${name}`,
      `${stored.hash.toUpperCase()}.png`,
      `${stored.hash}.svg`,
      `${stored.hash}.png/..`,
      "..%2f..%2fetc%2fpasswd",
      "../../../etc/passwd",
      `${"0".repeat(64)}.png`,
    ]) {
      expect(await readPoster(bad, { dir }), bad).toBeNull();
    }
  });

  it("are taken from admins only, through the admin procedure", async () => {
    const dir = env().POSTER_DIR;
    const files = async () => (await readdir(dir).catch(() => [])).length;
    const before = await files();
    const bytes = image(PNG);
    const fan = createCaller(createContext({ user: await makeUser() }));
    await expect(fan.admin.concerts.uploadPoster(body(bytes))).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(createCaller(createContext({})).admin.concerts.uploadPoster(body(bytes))).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect(await files()).toBe(before);

    const admin = createCaller(createContext({ user: await makeUser({ role: "ADMIN" }) }));
    await expect(admin.admin.concerts.uploadPoster(body(image(JPEG.slice(0, 2))))).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
    const stored = await admin.admin.concerts.uploadPoster(body(bytes));
    expect(stored).toMatchObject({ path: `/posters/${sha256(bytes)}.png`, reused: false });
    expect(await files()).toBe(before + 1);
    // The concert takes the served path as its image.
    expect(
      await admin.admin.concerts.create({
        slug: `poster-${stored.hash.slice(0, 12)}`,
        title: "Poster Night",
        artist: "The Uploads",
        category: "Pop",
        imageUrl: stored.path,
      }),
    ).toMatchObject({ imageUrl: stored.path });
  });
});
