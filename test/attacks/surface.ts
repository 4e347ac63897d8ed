// The attack surface in one place, for the authorization matrix and the fuzzer: who may call each tRPC
// procedure (a table the tests hold against the router, so a new procedure fails them until it is
// classified), a small world of fans' things to aim at, a valid input for every procedure, and a
// fingerprint of the database that proves a refused call changed nothing.
import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { prisma } from "../../server/db.ts";
import { appRouter, createCaller } from "../../server/api/root.ts";
import { handlePartnerPrice } from "../../server/api/partner.ts";
import { handleRestRequest } from "../../server/api/rest/handler.ts";
import { REST_ROUTES, type RestRoute } from "../../server/api/rest/routes.ts";
import { handleTokenRequest } from "../../server/api/rest/token.ts";
import { createContext } from "../../server/api/trpc.ts";
import { sessionUserOf } from "../../server/session.ts";
import type { SessionUser } from "../../server/domain/auth/users.ts";
import { AppError, ERROR_CODES, type ErrorCode } from "../../server/domain/errors.ts";
import { admitFan, makeConcert, makeUser, uniq } from "../support/factories.ts";

// 1. Who may call what -----------------------------------------------------------------------------

/** A fan's things that a procedure may name by id; the owner is the one who may act on it. */
export type Owned = "hold" | "order" | "ticket" | "transfer:sender" | "transfer:recipient" | "card";

export type Access =
  /** Anyone, signed in or not. */
  | { who: "public" }
  /** Any signed-in fan (an admin too), acting on their own account; a showtime id names no one's thing. */
  | { who: "user"; gated?: true }
  /** A signed-in fan naming one of their own things by id; anyone else's is NOT_FOUND or FORBIDDEN. */
  | { who: "owner"; owns: Owned; gated?: true }
  /** Admins only (the role read from the database). */
  | { who: "admin" };

const PUBLIC = { who: "public" } as const;
const USER = { who: "user" } as const;
const ADMIN = { who: "admin" } as const;
const owner = (owns: Owned, gated?: true): Access => (gated ? { who: "owner", owns, gated } : { who: "owner", owns });

/** Every tRPC procedure, classified. `gated`: behind the waiting room too (an access token of one's own). */
export const ACCESS: Record<string, Access> = {
  "admin.venues.list": ADMIN,
  "admin.venues.create": ADMIN,
  "admin.concerts.list": ADMIN,
  "admin.concerts.create": ADMIN,
  "admin.concerts.update": ADMIN,
  "admin.concerts.setStatus": ADMIN,
  "admin.concerts.uploadPoster": ADMIN,
  "admin.whoami": ADMIN,
  "admin.showtimes.byId": ADMIN,
  "admin.showtimes.create": ADMIN,
  "admin.showtimes.update": ADMIN,
  "admin.showtimes.setStatus": ADMIN,
  "admin.showtimes.setSectionTier": ADMIN,
  "admin.presale.get": ADMIN,
  "admin.presale.updateSettings": ADMIN,
  "admin.presale.createCodes": ADMIN,
  "admin.presale.revokeCode": ADMIN,
  "admin.presale.addToList": ADMIN,
  "admin.presale.removeFromList": ADMIN,
  "admin.showtimes.live": ADMIN,
  "admin.orders.search": ADMIN,
  "admin.orders.byId": ADMIN,
  "admin.orders.refund": ADMIN,
  "admin.channels.list": ADMIN,
  "admin.channels.create": ADMIN,
  "admin.channels.issueKey": ADMIN,
  "admin.channels.revokeKey": ADMIN,
  "admin.audit": ADMIN,
  "admin.dashboard": ADMIN,

  "auth.signUp": PUBLIC,
  "auth.me": USER,

  "catalog.home": PUBLIC,
  "catalog.search": PUBLIC,
  "catalog.cities": PUBLIC,
  "catalog.concert": PUBLIC,

  "holds.create": { who: "user", gated: true },
  "holds.bestAvailable": { who: "user", gated: true },
  "holds.extend": owner("hold", true),
  "holds.release": owner("hold"),
  // Takes a holdId filter, but only ever lists the caller's own holds: another fan's id finds nothing.
  "holds.mine": USER,
  "holds.byId": owner("hold"),

  "orders.checkout": owner("hold", true),
  "orders.list": USER,
  "orders.byId": owner("order"),
  "orders.refund": owner("order"),

  "paymentMethods.list": USER,
  "paymentMethods.add": USER,
  "paymentMethods.setDefault": owner("card"),
  "paymentMethods.remove": owner("card"),

  "showtimes.byId": PUBLIC,
  "showtimes.selection": { who: "user", gated: true },
  "showtimes.seatMap": PUBLIC,
  "showtimes.seatStatus": PUBLIC,
  "showtimes.seatChanges": PUBLIC,
  "showtimes.presaleStanding": USER,
  "showtimes.redeemPresaleCode": USER,

  "tickets.list": USER,
  "tickets.transfers": USER,
  "tickets.offerTransfer": owner("ticket"),
  "tickets.cancelTransfer": owner("transfer:sender"),
  "tickets.acceptTransfer": owner("transfer:recipient"),
  "tickets.declineTransfer": owner("transfer:recipient"),

  "waitingRoom.join": USER,
  "waitingRoom.status": USER,
  "waitingRoom.leave": USER,
  "waitingRoom.proof": USER,
  "waitingRoom.stillHere": { who: "user", gated: true },
  "waitingRoom.reclaim": USER,
  "waitingRoom.watch": USER,
  "waitingRoom.settings": ADMIN,
  "waitingRoom.updateSettings": ADMIN,
  "waitingRoom.stats": ADMIN,

  "wallet.balances": USER,
  "wallet.topUp": USER,
  "wallet.ledger": USER,
};

