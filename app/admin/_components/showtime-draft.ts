// A showtime form's state as typed, and its checked forms: the input of `admin.showtimes.create`, or the
// patch of `admin.showtimes.update` (only what changed). Times are wall clocks at the venue (zoned-time.ts).
// Rules that span fields (windows nesting, sales ending by the show) are the server's (showtime-times.ts),
// checked here too before sending; the server's messages also come back by field and show beside them.
import type { TCreateShowtimeInput } from "@/server/domain/admin/catalog";
import { timeProblems, type ShowtimeTimes } from "@/server/domain/admin/showtime-times";
import type { Currency } from "@/server/generated/prisma/enums";
import { formatAmountInput, parseAmount } from "@/app/_lib/amount";
import { localInputAt, shiftLocalInput, utcToZonedInput, zonedInputToUtc } from "./zoned-time";

export const TIME_FIELDS = ["startsAt", "doorsAt", "presaleStartsAt", "presaleEndsAt", "generalSaleStartsAt", "saleEndsAt"] as const;
export type TimeField = (typeof TIME_FIELDS)[number];
export const OPTIONAL_TIMES: readonly TimeField[] = ["presaleStartsAt", "presaleEndsAt"];

export const LIMIT_FIELDS = ["holdSeconds", "holdExtendSeconds", "perUserLimit", "refundCutoffHours"] as const;
export type LimitField = (typeof LIMIT_FIELDS)[number];

export const WR_FIELDS = ["batchSize", "intervalMs", "maxActive", "accessSeconds", "idleSeconds"] as const;
export type WaitingRoomField = (typeof WR_FIELDS)[number];

export type TierDraft = { key: string; id?: string; name: string; price: string; fee: string; color: string };
export type TierField = "name" | "price" | "fee" | "color";

export type WaitingRoomDraft = { enabled: boolean } & Record<WaitingRoomField, string>;

export type ShowtimeDraft = {
  venueId: string;
  times: Record<TimeField, string>;
  limits: Record<LimitField, string>;
  currency: Currency;
  tiers: TierDraft[];
  /** Section name → tier key. */
  tierBySection: Record<string, string>;
  waitingRoom: WaitingRoomDraft;
  publish: boolean;
};

export const TIER_COLORS = ["#e4572e", "#2e86de", "#20bf6b", "#9c27b0", "#f2a900", "#17bebb", "#e84393", "#4c2fd8"];

/** The server's defaults (prisma/schema.prisma), so a form left alone creates what the seed would. */
export const DEFAULT_LIMITS: Record<LimitField, number> = {
  holdSeconds: 300,
  holdExtendSeconds: 120,
  perUserLimit: 8,
  refundCutoffHours: 24,
};
export const DEFAULT_WAITING_ROOM = {
  enabled: true,
  batchSize: 100,
  intervalMs: 5000,
  maxActive: 1000,
  accessSeconds: 900,
  idleSeconds: 60,
};

let nextKey = 0;
export const newTierKey = () => `t${++nextKey}`;

/** A blank tier: the price is left for the admin to set on purpose; no fee unless one is entered. */
export function newTier(index: number, overrides: Partial<TierDraft> = {}): TierDraft {
  return { key: newTierKey(), name: "", price: "", fee: "0", color: TIER_COLORS[index % TIER_COLORS.length]!, ...overrides };
}

/** The currency a venue's country sells in, where Onsale knows one (KRW, USD). */
export function currencyOf(country: string | undefined): Currency | undefined {
  return country === "US" ? "USD" : country === "KR" ? "KRW" : undefined;
}

/**
 * A new showtime a month from now at 20:00 at the venue, doors an hour before, on general sale from this
 * minute until the show starts: left as is, it is on sale at once.
 */
export function defaultShowtimeDraft(
  timeZone: string,
  { venueId = "", currency = "KRW", now = new Date() }: { venueId?: string; currency?: Currency; now?: Date } = {},
): ShowtimeDraft {
  const startsAt = localInputAt(timeZone, { addDays: 30, hour: 20 }, now);
  const tier = newTier(0, { name: "Standard" });
  return {
    venueId,
    times: {
      startsAt,
      doorsAt: shiftLocalInput(startsAt, -60),
      presaleStartsAt: "",
      presaleEndsAt: "",
      generalSaleStartsAt: localInputAt(timeZone, {}, now),
      saleEndsAt: startsAt,
    },
    limits: Object.fromEntries(LIMIT_FIELDS.map((f) => [f, String(DEFAULT_LIMITS[f])])) as Record<LimitField, string>,
    currency,
    tiers: [tier],
    tierBySection: {},
    waitingRoom: {
      enabled: DEFAULT_WAITING_ROOM.enabled,
      batchSize: String(DEFAULT_WAITING_ROOM.batchSize),
      intervalMs: String(DEFAULT_WAITING_ROOM.intervalMs),
      maxActive: String(DEFAULT_WAITING_ROOM.maxActive),
      accessSeconds: String(DEFAULT_WAITING_ROOM.accessSeconds),
      idleSeconds: String(DEFAULT_WAITING_ROOM.idleSeconds),
    },
    publish: true,
  };
}

