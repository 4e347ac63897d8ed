import { describe, expect, it } from "vitest";
import {
  assignSections,
  checkCreate,
  checkEdit,
  currencyOf,
  defaultShowtimeDraft,
  editDraftOf,
  newTier,
  type ShowtimeDraft,
  type ShowtimeValues,
} from "./showtime-draft";

const SEOUL = "Asia/Seoul";
const NY = "America/New_York";
const now = new Date("2026-11-23T03:00:00Z"); // 12:00 in Seoul
const venue = { id: "v1", timezone: SEOUL, sections: [{ name: "Floor" }, { name: "Balcony" }] };

function twoTierDraft(): ShowtimeDraft {
  const d = defaultShowtimeDraft(SEOUL, { venueId: "v1", now });
  const vip = newTier(1, { name: "VIP", price: "132000", fee: "4000" });
  d.tiers = [{ ...d.tiers[0]!, price: "50,000", fee: "3000" }, vip];
  d.tierBySection = { Floor: vip.key, Balcony: d.tiers[0]!.key };
  return d;
}

describe("defaultShowtimeDraft", () => {
  it("is on sale from now until a show a month out at 20:00 at the venue", () => {
    const d = defaultShowtimeDraft(SEOUL, { venueId: "v1", now });
    expect(d.times).toMatchObject({
      startsAt: "2026-12-23T20:00",
      doorsAt: "2026-12-23T19:00",
      generalSaleStartsAt: "2026-11-23T12:00",
      saleEndsAt: "2026-12-23T20:00",
      presaleStartsAt: "",
    });
    expect(d.currency).toBe("KRW");
    expect(d.tiers).toMatchObject([{ name: "Standard", price: "", fee: "0" }]);
    expect(defaultShowtimeDraft(NY, { currency: "USD", now }).currency).toBe("USD");
    expect([currencyOf("US"), currencyOf("KR"), currencyOf("JP")]).toEqual(["USD", "KRW", undefined]);
  });
});

describe("checkCreate", () => {
  it("builds the create input with UTC instants, minor units and tiers by section name", () => {
    const { input, problems } = checkCreate(twoTierDraft(), "c1", venue);
    expect(problems).toEqual({ fields: {}, tiers: {}, waitingRoom: {} });
    expect(input).toMatchObject({
      concertId: "c1",
      venueId: "v1",
      presaleStartsAt: null,
      holdSeconds: 300,
      perUserLimit: 8,
      tierBySection: { Floor: "VIP", Balcony: "Standard" },
      waitingRoom: { enabled: true, batchSize: 100, intervalMs: 5000, maxActive: 1000, accessSeconds: 900, idleSeconds: 60 },
      publish: true,
    });
    expect((input!.startsAt as Date).toISOString()).toBe("2026-12-23T11:00:00.000Z");
    expect(input!.tiers).toEqual([
      { name: "Standard", priceMinor: 50000, feeMinor: 3000, color: "#e4572e", currency: "KRW" },
      { name: "VIP", priceMinor: 132000, feeMinor: 4000, color: "#2e86de", currency: "KRW" },
    ]);
  });

  it("says what to fix, by field, tier and section", () => {
    const d = twoTierDraft();
    d.times.doorsAt = "";
    d.limits.holdSeconds = "30";
    d.tiers[1] = { ...d.tiers[1]!, name: "standard", price: "-1" };
    d.tierBySection = { Floor: d.tiers[0]!.key };
    d.waitingRoom.intervalMs = "50";
    d.waitingRoom.idleSeconds = "5";
    const { input, problems } = checkCreate(d, "c1", venue);
    expect(input).toBeUndefined();
    expect(problems.fields).toEqual({
      doorsAt: "Enter a date and time.",
      holdSeconds: "Use 60 to 3,600 seconds.",
      tierBySection: "Give every section a price tier (missing: Balcony).",
    });
    expect(problems.tiers[d.tiers[1]!.key]).toEqual({
      name: "Each price tier needs its own name.",
      price: "An amount cannot be negative.",
    });
    expect(problems.waitingRoom).toEqual({ intervalMs: "Use 200 to 600,000 ms.", idleSeconds: "Use 0 (never) or 15 to 3,600 seconds." });
    expect(checkCreate(d, "c1", undefined).problems.fields.venueId).toBe("Pick a venue.");
  });

  it("refuses sales that close before they open, or a presale after general sale, before sending", () => {
    const d = twoTierDraft();
    d.times.saleEndsAt = "2026-11-20T20:00";
    const closed = checkCreate(d, "c1", venue);
    expect(closed.input).toBeUndefined();
    expect(closed.problems.fields).toEqual({ saleEndsAt: "Sales must end after they start." });

    const p = twoTierDraft();
    p.times.presaleStartsAt = "2026-12-01T10:00";
    p.times.presaleEndsAt = "2026-12-30T10:00";
    expect(checkCreate(p, "c1", venue).problems.fields).toEqual({ presaleEndsAt: "The presale must end by the time general sale starts." });
  });

  it("says when a time does not exist at the venue", () => {
    const d = defaultShowtimeDraft(NY, { venueId: "v2", now });
    d.times.generalSaleStartsAt = "2027-03-14T02:30";
    const { notes } = checkCreate(d, "c1", { id: "v2", timezone: NY, sections: [] });
    expect(notes.generalSaleStartsAt).toMatch(/doesn’t exist .* saved as 03:30/);
  });
});

