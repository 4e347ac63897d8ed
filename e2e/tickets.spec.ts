// "My tickets": a fan buys tickets through the API (admitted by the real worker) and finds them on
// /tickets with their QR codes, refunds them into "Cancelled", and passes one to a friend who accepts it
// and gets a new code; holds are found, filtered, paged through and released there; nobody else sees any of
// it. Uses Aurora Skies in Harbor Arena, which no spec reconfigures; seats are picked at random so parallel
// runs do not collide.
import { randomUUID } from "node:crypto";
import type { APIRequestContext, Browser, Page } from "@playwright/test";
import QRCode from "qrcode";
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
            return {
              id,
              label: `Section ${section.name}, row ${row.label}, seat ${number}`,
              tier: tier.name,
              priceMinor,
              feeMinor,
              currency,
            };
          }),
      ),
    );
  const picked = shuffled(free).slice(0, count);
  expect(picked).toHaveLength(count);
  return picked;
}

async function otherFanContext(browser: Browser, baseURL: string | undefined, user = makeUser("other")) {
  const context = await browser.newContext({ baseURL });
  await signUpViaApi(context.request, user);
  await signInViaApi(context.request, user);
  return context;
}

/** Admitted, holds the seats, tops up exactly the total and pays: the fan's order. */
async function buy(request: APIRequestContext, showtimeId: string, seats: PickedSeat[]): Promise<{ orderId: string }> {
  const accessToken = await admit(request, showtimeId);
  const { holdId } = await trpcMutation<{ holdId: string }>(request, "holds.create", {
    showtimeId,
    accessToken,
    seatIds: seats.map((s) => s.id),
  });
  const amountMinor = seats.reduce((sum, s) => sum + s.priceMinor + s.feeMinor, 0);
  await trpcMutation(request, "wallet.topUp", { currency: seats[0]!.currency, amountMinor, idempotencyKey: randomUUID() });
  return trpcMutation<{ orderId: string }>(request, "orders.checkout", { showtimeId, accessToken, holdId, idempotencyKey: randomUUID() });
}

type ListedTicket = { id: string; code: string | null; seat: { id: number } };
const validTickets = (request: APIRequestContext) =>
  trpcQuery<{ items: ListedTicket[] }>(request, "tickets.list", { status: "VALID" }).then((page) => page.items);

/** The QR's drawing (the dark modules' path), from the page or from qrcode itself. */
const modulesOf = (svg: string) => [...svg.matchAll(/ d="([^"]+)"/g)].at(-1)?.[1];
const drawnQr = async (page: Page, seat: PickedSeat) =>
  modulesOf(await page.getByRole("img", { name: `QR code for ${seat.label}` }).evaluate((el) => el.outerHTML));
const expectedQr = async (code: string) => modulesOf(await QRCode.toString(code, { type: "svg", margin: 1, errorCorrectionLevel: "M" }));

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
    const otherHolds = otherPage.getByRole("region", { name: "Holds" });
    await expect(otherHolds.getByRole("heading", { name: "No holds yet" })).toBeVisible();
    await expect(otherHolds.getByRole("link", { name: "Browse concerts" })).toHaveAttribute("href", "/");
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