/** Every section gets a tier: its own if it still exists, else the first. */
export function assignSections(
  sectionNames: readonly string[],
  tiers: readonly TierDraft[],
  current: Record<string, string>,
): Record<string, string> {
  const keys = new Set(tiers.map((t) => t.key));
  const fallback = tiers[0]?.key ?? "";
  return Object.fromEntries(sectionNames.map((name) => [name, keys.has(current[name] ?? "") ? current[name]! : fallback]));
}

export type Problems = {
  /** By the server's field names: startsAt…, holdSeconds…, tiers, tierBySection, waitingRoom, venueId. */
  fields: Record<string, string>;
  tiers: Record<string, Partial<Record<TierField, string>>>;
  waitingRoom: Partial<Record<WaitingRoomField, string>>;
};

export type TimeNotes = Partial<Record<TimeField, string>>;

const LIMIT_RULES: Record<LimitField, { min: number; max: number; message: string }> = {
  holdSeconds: { min: 60, max: 3600, message: "Use 60 to 3,600 seconds." },
  holdExtendSeconds: { min: 0, max: 1800, message: "Use 0 to 1,800 seconds." },
  perUserLimit: { min: 1, max: 50, message: "Use 1 to 50 tickets." },
  refundCutoffHours: { min: 0, max: 1440, message: "Use 0 to 1,440 hours." },
};

const IDLE_MESSAGE = "Use 0 (never) or 15 to 3,600 seconds.";

const WR_RULES: Record<WaitingRoomField, { min: number; max: number; message: string }> = {
  batchSize: { min: 1, max: 10_000, message: "Admit 1 to 10,000 fans per tick." },
  intervalMs: { min: 200, max: 600_000, message: "Use 200 to 600,000 ms." },
  maxActive: { min: 1, max: 1_000_000, message: "Use 1 to 1,000,000 shoppers." },
  accessSeconds: { min: 30, max: 86_400, message: "Use 30 to 86,400 seconds." },
  idleSeconds: { min: 0, max: 3600, message: IDLE_MESSAGE },
};

function wholeNumber(text: string, rule: { min: number; max: number; message: string }): [number | undefined, string | undefined] {
  const t = text.trim().replace(/[,_\s]/g, "");
  if (t === "") return [undefined, "Required."];
  const n = Number(t);
  if (!Number.isInteger(n)) return [undefined, "Enter a whole number."];
  if (n < rule.min || n > rule.max) return [undefined, rule.message];
  return [n, undefined];
}

/** What a wall-clock value will be saved as, when the venue's clocks make that ambiguous. */
function adjustmentNote(kind: "gap" | "overlap", value: string, date: Date, timeZone: string): string {
  const saved = utcToZonedInput(date, timeZone).slice(11);
  return kind === "gap"
    ? `${value.slice(11, 16)} doesn’t exist that day in ${timeZone} (clocks jump forward); it will be saved as ${saved}.`
    : `${value.slice(11, 16)} happens twice that day in ${timeZone} (clocks go back); the first one is used.`;
}

/** Parses the times in the venue's zone; `null` for an empty optional one. */
export function checkTimes(times: Record<TimeField, string>, timeZone: string) {
  const values: Partial<Record<TimeField, Date | null>> = {};
  const errors: Partial<Record<TimeField, string>> = {};
  const notes: TimeNotes = {};
  for (const f of TIME_FIELDS) {
    const r = zonedInputToUtc(times[f], timeZone);
    if (r.ok) {
      values[f] = r.date;
      if (r.adjusted) notes[f] = adjustmentNote(r.adjusted, times[f], r.date, timeZone);
    } else if (r.reason === "empty") {
      if (!OPTIONAL_TIMES.includes(f)) errors[f] = "Enter a date and time.";
      else values[f] = null;
    } else errors[f] = "Enter a date and time like 2026-12-19 20:00.";
  }
  return { values, errors, notes };
}

/** The parsed times as the server takes them (call once every required time has parsed). */
function showtimeTimes(values: Partial<Record<TimeField, Date | null>>): ShowtimeTimes {
  return {
    startsAt: values.startsAt!,
    doorsAt: values.doorsAt!,
    presaleStartsAt: values.presaleStartsAt ?? null,
    presaleEndsAt: values.presaleEndsAt ?? null,
    generalSaleStartsAt: values.generalSaleStartsAt!,
    saleEndsAt: values.saleEndsAt!,
  };
}