/** The partner API (server/http/api-routes.ts): a channel's API key, and nothing else, opens it. */
export const PARTNER_ROUTES = ["/v1/channel/price/ticket/{product_id}"];

export type ProcedureType = "query" | "mutation" | "subscription";
type ProcedureDef = { _def: { type: ProcedureType; inputs: { safeParse(v: unknown): { success: boolean } }[] } };

/** Every procedure of the app router by dotted path, with its type and input parsers. */
export function procedures(): Map<string, ProcedureDef["_def"]> {
  const all = appRouter._def.procedures as unknown as Record<string, ProcedureDef>;
  return new Map(Object.entries(all).map(([path, p]) => [path, p._def]));
}

/** Whether the procedure's own parsers accept `input` (every `.input()` sees the whole raw input). */
export function schemaAccepts(path: string, input: unknown): boolean {
  return procedures()
    .get(path)!
    .inputs.every((parser) => parser.safeParse(input).success);
}

export function restRouteOf(path: string): RestRoute | undefined {
  return REST_ROUTES.find((r) => r.procedure === path);
}

// 2. Calling and reading answers -------------------------------------------------------------------

export type Caller = ReturnType<typeof createCaller>;

export function callerFor(user: SessionUser | null, ip = "unknown"): Caller {
  return createCaller(createContext({ user, ip }));
}

/** Walks the caller proxy by the dotted path, as a client addresses the procedure. */
export function call(caller: Caller, path: string, input: unknown): Promise<unknown> {
  const fn = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (
    i: unknown,
  ) => Promise<unknown>;
  return fn(input);
}

export type Outcome =
  | { ok: true; data: unknown }
  | { ok: false; appCode: ErrorCode; status: number; trpcCode: string; message: string; error: unknown };

const trpcToApp = (code: string): ErrorCode =>
  (Object.keys(ERROR_CODES) as ErrorCode[]).find((c) => ERROR_CODES[c].trpc === code) ??
  (code === "INTERNAL_SERVER_ERROR" ? "INTERNAL" : "BAD_REQUEST");