describe("assignSections", () => {
  it("keeps each section's tier while it exists, else falls back to the first", () => {
    const a = newTier(0, { name: "A" });
    const b = newTier(1, { name: "B" });
    expect(assignSections(["Floor", "Balcony", "Box"], [a, b], { Floor: b.key, Balcony: "gone" })).toEqual({
      Floor: b.key,
      Balcony: a.key,
      Box: a.key,
    });
  });
});

describe("checkEdit", () => {
  const values: ShowtimeValues = {
    times: {
      startsAt: new Date("2026-12-23T11:00:00Z"),
      doorsAt: new Date("2026-12-23T10:00:00Z"),
      presaleStartsAt: null,
      presaleEndsAt: null,
      generalSaleStartsAt: new Date("2026-12-01T01:00:00Z"),
      saleEndsAt: new Date("2026-12-23T11:00:00Z"),
    },
    limits: { holdSeconds: 300, holdExtendSeconds: 120, perUserLimit: 8, refundCutoffHours: 24 },
    tiers: [{ id: "t1", name: "Floor", priceMinor: 18950, feeMinor: 1895, currency: "USD", color: "#e84393" }],
  };

  it("sends only what changed", () => {
    const original = editDraftOf(values, SEOUL);
    expect(original.times.startsAt).toBe("2026-12-23T20:00");
    expect(original.times.presaleStartsAt).toBe("");
    expect(original.times.generalSaleStartsAt).toBe("2026-12-01T10:00");
    expect(original.limits.refundCutoffHours).toBe("24");
    expect(original.tiers[0]).toMatchObject({ price: "189.50", fee: "18.95" });
    expect(checkEdit(original, original, values, SEOUL)).toMatchObject({ changed: 0, patch: {} });

    const draft = structuredClone(original);
    draft.times.doorsAt = "2026-12-23T18:30";
    draft.limits.perUserLimit = "4";
    draft.limits.refundCutoffHours = "48";
    draft.tiers[0] = { ...draft.tiers[0]!, price: "199", color: "#E84393" };
    const { patch, changed } = checkEdit(draft, original, values, SEOUL);
    expect(changed).toBe(4);
    expect(patch).toEqual({
      doorsAt: new Date("2026-12-23T09:30:00Z"),
      perUserLimit: 4,
      refundCutoffHours: 48,
      tiers: [{ id: "t1", priceMinor: 19900 }],
    });
  });

  it("refuses a change that makes sales close before they open", () => {
    const original = editDraftOf(values, SEOUL);
    const draft = structuredClone(original);
    draft.times.generalSaleStartsAt = "2026-12-24T10:00";
    const { patch, problems } = checkEdit(draft, original, values, SEOUL);
    expect(patch).toBeUndefined();
    expect(problems.fields).toEqual({ saleEndsAt: "Sales must end after they start." });
  });

  it("clears a presale that is emptied, and refuses a required time that is", () => {
    const withPresale: ShowtimeValues = { ...values, times: { ...values.times, presaleStartsAt: new Date("2026-12-01T00:00:00Z") } };
    const original = editDraftOf(withPresale, SEOUL);
    const draft = structuredClone(original);
    draft.times.presaleStartsAt = "";
    draft.times.startsAt = "";
    const { patch, problems } = checkEdit(draft, original, withPresale, SEOUL);
    expect(patch).toBeUndefined();
    expect(problems.fields).toEqual({ startsAt: "Enter a date and time." });
    draft.times.startsAt = original.times.startsAt;
    expect(checkEdit(draft, original, withPresale, SEOUL).patch).toEqual({ presaleStartsAt: null });
  });
});