test("bought tickets show under their show with QR codes drawn from their codes; refunded, they fold into Cancelled", async ({
  signedInPage: page,
}) => {
  test.setTimeout(90_000);
  const request = page.request;
  const showtimeId = await arenaShowtime(request);
  const map = await trpcQuery<SeatMap>(request, "showtimes.seatMap", { showtimeId });
  const seats = pickSeats(map, 2);
  const { orderId } = await buy(request, showtimeId, seats);
  const listed = await validTickets(request);
  expect(listed).toHaveLength(2);

  await page.goto("/tickets");
  const tickets = page.getByRole("region", { name: "Tickets" });
  const show = tickets.getByRole("listitem").filter({ has: page.getByRole("heading", { level: 3, name: SEED.aurora.title }) });
  await expect(show).toHaveCount(1);
  await expect(show.getByRole("link", { name: SEED.aurora.title })).toHaveAttribute("href", `/concerts/${SEED.aurora.slug}`);
  await expect(show).toContainText(`${map.venue.name}, ${map.venue.city}`);
  await expect(show).toContainText("2 tickets");

  for (const seat of seats) {
    const card = show.getByRole("article", { name: seat.label });
    await expect(card.getByRole("img", { name: `QR code for ${seat.label}` })).toBeVisible();
    await expect(card).toContainText(formatMoney(seat.priceMinor, seat.currency));
    await expect(card).toContainText(seat.tier);
    await expect(card.getByRole("link", { name: `View order for ${seat.label}` })).toHaveAttribute("href", `/orders/${orderId}`);
    await expect(card.getByText("Received from a friend")).toHaveCount(0);
    // The QR carries exactly the ticket's code.
    const code = listed.find((t) => t.seat.id === seat.id)!.code!;
    expect(await drawnQr(page, seat)).toBe(await expectedQr(code));
  }

  // Refunded: no upcoming tickets, and the two tickets folded away under "Cancelled" without their codes.
  await trpcMutation(request, "orders.refund", { orderId });
  await page.reload();
  await expect(tickets.getByRole("heading", { name: "No upcoming tickets" })).toBeVisible();
  await expect(tickets.getByRole("img", { name: /^QR code for/ })).toHaveCount(0);
  const cancelled = tickets.getByText("Cancelled (2)");
  await expect(cancelled).toBeVisible();
  await expect(tickets.getByText(seats[0]!.label, { exact: true })).toBeHidden();
  await cancelled.click();
  for (const seat of seats) {
    const line = tickets.getByRole("listitem").filter({ hasText: seat.label });
    await expect(line).toContainText("Cancelled");
    await expect(line).toContainText(SEED.aurora.title);
  }
});

