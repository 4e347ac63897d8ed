// "My tickets": a fan holds seats through the API (admitted by the real worker) and finds, filters, pages
// through and releases their holds on /tickets; nobody else sees them. Uses Aurora Skies in Harbor Arena,
// which no spec reconfigures; seats are picked at random so parallel runs do not collide.
import type { APIRequestContext, Browser } from "@playwright/test";
import { formatMoney } from "../server/domain/money";
import { expect, makeUser, SEED, signInViaApi, signUpViaApi, test, trpcMutation, trpcQuery } from "./fixtures";

type Currency = "KRW" | "USD";
type SeatMap = {
  venue: { name: string; city: string };
  tiers: { name: string; priceMinor: number; feeMinor: number; currency: Currency }[];
  sections: { name: string; rows: { label: string; seats: [number, number, number, number, number, number][] }[] }[];
};
type PickedSeat = { id: number; label: string; tier: string; priceMinor: number; feeMinor: number; currency: Currency };

async function arenaShowtime(request: APIRequestContext): Promise<string> {
  const concert = await trpcQuery<{ showtimes: { id: string; saleStatus: string; venue: { name: string } }[] }>(
    request,
    "catalog.concert",
    { slug: SEED.aurora.slug },
  );
  const showtime = concert.showtimes.find((s) => s.saleStatus === "ON_SALE" && s.venue.name === "Harbor Arena");
  expect(showtime, "no on-sale Harbor Arena showtime of Aurora Skies").toBeDefined();
  return showtime!.id;
}

/** Joins the waiting room and waits for the worker's tick to admit the fan; returns the access token. */
async function admit(request: APIRequestContext, showtimeId: string): Promise<string> {
  await trpcMutation(request, "waitingRoom.join", { showtimeId });
  let token: string | undefined;
  await expect
    .poll(
      async () => {
        const status = await trpcQuery<{ state: string; accessToken?: string }>(request, "waitingRoom.status", { showtimeId });
        token = status.accessToken;
        return status.state;
      },
      { timeout: 20_000, intervals: [250, 500, 1_000] },
    )
    .toBe("READY");
  return token!;
}

const shuffled = <T>(xs: T[]) =>
  xs
    .map((x) => [Math.random(), x] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([, x]) => x);

/** `count` available seats at random in numbered sections ("Section 104, row …"). */
function pickSeats(map: SeatMap, count: number): PickedSeat[] {
  const free = map.sections
    .filter((s) => /^\d+$/.test(s.name))
    .flatMap((section) =>
      section.rows.flatMap((row) =>
        row.seats
          .filter((seat) => seat[5] === 0)
          .map(([id, number, , , tierIdx]): PickedSeat => {
            const tier = map.tiers[tierIdx]!;
            const { priceMinor, feeMinor, currency } = tier;
            return { id, label: `Section ${section.name}, row ${row.label}, seat ${number}`, tier: tier.name, priceMinor, feeMinor, currency };
          }),
      ),
    );
  const picked = shuffled(free).slice(0, count);
  expect(picked).toHaveLength(count);
  return picked;
}

async function otherFanContext(browser: Browser, baseURL: string | undefined) {
  const context = await browser.newContext({ baseURL });
  const user = makeUser("other");
  await signUpViaApi(context.request, user);
  await signInViaApi(context.request, user);
  return context;
}