/** Once every time reads as one, the rules between them (the server's own), so a bad window never leaves the form. */
function windowProblems(
  values: Partial<Record<TimeField, Date | null>>,
  errors: Partial<Record<TimeField, string>>,
): Partial<Record<TimeField, string>> {
  if (Object.keys(errors).length > 0) return {};
  return timeProblems(showtimeTimes(values)) as Partial<Record<TimeField, string>>;
}

function checkTiers(tiers: readonly TierDraft[], currency: Currency, problems: Problems) {
  const parsed: { name: string; priceMinor: number; feeMinor: number; color: string }[] = [];
  const seen = new Set<string>();
  for (const t of tiers) {
    const e: Partial<Record<TierField, string>> = {};
    const name = t.name.trim();
    if (!name) e.name = "Name the price tier.";
    else if (name.length > 40) e.name = "Use up to 40 characters.";
    else if (seen.has(name.toLowerCase())) e.name = "Each price tier needs its own name.";
    seen.add(name.toLowerCase());
    const price = parseAmount(t.price, currency, { allowZero: true });
    if (!price.ok) e.price = price.error;
    const fee = parseAmount(t.fee, currency, { allowZero: true });
    if (!fee.ok) e.fee = fee.error;
    if (!/^#[0-9a-fA-F]{6}$/.test(t.color)) e.color = "Pick a colour like #f5a623.";
    if (Object.keys(e).length > 0) problems.tiers[t.key] = e;
    else
      parsed.push({
        name,
        priceMinor: (price as { minor: number }).minor,
        feeMinor: (fee as { minor: number }).minor,
        color: t.color.toLowerCase(),
      });
  }
  return parsed;
}

export function checkWaitingRoom(wr: WaitingRoomDraft, problems: Problems) {
  const out: Partial<Record<WaitingRoomField, number>> = {};
  for (const f of WR_FIELDS) {
    const [n, e] = wholeNumber(wr[f], WR_RULES[f]);
    if (e) problems.waitingRoom[f] = e;
    else if (f === "idleSeconds" && n! > 0 && n! < 15) problems.waitingRoom[f] = IDLE_MESSAGE;
    else out[f] = n;
  }
  return { enabled: wr.enabled, ...out };
}

export type CreateCheck = { input?: TCreateShowtimeInput; problems: Problems; notes: TimeNotes };

/** The new-showtime form → the create input, or what to fix first. */
export function checkCreate(
  draft: ShowtimeDraft,
  concertId: string,
  venue: { id: string; timezone: string; sections: readonly { name: string }[] } | undefined,
): CreateCheck {
  const problems: Problems = { fields: {}, tiers: {}, waitingRoom: {} };
  if (!venue) problems.fields.venueId = "Pick a venue.";
  const timeZone = venue?.timezone ?? "UTC";
  const { values, errors, notes } = checkTimes(draft.times, timeZone);
  Object.assign(problems.fields, errors, windowProblems(values, errors));
  const limits: Partial<Record<LimitField, number>> = {};
  for (const f of LIMIT_FIELDS) {
    const [n, e] = wholeNumber(draft.limits[f], LIMIT_RULES[f]);
    if (e) problems.fields[f] = e;
    else limits[f] = n;
  }
  if (draft.tiers.length === 0) problems.fields.tiers = "Add at least one price tier.";
  const tiers = checkTiers(draft.tiers, draft.currency, problems);
  const tierName = new Map(draft.tiers.map((t) => [t.key, t.name.trim()]));
  const tierBySection: Record<string, string> = {};
  const unassigned: string[] = [];
  for (const s of venue?.sections ?? []) {
    const name = tierName.get(draft.tierBySection[s.name] ?? "");
    if (name) tierBySection[s.name] = name;
    else unassigned.push(s.name);
  }
  if (unassigned.length > 0) problems.fields.tierBySection = `Give every section a price tier (missing: ${unassigned.join(", ")}).`;
  const waitingRoom = checkWaitingRoom(draft.waitingRoom, problems);

  const ok =
    Object.keys(problems.fields).length === 0 && Object.keys(problems.tiers).length === 0 && Object.keys(problems.waitingRoom).length === 0;
  if (!ok || !venue) return { problems, notes };
  return {
    problems,
    notes,
    input: {
      concertId,
      venueId: venue.id,
      ...showtimeTimes(values),
      holdSeconds: limits.holdSeconds!,
      holdExtendSeconds: limits.holdExtendSeconds!,
      perUserLimit: limits.perUserLimit!,
      refundCutoffHours: limits.refundCutoffHours!,
      tiers: tiers.map((t) => ({ ...t, currency: draft.currency })),
      tierBySection,
      waitingRoom: waitingRoom as TCreateShowtimeInput["waitingRoom"],
      publish: draft.publish,
    },
  };
}

// Editing --------------------------------------------------------------------------------------------

export type KnownTier = { id: string; name: string; priceMinor: number; feeMinor: number; currency: Currency; color: string };

/** The current values the edit form starts from (`null` for a showtime without a presale). */
export type ShowtimeValues = {
  times: Record<TimeField, Date | null>;
  limits: Record<LimitField, number>;
  tiers: KnownTier[];
};

export type EditDraft = { times: Record<TimeField, string>; limits: Record<LimitField, string>; tiers: TierDraft[] };

export function editDraftOf(values: ShowtimeValues, timeZone: string): EditDraft {
  const time = (f: TimeField) => {
    const v = values.times[f];
    return v ? utcToZonedInput(v, timeZone) : "";
  };
  return {
    times: Object.fromEntries(TIME_FIELDS.map((f) => [f, time(f)])) as Record<TimeField, string>,
    limits: Object.fromEntries(LIMIT_FIELDS.map((f) => [f, String(values.limits[f])])) as Record<LimitField, string>,
    tiers: values.tiers.map((t) => ({
      key: t.id,
      id: t.id,
      name: t.name,
      price: formatAmountInput(t.priceMinor, t.currency),
      fee: formatAmountInput(t.feeMinor, t.currency),
      color: t.color,
    })),
  };
}

export type ShowtimePatch = {
  startsAt?: Date;
  doorsAt?: Date;
  presaleStartsAt?: Date | null;
  presaleEndsAt?: Date | null;
  generalSaleStartsAt?: Date;
  saleEndsAt?: Date;
  holdSeconds?: number;
  holdExtendSeconds?: number;
  perUserLimit?: number;
  refundCutoffHours?: number;
  tiers?: { id: string; name?: string; priceMinor?: number; feeMinor?: number; color?: string }[];
};

export type EditCheck = { patch?: ShowtimePatch; changed: number; problems: Problems; notes: TimeNotes };

/**
 * The edit form → a patch of what changed against `original`; emptying the presale clears it.
 */
export function checkEdit(draft: EditDraft, original: EditDraft, values: ShowtimeValues, timeZone: string): EditCheck {
  const problems: Problems = { fields: {}, tiers: {}, waitingRoom: {} };
  const changedTimes = TIME_FIELDS.filter((f) => draft.times[f].trim() !== original.times[f].trim());
  const { values: times, errors, notes } = checkTimes(draft.times, timeZone);
  const patch: ShowtimePatch = {};
  for (const f of changedTimes) {
    if (errors[f]) problems.fields[f] = errors[f];
    else if (times[f] !== undefined) (patch as Record<string, unknown>)[f] = times[f];
  }
  if (changedTimes.length > 0) Object.assign(problems.fields, windowProblems(times, errors));
  for (const f of LIMIT_FIELDS) {
    if (draft.limits[f].trim() === original.limits[f].trim()) continue;
    const [n, e] = wholeNumber(draft.limits[f], LIMIT_RULES[f]);
    if (e) problems.fields[f] = e;
    else patch[f] = n;
  }
  const tierPatch: NonNullable<ShowtimePatch["tiers"]> = [];
  const byId = new Map(values.tiers.map((t) => [t.id, t]));
  const names = new Set<string>();
  for (const t of draft.tiers) {
    const known = t.id ? byId.get(t.id) : undefined;
    if (!known) continue;
    const e: Partial<Record<TierField, string>> = {};
    const change: { id: string; name?: string; priceMinor?: number; feeMinor?: number; color?: string } = { id: known.id };
    const name = t.name.trim();
    if (!name) e.name = "Name the price tier.";
    else if (names.has(name.toLowerCase())) e.name = "Each price tier needs its own name.";
    else if (name !== known.name) change.name = name;
    names.add(name.toLowerCase());
    const price = parseAmount(t.price, known.currency, { allowZero: true });
    if (!price.ok) e.price = price.error;
    else if (price.minor !== known.priceMinor) change.priceMinor = price.minor;
    const fee = parseAmount(t.fee, known.currency, { allowZero: true });
    if (!fee.ok) e.fee = fee.error;
    else if (fee.minor !== known.feeMinor) change.feeMinor = fee.minor;
    if (!/^#[0-9a-fA-F]{6}$/.test(t.color)) e.color = "Pick a colour like #f5a623.";
    else if (t.color.toLowerCase() !== known.color.toLowerCase()) change.color = t.color.toLowerCase();
    if (Object.keys(e).length > 0) problems.tiers[t.key] = e;
    else if (Object.keys(change).length > 1) tierPatch.push(change);
  }
  if (tierPatch.length > 0) patch.tiers = tierPatch;
  const changed = Object.keys(patch).length;
  const ok = Object.keys(problems.fields).length === 0 && Object.keys(problems.tiers).length === 0;
  return ok ? { patch, changed, problems, notes } : { changed, problems, notes };
}