/** The answer as the error formatter would give it: the app code and its HTTP status. */
export function outcomeOf(error: unknown): Outcome & { ok: false } {
  const trpcCode = error instanceof TRPCError ? error.code : "INTERNAL_SERVER_ERROR";
  const cause = error instanceof TRPCError ? error.cause : error;
  let appCode: ErrorCode;
  if (cause instanceof AppError) appCode = cause.code;
  else if (cause instanceof ZodError && trpcCode !== "INTERNAL_SERVER_ERROR") appCode = "VALIDATION_FAILED";
  else appCode = trpcToApp(trpcCode);
  // A tRPC answer's status follows its tRPC code (BAD_REQUEST 400 for a refused input), REST's the app code.
  const status =
    trpcCode === "INTERNAL_SERVER_ERROR"
      ? 500
      : appCode === "VALIDATION_FAILED" && trpcCode === "BAD_REQUEST"
        ? 400
        : ERROR_CODES[appCode].status;
  return { ok: false, appCode, status, trpcCode, message: error instanceof Error ? error.message : String(error), error };
}

export async function attempt(caller: Caller, path: string, input: unknown): Promise<Outcome> {
  try {
    return { ok: true, data: await call(caller, path, input) };
  } catch (error) {
    return outcomeOf(error);
  }
}

