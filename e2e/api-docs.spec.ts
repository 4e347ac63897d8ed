// The API reference page and the document it is rendered from, as a partner developer would open them.
import { expect, test } from "./fixtures";

test("the API reference lists every section and operation from the OpenAPI document", async ({ page, request }) => {
  const doc = (await (await request.get("/api/v1/openapi.json")).json()) as {
    openapi: string;
    paths: Record<string, Record<string, unknown>>;
  };
  expect(doc.openapi).toBe("3.1.0");
  await page.goto("/");
  await page.getByRole("contentinfo").getByRole("link", { name: "API for developers" }).click();
  await expect(page).toHaveURL(/\/api-docs$/);
  await expect(page.getByRole("heading", { level: 1, name: "Onsale API" })).toBeVisible();
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
  for (const name of operations) await expect(page.getByRole("region", { name, exact: true })).toBeVisible();
  const hold = page.getByRole("region", { name: "POST /showtimes/{showtimeId}/holds", exact: true });
  await expect(hold.getByRole("table", { name: "JSON body" })).toContainText("seatIds");
  await expect(hold).toContainText("X-Access-Token");
});

test("the REST API answers in its error format over real HTTP, with rate-limit headers", async ({ request }) => {
  const res = await request.get("/api/v1/wallet");
  expect(res.status()).toBe(401);
  expect(await res.json()).toMatchObject({
    error: { code: "UNAUTHENTICATED", request_id: expect.any(String), timestamp: expect.any(String) },
  });
  const search = await request.get("/api/v1/concerts?pageSize=2");
  expect(search.status()).toBe(200);
  expect(Number(search.headers()["x-ratelimit-limit"])).toBeGreaterThan(0);
});
