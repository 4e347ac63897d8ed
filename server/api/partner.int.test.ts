// The partner price API against its spec's shapes, byte for byte: 200 with prices per option, 403 for
// every bad credential, 404 for an unknown product, and the per-key rate limit.
import { describe, expect, it } from "vitest";
import { prisma } from "../db.ts";
import { createChannel, issueApiKey, revokeApiKey } from "../domain/channels/channels.ts";
import { makeConcert, makeUser, uniq } from "../../test/support/factories.ts";
import { handlePartnerPrice } from "./partner.ts";

async function partner() {
  const admin = await makeUser({ role: "ADMIN" });
  const code = uniq("chan");
  const channel = await createChannel({ code, name: "Partner" }, admin.id);
  const { key, id } = await issueApiKey({ channelId: channel.id, name: "feed" }, admin.id);
  return { admin, code, key, keyId: id };
}

function request(productId: string, headers: Record<string, string>) {
  return handlePartnerPrice(new Request(`http://localhost/v1/channel/price/ticket/${productId}`, { headers }), productId);
}

describe("partner price API", () => {
  it("answers the prices of a showtime per price tier, in the partner's format", async () => {
    const { key, code } = await partner();
    const showtime = (await makeConcert()).showtimes[0]!;
    const [gold, silver] = showtime.priceTiers;
    await prisma().priceTier.update({ where: { id: gold!.id }, data: { priceMinor: 12_345_678 } });
    const res = await request(showtime.id, { Authorization: `Token ${key}`, Channel: `Code ${code}` });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.text()).toBe(
      `{"status_code":200,"prices":{"${gold!.id}":{"currency":"1","price":"12345678.00000"},"${silver!.id}":{"currency":"1","price":"80000.00000"}}}`,
    );
    expect(res.headers.get("X-RateLimit-Limit")).toBe("600");

    const usd = (await makeConcert({ currency: "USD" })).showtimes[0]!;
    await prisma().priceTier.update({ where: { id: usd.priceTiers[0]!.id }, data: { priceMinor: 12_950 } });
    const body = (await (await request(usd.id, { Authorization: `Token ${key}`, Channel: `Code ${code}` })).json()) as {
      prices: Record<string, { currency: string; price: string }>;
    };
    expect(body.prices[usd.priceTiers[0]!.id]).toEqual({ currency: "2", price: "129.50000" });
  });

  it("answers 403 with the permission-denied body for a missing, wrong, revoked or other channel's key", async () => {
    const { key, code, admin, keyId } = await partner();
    const other = await partner();
    const showtimeId = (await makeConcert()).showtimes[0]!.id;
    const forbidden = '{"detail":"You do not have permission to perform this action."}';
    const cases: Record<string, string>[] = [
      {},
      { Channel: `Code ${code}` },
      { Authorization: `Token ${key}` },
      { Authorization: `Bearer ${key}`, Channel: `Code ${code}` },
      { Authorization: `Token ${key}x`, Channel: `Code ${code}` },
      { Authorization: `Token ${other.key}`, Channel: `Code ${code}` },
      { Authorization: `Token ${key}`, Channel: `Code ${other.code}` },
    ];
    for (const headers of cases) {
      const res = await request(showtimeId, headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(await res.text()).toBe(forbidden);
    }
    await revokeApiKey(keyId, admin.id);
    const revoked = await request(showtimeId, { Authorization: `Token ${key}`, Channel: `Code ${code}` });
    expect([revoked.status, await revoked.text()]).toEqual([403, forbidden]);
  });

  it("answers 404 with a message for an unknown or unpublished product", async () => {
    const { key, code } = await partner();
    const draft = (await makeConcert({ showtimes: [{ inDays: 5, status: "DRAFT" }] })).showtimes[0]!.id;
    for (const productId of ["no-such-product", draft, "bad id!"]) {
      const res = await request(encodeURIComponent(productId), { Authorization: `Token ${key}`, Channel: `Code ${code}` });
      expect(res.status).toBe(404);
      expect(await res.text()).toBe('{"message":"Not found."}');
    }
  });
});