/** One subscription event, or the refusal of the subscription itself. */
export async function firstEvent(caller: Caller, path: string, input: unknown): Promise<Outcome> {
  try {
    const iterable = (await call(caller, path, input)) as AsyncIterable<unknown>;
    const stream = iterable[Symbol.asyncIterator]();
    try {
      const first = await Promise.race([
        stream.next(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${path}: no event within 10 s`)), 10_000)),
      ]);
      return { ok: true, data: first.done ? undefined : first.value };
    } finally {
      await stream.return?.();
    }
  } catch (error) {
    return outcomeOf(error);
  }
}

// 3. The database's fingerprint --------------------------------------------------------------------

/**
 * Each table's row count and an md5 of its rows in id order. Whole rows (updatedAt included, so any
 * write shows), except an API key's lastUsedAt, which a partner's read moves on purpose.
 */
const FINGERPRINTED: Record<string, string> = {
  User: `t::text`,
  Wallet: `t::text`,
  LedgerEntry: `t::text`,
  Hold: `t::text`,
  Seat: `t::text`,
  Order: `t::text`,
  Payment: `t::text`,
  Ticket: `t::text`,
  TicketTransfer: `t::text`,
  Showtime: `t::text`,
  PriceTier: `t::text`,
  Concert: `t::text`,
  Venue: `t::text`,
  Channel: `t::text`,
  ApiKey: `(t.id, t.name, t.prefix, t.hash, t."revokedAt", t."channelId")::text`,
  AuditLog: `t::text`,
};

const FINGERPRINT_SQL = Object.entries(FINGERPRINTED)
  .map(
    ([table, row]) =>
      `SELECT '${table}' AS t, count(*)::int AS n, md5(coalesce(string_agg(${row}, '|' ORDER BY t.id), '')) AS sum FROM "${table}" t`,
  )
  .join("\nUNION ALL\n");

export type Fingerprint = Record<string, string>;

export async function fingerprint(): Promise<Fingerprint> {
  const rows = await prisma().$queryRawUnsafe<{ t: string; n: number; sum: string }[]>(FINGERPRINT_SQL);
  return Object.fromEntries(rows.map((r) => [r.t, `${r.n}:${r.sum}`]));
}

// 4. A world to aim at -----------------------------------------------------------------------------

export type Person = SessionUser & { password: string };

/** One signed-in person's things in the showtime: two live holds, a paid order, tickets, transfers. */
export type Things = {
  accessToken: string;
  /** Live holds: one for extending and paying, one for releasing. */
  holdId: string;
  spareHoldId: string;
  orderId: string;
  /** A ticket of the order that stays with its owner (offered to a friend in the tests). */
  ticketId: string;
  /** An offer this person made of another of their tickets, still open. */
  outgoingTransferId: string;
  /** Offers made to this person, still open: one to accept, one to decline. */
  incomingTransferIds: [string, string];
  /** A free seat to name in a hold's input. */
  freeSeatId: number;
  /** A saved card (the sandbox's test Visa). */
  cardId: string;
};

export type World = {
  showtimeId: string;
  concertId: string;
  concertSlug: string;
  venueId: string;
  sectionId: string;
  priceTierId: string;
  channelId: string;
  channelCode: string;
  apiKeyId: string;
  /** A partner's API key, in the clear. */
  apiKey: string;
  /** A shared presale code of the showtime, and its id. */
  presaleCode: string;
  presaleCodeId: string;
};

const people = new Set<string>();

export async function makePerson(role: "USER" | "ADMIN" = "USER"): Promise<Person> {
  const u = await makeUser({ role });
  people.add(u.id);
  return { id: u.id, email: u.email, name: u.name, role: u.role, password: u.password };
}

/**
 * Closes the offers these tests left open. Files share one database, and a later file's sweep of
 * expired offers (transfers.int.test.ts counts what it swept) must find only its own.
 */
export async function closeOpenOffers(): Promise<void> {
  await prisma().ticketTransfer.updateMany({
    where: { status: "PENDING", fromUserId: { in: [...people] } },
    data: { status: "CANCELLED" },
  });
}

export const asSession = (p: Person): SessionUser => ({ id: p.id, email: p.email, name: p.name, role: p.role });

async function freeSeats(showtimeId: string, n: number): Promise<number[]> {
  const seats = await prisma().seat.findMany({
    where: { showtimeId, status: "AVAILABLE" },
    orderBy: { id: "asc" },
    take: n,
    select: { id: true },
  });
  if (seats.length < n) throw new Error("the test showtime ran out of seats");
  return seats.map((s) => s.id);
}

async function unwrap<T>(p: Promise<T>, what: string): Promise<T> {
  try {
    return await p;
  } catch (err) {
    throw new Error(`world setup: ${what} failed: ${(err as Error).message}`);
  }
}

/**
 * Gives `who` their things through the procedures themselves: admitted, money, a paid order of three
 * tickets, two live holds, one ticket offered to `friend`; `friend` (who gets their own order) offers
 * two tickets back.
 */
export async function giveThings(world: World, who: Person, friend: Person): Promise<Things> {
  const { showtimeId } = world;
  const api = callerFor(asSession(who));
  const friendApi = callerFor(asSession(friend));
  const accessToken = await admitFan(showtimeId, who.id);
  const friendToken = await admitFan(showtimeId, friend.id);
  for (const [c, label] of [
    [api, "who"],
    [friendApi, "friend"],
  ] as const) {
    await unwrap(c.wallet.topUp({ currency: "KRW", amountMinor: 2_000_000, idempotencyKey: uniq(`top-${label}`) }), "top-up");
  }
  const paid = await unwrap(api.holds.create({ showtimeId, accessToken, seatIds: await freeSeats(showtimeId, 3) }), "hold to pay");
  const order = await unwrap(
    api.orders.checkout({ showtimeId, accessToken, holdId: paid.holdId, idempotencyKey: uniq("pay") }),
    "checkout",
  );
  const tickets = await prisma().ticket.findMany({ where: { orderId: order.orderId }, orderBy: { id: "asc" }, select: { id: true } });
  // Paying ends the turn: queue again for the live holds.
  const again = await admitFan(showtimeId, who.id);
  const hold = await unwrap(api.holds.create({ showtimeId, accessToken: again, seatIds: await freeSeats(showtimeId, 1) }), "hold");
  const spare = await unwrap(api.holds.create({ showtimeId, accessToken: again, seatIds: await freeSeats(showtimeId, 1) }), "spare hold");
  const outgoing = await unwrap(api.tickets.offerTransfer({ ticketId: tickets[1]!.id, toEmail: friend.email }), "offer");

  const friendHold = await unwrap(
    friendApi.holds.create({ showtimeId, accessToken: friendToken, seatIds: await freeSeats(showtimeId, 2) }),
    "friend's hold",
  );
  const friendOrder = await unwrap(
    friendApi.orders.checkout({ showtimeId, accessToken: friendToken, holdId: friendHold.holdId, idempotencyKey: uniq("pay") }),
    "friend's checkout",
  );
  const friendTickets = await prisma().ticket.findMany({
    where: { orderId: friendOrder.orderId },
    orderBy: { id: "asc" },
    select: { id: true },
  });
  const incoming = [];
  for (const t of friendTickets)
    incoming.push((await unwrap(friendApi.tickets.offerTransfer({ ticketId: t.id, toEmail: who.email }), "offer back")).transferId);
  return {
    accessToken: again,
    holdId: hold.holdId,
    spareHoldId: spare.holdId,
    orderId: order.orderId,
    ticketId: tickets[0]!.id,
    outgoingTransferId: outgoing.transferId,
    incomingTransferIds: [incoming[0]!, incoming[1]!],
    freeSeatId: (await freeSeats(showtimeId, 1))[0]!,
    cardId: (await unwrap(api.paymentMethods.add({ token: "tok_visa", idempotencyKey: uniq("card") }), "card")).id,
  };
}

/** A published concert with a roomy showtime (waiting room on, admitting at once), a channel and a key. */
export async function buildWorld(admin: Person): Promise<World> {
  const concert = await makeConcert({ layout: { rows: 6, seatsPerRow: 10 } });
  const showtime = concert.showtimes[0]!;
  const adminApi = callerFor(asSession(admin));
  const section = await prisma().section.findFirstOrThrow({
    where: { venueId: concert.venue.id },
    orderBy: { sortOrder: "asc" },
    select: { id: true },
  });
  const channelCode = uniq("ch").replace(/-/g, "_");
  const channel = await adminApi.admin.channels.create({ code: channelCode, name: "Partner" });
  const key = await adminApi.admin.channels.issueKey({ channelId: channel.id, name: "partner system" });
  const [presaleCode] = (await adminApi.admin.presale.createCodes({ showtimeId: showtime.id, label: "World", maxUses: 1_000, count: 1 }))
    .codes;
  const { id: presaleCodeId } = await prisma().presaleCode.findFirstOrThrow({
    where: { showtimeId: showtime.id, code: presaleCode },
    select: { id: true },
  });
  return {
    showtimeId: showtime.id,
    concertId: concert.id,
    concertSlug: concert.slug,
    venueId: concert.venue.id,
    sectionId: section.id,
    priceTierId: showtime.priceTiers[0]!.id,
    channelId: channel.id,
    channelCode,
    apiKeyId: key.id,
    apiKey: key.key,
    presaleCode: presaleCode!,
    presaleCodeId,
  };
}

// 5. A valid input for every procedure -------------------------------------------------------------

const DAY = 86_400_000;
const at = (days: number) => new Date(Date.now() + days * DAY);

/**
 * A valid input for each procedure, aimed at the caller's own things (`mine`) in `world`: what a page
 * would send. Procedures without input take `undefined`. Names and keys are fresh on every call.
 */
export function validInput(path: string, world: World, mine: Things): unknown {
  const { showtimeId } = world;
  const gate = { showtimeId, accessToken: mine.accessToken };
  const inputs: Record<string, () => unknown> = {
    "admin.venues.create": () => ({
      slug: uniq("venue"),
      name: "Fuzz Hall",
      city: "Seoul",
      country: "KR",
      address: "1 Test Street",
      timezone: "Asia/Seoul",
      width: 400,
      height: 400,
      stage: { x: 100, y: 10, w: 200, h: 40 },
      sections: [{ name: "Front", rows: 1, seatsPerRow: 2, x: 200, y: 80 }],
    }),
    "admin.concerts.create": () => ({ slug: uniq("concert"), title: "Fuzz", artist: "The Fuzzers", category: "Pop" }),
    "admin.concerts.update": () => ({ concertId: world.concertId, patch: { title: "A new title" } }),
    // The request's body as the HTTP adapter hands it over: a stream (here, a PNG's first bytes).
    "admin.concerts.uploadPoster": () => new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0])]).stream(),
    "admin.concerts.setStatus": () => ({ concertId: world.concertId, status: "PUBLISHED" }),
    "admin.showtimes.byId": () => ({ showtimeId }),
    "admin.showtimes.create": () => ({
      concertId: world.concertId,
      venueId: world.venueId,
      startsAt: at(30),
      doorsAt: new Date(at(30).getTime() - 3_600_000),
      generalSaleStartsAt: at(-1),
      saleEndsAt: at(30),
      holdSeconds: 300,
      holdExtendSeconds: 120,
      perUserLimit: 6,
      refundCutoffHours: 24,
      tiers: [
        { name: "VIP", priceMinor: 150_000, feeMinor: 6_000, currency: "KRW", color: "#aa3355" },
        { name: "Floor", priceMinor: 90_000, feeMinor: 4_000, currency: "KRW", color: "#3355aa" },
      ],
      tierBySection: { Front: "VIP", Back: "Floor" },
      waitingRoom: { enabled: true, batchSize: 50, intervalMs: 1_000 },
      publish: false,
    }),
    "admin.showtimes.update": () => ({ showtimeId, patch: { holdSeconds: 300 } }),
    "admin.showtimes.setStatus": () => ({ showtimeId, status: "PUBLISHED" }),
    "admin.showtimes.setSectionTier": () => ({ showtimeId, sectionId: world.sectionId, priceTierId: world.priceTierId }),
    "admin.showtimes.live": () => ({ showtimeId }),
    "admin.presale.get": () => ({ showtimeId }),
    "admin.presale.updateSettings": () => ({ showtimeId, presaleFor: "Fuzz fan club", presaleLimit: null }),
    "admin.presale.createCodes": () => ({ showtimeId, label: "Fuzz", maxUses: 1, count: 1 }),
    "admin.presale.revokeCode": () => ({ codeId: world.presaleCodeId }),
    "admin.presale.addToList": () => ({ showtimeId, emails: `${uniq("listed")}@example.test` }),
    "admin.presale.removeFromList": () => ({ showtimeId, email: "listed@example.test" }),
    "admin.orders.search": () => ({ query: "example", limit: 5 }),
    "admin.orders.byId": () => ({ orderId: mine.orderId }),
    "admin.orders.refund": () => ({ orderId: mine.orderId }),
    "admin.channels.create": () => ({ code: uniq("ch").replace(/-/g, "_"), name: "Another partner" }),
    "admin.channels.issueKey": () => ({ channelId: world.channelId, name: "another system" }),
    "admin.channels.revokeKey": () => ({ keyId: world.apiKeyId }),
    "admin.audit": () => ({ entityType: "Order", limit: 5 }),
    "admin.dashboard": () => ({ query: "Concert", when: "all" }),
    "auth.signUp": () => ({ name: "New Fan", email: `${uniq("new")}@example.test`, password: "correct-horse-42" }),
    "catalog.search": () => ({ q: "Concert", page: 1, pageSize: 12 }),
    "catalog.concert": () => ({ slug: world.concertSlug }),
    "holds.create": () => ({ ...gate, seatIds: [mine.freeSeatId] }),
    "holds.bestAvailable": () => ({ ...gate, quantity: 1 }),
    "holds.extend": () => ({ ...gate, holdId: mine.holdId }),
    "holds.release": () => ({ holdId: mine.spareHoldId }),
    "holds.mine": () => ({ showtimeId, status: "ACTIVE", limit: 10 }),
    "holds.byId": () => ({ holdId: mine.holdId }),
    "orders.checkout": () => ({ ...gate, holdId: mine.holdId, idempotencyKey: uniq("pay") }),
    "orders.list": () => ({ limit: 10 }),
    "orders.byId": () => ({ orderId: mine.orderId }),
    "orders.refund": () => ({ orderId: mine.orderId }),
    "paymentMethods.add": () => ({ token: "tok_mastercard", idempotencyKey: uniq("card") }),
    "paymentMethods.setDefault": () => ({ methodId: mine.cardId }),
    "paymentMethods.remove": () => ({ methodId: mine.cardId }),
    "showtimes.byId": () => ({ showtimeId }),
    "showtimes.selection": () => ({ ...gate }),
    "showtimes.seatMap": () => ({ showtimeId }),
    "showtimes.seatStatus": () => ({ showtimeId }),
    "showtimes.seatChanges": () => ({ showtimeId }),
    "showtimes.presaleStanding": () => ({ showtimeId }),
    "showtimes.redeemPresaleCode": () => ({ showtimeId, code: world.presaleCode }),
    "tickets.list": () => ({ status: "VALID", limit: 10 }),
    "tickets.offerTransfer": () => ({ ticketId: mine.ticketId, toEmail: `${uniq("friend")}@example.test` }),
    "tickets.cancelTransfer": () => ({ transferId: mine.outgoingTransferId }),
    "tickets.acceptTransfer": () => ({ transferId: mine.incomingTransferIds[0] }),
    "tickets.declineTransfer": () => ({ transferId: mine.incomingTransferIds[1] }),
    "waitingRoom.join": () => ({ showtimeId }),
    "waitingRoom.status": () => ({ showtimeId }),
    "waitingRoom.leave": () => ({ showtimeId }),
    "waitingRoom.proof": () => ({ showtimeId }),
    "waitingRoom.stillHere": () => ({ ...gate }),
    "waitingRoom.reclaim": () => ({ showtimeId }),
    "waitingRoom.watch": () => ({ showtimeId }),
    "waitingRoom.settings": () => ({ showtimeId }),
    "waitingRoom.updateSettings": () => ({ showtimeId, settings: { batchSize: 100 } }),
    "waitingRoom.stats": () => ({ showtimeId }),
    "wallet.topUp": () => ({ currency: "KRW", amountMinor: 10_000, idempotencyKey: uniq("top") }),
    "wallet.ledger": () => ({ currency: "KRW", limit: 10 }),
  };
  const make = inputs[path];
  if (make) return make();
  if (procedures().get(path)?.inputs.length === 0) return undefined;
  throw new Error(`no valid input for ${path}: add one to validInput (test/attacks/surface.ts)`);
}

// 6. REST and the partner API as their clients call them -------------------------------------------

export type HttpAnswer = { status: number; body: unknown; code: string | undefined };

async function answerOf(res: Response): Promise<HttpAnswer> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: kept as text, and the caller's assertion says so.
  }
  const code = (body as { error?: { code?: string } } | null)?.error?.code;
  return { status: res.status, body, code };
}

/**
 * The REST request for `route` with a procedure input: path parameters from the input, the access token
 * as X-Access-Token, the rest as a query string (GET, DELETE) or a JSON body.
 */
export function restRequest(route: RestRoute, input: Record<string, unknown>, headers: Record<string, string>): Request {
  const rest: Record<string, unknown> = { ...input };
  const path = route.path.replace(/\{([A-Za-z]+)\}/g, (_, name: string) => {
    const value = rest[name];
    delete rest[name];
    return encodeURIComponent(String(value));
  });
  const all: Record<string, string> = { "x-forwarded-for": "192.0.2.10", ...headers };
  if (typeof rest.accessToken === "string") all["x-access-token"] = rest.accessToken;
  delete rest.accessToken;
  const url = new URL(`http://localhost/api/v1${path}`);
  let body: string | undefined;
  if (route.method === "GET" || route.method === "DELETE") {
    for (const [k, v] of Object.entries(rest)) if (v !== undefined) url.searchParams.set(k, String(v));
  } else {
    all["content-type"] = "application/json";
    body = JSON.stringify(rest);
  }
  return new Request(url, { method: route.method, headers: all, body });
}

export async function restCall(req: Request): Promise<HttpAnswer> {
  return answerOf(await handleRestRequest(req, () => sessionUserOf(req)));
}

export async function partnerCall(productId: string, headers: Record<string, string>): Promise<HttpAnswer> {
  // The handler takes the id as Next decoded it; the URL only has to be valid (a lone surrogate has no UTF-8).
  const req = new Request(
    `http://localhost/v1/channel/price/ticket/${encodeURIComponent(productId.replace(/[\uD800-\uDFFF]/g, "\uFFFD"))}`,
    { headers },
  );
  return answerOf(await handlePartnerPrice(req, productId));
}

/** A REST bearer token for a person, from POST /api/v1/auth/token. */
export async function bearerFor(p: Person): Promise<string> {
  const res = await handleTokenRequest(
    new Request("http://localhost/api/v1/auth/token", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: p.email, password: p.password }),
    }),
  );
  if (res.status !== 201) throw new Error(`no REST token for ${p.email}: ${res.status}`);
  return ((await res.json()) as { access_token: string }).access_token;
}