test("a fan finds their hold on My tickets, filters it, and releases it there; nobody else sees it", async ({
  signedInPage: page,
  browser,
  baseURL,
}) => {
  test.setTimeout(90_000);
  const request = page.request;
  const showtimeId = await arenaShowtime(request);
  const map = await trpcQuery<SeatMap>(request, "showtimes.seatMap", { showtimeId });
  const seats = pickSeats(map, 2);
  const accessToken = await admit(request, showtimeId);
  const { holdId } = await trpcMutation<{ holdId: string }>(request, "holds.create", {
    showtimeId,
    accessToken,
    seatIds: seats.map((s) => s.id),
  });
  let released = false;
  try {
    await page.goto("/tickets");
    await expect(page.getByRole("heading", { level: 1, name: "My tickets" })).toBeVisible();
    await expect(page).toHaveTitle(/^My tickets · Onsale/);
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My tickets" })).toHaveAttribute(
      "aria-current",
      "page",
    );
    const holds = page.getByRole("region", { name: "Holds" });
    const card = holds.getByRole("article", { name: SEED.aurora.title });
    await expect(card).toHaveCount(1);

    // What, where, which seats at what price, and the total with fees.
    await expect(card.getByRole("link", { name: SEED.aurora.title })).toHaveAttribute("href", `/concerts/${SEED.aurora.slug}`);
    await expect(card).toContainText(`${map.venue.name}, ${map.venue.city}`);
    for (const seat of seats) {
      const line = card.getByRole("listitem").filter({ hasText: seat.label });
      await expect(line).toContainText(seat.tier);
      await expect(line).toContainText(formatMoney(seat.priceMinor, seat.currency));
    }
    const total = seats.reduce((sum, s) => sum + s.priceMinor + s.feeMinor, 0);
    await expect(card.getByText(formatMoney(total, seats[0]!.currency), { exact: true })).toBeVisible();

    // Live: the badge, the countdown, and the way back to the seat map.
    await expect(card.getByText("Active", { exact: true })).toBeVisible();
    await expect(card).toContainText(/Held until \d{1,2}:\d{2}\s[AP]M \(\d+:\d{2} left\)/);
    await expect(card.getByRole("link", { name: "Continue with these seats" })).toHaveAttribute("href", `/showtimes/${showtimeId}`);

    // Filters live in the URL.
    const filters = page.getByRole("navigation", { name: "Show holds" });
    await filters.getByRole("link", { name: "Active" }).click();
    await expect(page).toHaveURL(/\/tickets\?status=active$/);
    await expect(card).toBeVisible();
    await filters.getByRole("link", { name: "Ended" }).click();
    await expect(page).toHaveURL(/\/tickets\?status=ended$/);
    await expect(holds.getByRole("heading", { name: "No ended holds" })).toBeVisible();
    await expect(card).toHaveCount(0);

    // Another fan sees none of it.
    const other = await otherFanContext(browser, baseURL);
    const otherPage = await other.newPage();
    await otherPage.goto("/tickets");
    await expect(otherPage.getByRole("heading", { name: "No holds yet" })).toBeVisible();
    await expect(otherPage.getByRole("link", { name: "Browse concerts" })).toHaveAttribute("href", "/");
    await expect(otherPage.getByRole("article")).toHaveCount(0);
    await other.close();

    // Release with one click: the hold stays listed as released, and the seats are free again.
    await filters.getByRole("link", { name: "All" }).click();
    await expect(page).toHaveURL(/\/tickets$/);
    await card.getByRole("button", { name: "Release" }).click();
    await expect(card.getByText("Released", { exact: true })).toBeVisible();
    released = true;
    await expect(card.getByRole("button", { name: "Release" })).toHaveCount(0);
    await expect(card.getByRole("link", { name: "Continue with these seats" })).toHaveCount(0);
    await expect(page.getByRole("status").filter({ hasText: `Released your seats for ${SEED.aurora.title}.` })).toBeAttached();
    const after = await trpcQuery<SeatMap>(request, "showtimes.seatMap", { showtimeId });
    const statusOf = (id: number) => after.sections.flatMap((s) => s.rows.flatMap((r) => r.seats)).find((seat) => seat[0] === id)?.[5];
    for (const seat of seats) expect(statusOf(seat.id)).toBe(0);

    await filters.getByRole("link", { name: "Ended" }).click();
    await expect(card.getByText("Released", { exact: true })).toBeVisible();
    await filters.getByRole("link", { name: "Active" }).click();
    await expect(holds.getByRole("heading", { name: "No active holds" })).toBeVisible();
  } finally {
    if (!released) await request.post("/api/trpc/holds.release", { data: { json: { holdId } } });
    await trpcMutation(request, "waitingRoom.leave", { showtimeId });
  }
});

test("older holds come a page at a time with Load more", async ({ signedInPage: page }) => {
  test.setTimeout(90_000);
  const request = page.request;
  const showtimeId = await arenaShowtime(request);
  const map = await trpcQuery<SeatMap>(request, "showtimes.seatMap", { showtimeId });
  const accessToken = await admit(request, showtimeId);
  // Eleven one-seat holds, each let go at once, so the per-fan limit never comes into it; a page is ten.
  const seats = pickSeats(map, 11);
  for (const seat of seats) {
    const { holdId } = await trpcMutation<{ holdId: string }>(request, "holds.create", { showtimeId, accessToken, seatIds: [seat.id] });
    await trpcMutation(request, "holds.release", { holdId });
  }
  await trpcMutation(request, "waitingRoom.leave", { showtimeId });

  await page.goto("/tickets?status=ended");
  const holds = page.getByRole("region", { name: "Holds" });
  const cards = holds.getByRole("article");
  await expect(cards).toHaveCount(10);
  // Newest first: the last seat held leads.
  await expect(cards.first()).toContainText(seats[10]!.label);
  await holds.getByRole("button", { name: "Load more" }).click();
  await expect(cards).toHaveCount(11);
  await expect(cards.last()).toContainText(seats[0]!.label);
  await expect(holds.getByRole("button", { name: "Load more" })).toHaveCount(0);
});

test("a signed-out visitor is sent to sign in, with My tickets as the way back", async ({ page }) => {
  await page.goto("/tickets");
  await expect(page).toHaveURL(`/sign-in?callbackUrl=${encodeURIComponent("/tickets")}`);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My tickets" })).toHaveCount(0);
  await page.goto("/tickets?status=active");
  await expect(page).toHaveURL(`/sign-in?callbackUrl=${encodeURIComponent("/tickets?status=active")}`);
});