test("a fan sends a ticket to a friend by email; the friend accepts it and gets a new QR code, and the old one is gone", async ({
  signedInPage: page,
  user,
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const request = page.request;
  const showtimeId = await arenaShowtime(request);
  const map = await trpcQuery<SeatMap>(request, "showtimes.seatMap", { showtimeId });
  const [seat] = pickSeats(map, 1);
  await buy(request, showtimeId, [seat!]);
  const [bought] = await validTickets(request);
  const friend = makeUser("friend");
  const friendContext = await otherFanContext(browser, baseURL, friend);

  try {
    await page.goto("/tickets");
    const tickets = page.getByRole("region", { name: "Tickets" });
    const transfers = page.getByRole("region", { name: "Transfers" });
    const card = tickets.getByRole("article", { name: seat!.label });
    await expect(card.getByRole("img", { name: `QR code for ${seat!.label}` })).toBeVisible();
    const oldQr = await drawnQr(page, seat!);
    expect(oldQr).toBe(await expectedQr(bought!.code!));
    await expect(transfers.getByText("No offers waiting.")).toBeVisible();
    await expect(transfers.getByText("No transfers yet.")).toBeVisible();

    // The form checks the address, and the server refuses the fan's own, on the field.
    await card.getByRole("button", { name: /^Send to a friend/ }).click();
    const form = card.getByRole("form", { name: `Send ${seat!.label} to a friend` });
    const email = form.getByLabel("Friend’s email");
    await expect(email).toBeFocused();
    await form.getByRole("button", { name: "Send offer" }).click();
    await expect(form.getByText("Enter the email address of the fan to send it to.")).toBeVisible();
    await email.fill("not-an-email");
    await expect(form.getByText("Enter an email address like name@example.com.")).toBeVisible();
    await email.fill(user.email.toUpperCase());
    await form.getByRole("button", { name: "Send offer" }).click();
    await expect(form.getByText("That's your own email address.")).toBeVisible();
    await expect(email).toHaveAttribute("aria-invalid", "true");
    await expect(email).toBeFocused();

    // Offered, then cancelled: the ticket and its QR stay the fan's throughout.
    await email.fill(friend.email);
    await form.getByRole("button", { name: "Send offer" }).click();
    await expect(form).toHaveCount(0);
    await expect(card).toContainText(new RegExp(`Offered to ${friend.email.toLowerCase()} until \\w{3} \\d{1,2}, \\d{1,2}:\\d{2}\\s[AP]M`));
    await expect(card.getByRole("img", { name: `QR code for ${seat!.label}` })).toBeVisible();
    await expect(page.getByRole("status").filter({ hasText: `Offered ${seat!.label} to ${friend.email.toLowerCase()}` })).toBeAttached();
    const history = transfers.getByRole("list", { name: "History" });
    await expect(history.getByRole("listitem")).toHaveCount(1);
    await expect(history.getByRole("listitem").first()).toContainText("Pending");
    await card.getByRole("button", { name: /^Cancel offer/ }).click();
    await expect(card.getByRole("button", { name: /^Send to a friend/ })).toBeFocused();
    await expect(history.getByRole("listitem").first()).toContainText("Cancelled");

    // Offered again; the friend sees it, pointed to from the top of the page, and accepts.
    await card.getByRole("button", { name: /^Send to a friend/ }).click();
    await form.getByLabel("Friend’s email").fill(friend.email);
    await form.getByRole("button", { name: "Send offer" }).click();
    await expect(card.getByRole("button", { name: /^Cancel offer/ })).toBeVisible();

    const friendPage = await friendContext.newPage();
    await friendPage.goto("/tickets");
    const friendTickets = friendPage.getByRole("region", { name: "Tickets" });
    const friendTransfers = friendPage.getByRole("region", { name: "Transfers" });
    await expect(friendTickets.getByText("A friend sent you a ticket.")).toBeVisible();
    await expect(friendTickets.getByRole("heading", { name: "No upcoming tickets" })).toBeVisible();
    const offer = friendTransfers.getByRole("article", { name: `From ${user.name} ${SEED.aurora.title}` });
    await expect(offer).toContainText(seat!.label);
    await expect(offer).toContainText(/Answer by \w{3} \d{1,2}, \d{1,2}:\d{2}\s[AP]M/);
    // The withdrawn offer is the friend's history already.
    await expect(friendTransfers.getByRole("list", { name: "History" })).toContainText(`From ${user.name}; the offer was withdrawn`);
    await offer.getByRole("button", { name: `Accept the ticket from ${user.name}` }).click();

    const received = friendTickets.getByRole("article", { name: seat!.label });
    await expect(received.getByRole("img", { name: `QR code for ${seat!.label}` })).toBeVisible();
    await expect(received.getByText("Received from a friend")).toBeVisible();
    await expect(received.getByRole("link", { name: /View order/ })).toHaveCount(0);
    await expect(offer).toHaveCount(0);
    await expect(friendTransfers.getByText("No offers waiting.")).toBeVisible();
    await expect(friendTransfers.getByRole("list", { name: "History" }).getByRole("listitem").first()).toContainText(
      `From ${user.name}; you accepted it`,
    );
    // A new code, so the QR the sender had is void; the page draws the friend's new code.
    const [friendsTicket] = await validTickets(friendContext.request);
    expect(friendsTicket!.id).toBe(bought!.id);
    expect(friendsTicket!.code).not.toBe(bought!.code);
    const newQr = await drawnQr(friendPage, seat!);
    expect(newQr).not.toBe(oldQr);
    expect(newQr).toBe(await expectedQr(friendsTicket!.code!));

    // The sender's page: the ticket is gone and the offer reads as accepted.
    await page.reload();
    await expect(tickets.getByRole("heading", { name: "No upcoming tickets" })).toBeVisible();
    await expect(card).toHaveCount(0);
    const latest = history.getByRole("listitem").first();
    await expect(latest).toContainText("Accepted");
    await expect(latest).toContainText(`Sent to ${friend.email.toLowerCase()}, who accepted it`);
    await expect(history.getByRole("listitem")).toHaveCount(2);
    expect(await validTickets(request)).toHaveLength(0);
  } finally {
    await friendContext.close();
  }
});
