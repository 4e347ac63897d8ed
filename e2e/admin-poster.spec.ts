// A poster uploaded from the concert form: checked by its bytes (a text file named .png is refused), kept
// under its content hash, served with long caching, and shown on the fans' concert page.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, SEED, signInViaApi, test, trpcMutation } from "./fixtures";

const POSTER = path.join(import.meta.dirname, "files", "poster.png");

test("an admin uploads a poster that fans then see on the concert's page", async ({ page }) => {
  await signInViaApi(page.request, SEED.admin);
  const id = randomUUID().slice(0, 8);
  const concert = await trpcMutation<{ id: string }>(page.request, "admin.concerts.create", {
    slug: `e2e-poster-${id}`,
    title: `Poster ${id}`,
    artist: "The Uploads",
    category: "Pop",
  });
  await trpcMutation(page.request, "admin.concerts.setStatus", { concertId: concert.id, status: "PUBLISHED" });

  await page.goto(`/admin/concerts/${concert.id}`);
  const upload = page.getByLabel("Upload a poster");
  // Not an image, whatever its name says.
  await upload.setInputFiles({ name: "poster.png", mimeType: "image/png", buffer: Buffer.from("<svg onload=alert(1)>not a poster</svg>") });
  await expect(page.getByText("That file is not a JPEG, PNG or WebP image.")).toBeVisible();
  await expect(upload).toHaveAttribute("aria-invalid", "true");
  // Too large: refused before sending.
  await upload.setInputFiles({ name: "huge.png", mimeType: "image/png", buffer: Buffer.alloc(5 * 1024 * 1024 + 1) });
  await expect(page.getByText("The poster is larger than 5 MB.")).toBeVisible();

  await upload.setInputFiles(POSTER);
  await expect(page.getByRole("status").filter({ hasText: "Poster uploaded. Save the changes to use it." })).toBeVisible();
  const address = page.getByLabel("Poster image address");
  await expect(address).toHaveValue(/^\/posters\/[0-9a-f]{64}\.png$/);
  const posterPath = await address.inputValue();
  // The same file again is the same poster.
  await upload.setInputFiles(POSTER);
  await expect(page.getByRole("status").filter({ hasText: "Uploaded before: the same poster is used." })).toBeVisible();
  await expect(address).toHaveValue(posterPath);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Changes saved." })).toBeVisible();

  // Sent anyway, past the form: the server refuses it with the same words (not a transport error).
  const PNG_START = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const tooBig = await page.request.post("/api/trpc/admin.concerts.uploadPoster", {
    headers: { "content-type": "application/octet-stream" },
    data: Buffer.concat([PNG_START, Buffer.alloc(5 * 1024 * 1024)]),
  });
  expect(tooBig.status()).toBe(422);
  expect(await tooBig.text()).toContain("The poster is larger than 5 MB.");

  // Served as it was uploaded, cached for a year; names that are not a hash find nothing.
  const served = await page.request.get(posterPath);
  expect(served.status()).toBe(200);
  expect(served.headers()["content-type"]).toBe("image/png");
  expect(served.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
  expect(Buffer.compare(await served.body(), readFileSync(POSTER))).toBe(0);
  for (const bad of ["/posters/..%2f..%2fpackage.json", "/posters/%2e%2e%2f.env.example", `/posters/${"0".repeat(64)}.png`]) {
    expect((await page.request.get(bad)).status(), bad).toBe(404);
  }

  // The fans' page shows it.
  await page.goto(`/concerts/e2e-poster-${id}`);
  const img = page.getByRole("img", { name: `Poster for Poster ${id}` });
  await expect(img).toBeVisible();
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBeGreaterThan(0);
  expect(decodeURIComponent((await img.evaluate((el: HTMLImageElement) => el.currentSrc)) ?? "")).toContain(posterPath);
});
