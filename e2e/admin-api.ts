// Admin work done through the API for specs that test another page: a published concert with an on-sale
// showtime, a fan's purchase, a signed-in browser context.
import { randomUUID } from "node:crypto";
import type { APIRequestContext, Browser } from "@playwright/test";
import { expect, signInViaApi, trpcMutation, trpcQuery, type TestUser } from "./fixtures";

/** Every ticket of a showtime made here: one tier at this price and fee, in minor units of its currency. */
export const PRICE = 50_000;
export const FEE = 2_000;

type Venue = { id: string; name: string; seatCount: number; sections: { name: string }[] };
type SeatMap = { sections: { rows: { seats: [number, number, number, number, number, number][] }[] }[] };

/** A published concert with one on-sale showtime at a small seed venue, made through the admin API. */
export async function createOnSaleShowtime(
  request: APIRequestContext,
  { waitingRoom, currency = "KRW", title }: { waitingRoom: boolean; currency?: "KRW" | "USD"; title?: string },
) {
  const venues = await trpcQuery<Venue[]>(request, "admin.venues.list", undefined);
  // Rolling Hall, the seed's 300-seat club: small enough to lay out in a moment.
  const venue = venues.find((v) => v.name === "Rolling Hall") ?? [...venues].sort((a, b) => a.seatCount - b.seatCount)[0]!;
  expect(venue.seatCount).toBeGreaterThan(0);
  const id = randomUUID().slice(0, 8);
  const concert = await trpcMutation<{ id: string; title: string }>(request, "admin.concerts.create", {
    slug: `e2e-live-${id}`,
    title: title ?? `E2E Live ${id}`,
    artist: "The Test Pattern",
    category: "Rock",
  });
  await trpcMutation(request, "admin.concerts.setStatus", { concertId: concert.id, status: "PUBLISHED" });
  const day = 24 * 3_600_000;
  const startsAt = Date.now() + 30 * day;
  const showtime = await trpcMutation<{ id: string; seatCount: number }>(request, "admin.showtimes.create", {
    concertId: concert.id,
    venueId: venue.id,
    startsAt: new Date(startsAt).toISOString(),
    doorsAt: new Date(startsAt - 3_600_000).toISOString(),
    generalSaleStartsAt: new Date(Date.now() - 3_600_000).toISOString(),
    saleEndsAt: new Date(startsAt - day).toISOString(),
    holdSeconds: 300,
    holdExtendSeconds: 120,
    perUserLimit: 8,
    refundCutoffHours: 24,
    tiers: [{ name: "General", priceMinor: PRICE, feeMinor: FEE, currency, color: "#4c2fd8" }],
    tierBySection: Object.fromEntries(venue.sections.map((s) => [s.name, "General"])),
    // Off: a fan who joins is admitted at once, with no worker tick to wait for.
    waitingRoom: waitingRoom ? { enabled: true, batchSize: 5, intervalMs: 1_000, maxActive: 100 } : { enabled: false },
    publish: true,
  });
  return { showtimeId: showtime.id, seats: showtime.seatCount, title: concert.title, concertId: concert.id };
}

export async function signedInContext(browser: Browser, baseURL: string | undefined, who: Pick<TestUser, "email" | "password">) {
  const context = await browser.newContext({ baseURL });
  await signInViaApi(context.request, who);
  return context;
}

/** The fan's whole purchase through the API: join, admitted, hold one free seat, top up, pay. */
export async function buyOneSeat(request: APIRequestContext, showtimeId: string, currency: "KRW" | "USD" = "KRW"): Promise<string> {
  await trpcMutation(request, "waitingRoom.join", { showtimeId });
  let accessToken: string | undefined;
  await expect
    .poll(
      async () => {
        const status = await trpcQuery<{ state: string; accessToken?: string }>(request, "waitingRoom.status", { showtimeId });
        accessToken = status.accessToken;
        return status.state;
      },
      { timeout: 15_000, intervals: [250, 500, 1_000] },
    )
    .toBe("READY");
  const map = await trpcQuery<SeatMap>(request, "showtimes.seatMap", { showtimeId });
  const seat = map.sections.flatMap((s) => s.rows.flatMap((r) => r.seats)).find((s) => s[5] === 0);
  expect(seat, "no free seat").toBeDefined();
  const { holdId } = await trpcMutation<{ holdId: string }>(request, "holds.create", { showtimeId, accessToken, seatIds: [seat![0]] });
  await trpcMutation(request, "wallet.topUp", { currency, amountMinor: PRICE + FEE, idempotencyKey: randomUUID() });
  const paid = await trpcMutation<{ orderId: string }>(request, "orders.checkout", {
    showtimeId,
    accessToken,
    holdId,
    idempotencyKey: randomUUID(),
  });
  return paid.orderId;
}
