import { describe, expect, it } from "vitest";
import {
  canOffer,
  groupByEvent,
  isUpcoming,
  offerRefusal,
  readRecipient,
  RECIPIENT_INVALID,
  RECIPIENT_REQUIRED,
  seatWords,
  splitByShow,
  splitTransfers,
  STILL_ON_MS,
  transferState,
  transferSummary,
} from "./tickets-model";

const HOUR = 3_600_000;
const t0 = Date.UTC(2026, 5, 1, 19);
const show = (showtimeId: string, startsAt: number) => ({ showtimeId, startsAt: new Date(startsAt) });
const ticket = (id: string, showtimeId: string, startsAt: number) => ({ id, event: show(showtimeId, startsAt) });
const ids = (groups: { showtimeId: string; tickets: { id: string }[] }[]) =>
  groups.map((g) => `${g.showtimeId}:${g.tickets.map((t) => t.id).join(",")}`);

describe("seatWords", () => {
  it("names short sections as sections and keeps named ones", () => {
    expect(seatWords({ section: "B", row: "12", number: 7 })).toBe("Section B, row 12, seat 7");
    expect(seatWords({ section: "104", row: "K", number: 3 })).toBe("Section 104, row K, seat 3");
    expect(seatWords({ section: "Floor", row: "3", number: 14 })).toBe("Floor, row 3, seat 14");
  });
});

describe("which shows are still ahead", () => {
  it("keeps a show listed for a while after it starts, but stops offers at the start", () => {
    expect(isUpcoming(new Date(t0), t0 - HOUR)).toBe(true);
    expect(isUpcoming(new Date(t0), t0 + STILL_ON_MS - 1)).toBe(true);
    expect(isUpcoming(new Date(t0), t0 + STILL_ON_MS)).toBe(false);
    expect(canOffer(new Date(t0), t0 - 1)).toBe(true);
    expect(canOffer(new Date(t0), t0)).toBe(false);
  });

  it("takes everything as ahead before the clock has ticked", () => {
    expect(isUpcoming(new Date(0), 0)).toBe(true);
    expect(canOffer(new Date(0), 0)).toBe(true);
  });
});

describe("groupByEvent", () => {
  it("puts one show's tickets together, in the order shows first appear", () => {
    const groups = groupByEvent([ticket("a", "s1", t0), ticket("b", "s2", t0), ticket("c", "s1", t0), ticket("d", "s3", t0 + HOUR)]);
    expect(ids(groups)).toEqual(["s1:a,c", "s2:b", "s3:d"]);
    expect(groups[0]!.event.startsAt.getTime()).toBe(t0);
    expect(groupByEvent([])).toEqual([]);
  });
});

describe("splitByShow", () => {
  it("parts upcoming from past shows, the most recent past show first, and drops repeats across pages", () => {
    const now = t0;
    const list = [
      ticket("old", "s0", now - 30 * 24 * HOUR),
      ticket("last-week", "s1", now - 7 * 24 * HOUR),
      ticket("tonight", "s2", now - HOUR),
      ticket("next", "s3", now + 24 * HOUR),
      ticket("next", "s3", now + 24 * HOUR),
      ticket("next-2", "s3", now + 24 * HOUR),
    ];
    const { upcoming, past } = splitByShow(list, now);
    expect(ids(upcoming)).toEqual(["s2:tonight", "s3:next,next-2"]);
    expect(ids(past)).toEqual(["s1:last-week", "s0:old"]);
  });
});

describe("readRecipient", () => {
  it("trims and lowercases a good address", () => {
    expect(readRecipient("  Ana.Lee@Example.COM ")).toEqual({ ok: true, email: "ana.lee@example.com" });
    expect(readRecipient("a+tickets@mail.example.co.kr")).toEqual({ ok: true, email: "a+tickets@mail.example.co.kr" });
  });

  it("asks for an address when there is none, and for a real one otherwise", () => {
    expect(readRecipient("   ")).toEqual({ ok: false, error: RECIPIENT_REQUIRED });
    for (const bad of [
      "ana",
      "ana@",
      "@example.com",
      "ana@example",
      "ana lee@example.com",
      "ana@example..com",
      `${"a".repeat(250)}@x.io`,
    ]) {
      expect(readRecipient(bad), bad).toEqual({ ok: false, error: RECIPIENT_INVALID });
    }
  });
});

describe("offerRefusal", () => {
  it("puts the server's field error on the email field", () => {
    const own = {
      code: "VALIDATION_FAILED" as const,
      message: "That's your own email address.",
      details: { fieldErrors: { toEmail: ["That's your own email address."] } },
    };
    expect(offerRefusal(own)).toEqual({ field: "That's your own email address." });
  });

  it("shows other refusals above the form, and says a lost answer may not have gone through", () => {
    expect(offerRefusal({ code: "CONFLICT", message: "This ticket has already been offered to someone." })).toEqual({
      form: "This ticket has already been offered to someone.",
    });
    expect(offerRefusal({ code: "NETWORK", message: "x" }).form).toMatch(/may not have been sent/);
  });
});

describe("transfers", () => {
  const base = { toEmail: "ana@example.com", fromName: "Mina Park", expiresAt: new Date(t0) };

  it("reads a pending offer past its time as expired, but trusts the server before the clock ticks", () => {
    expect(transferState({ status: "PENDING", expiresAt: new Date(t0) }, t0 - 1)).toBe("PENDING");
    expect(transferState({ status: "PENDING", expiresAt: new Date(t0) }, t0)).toBe("EXPIRED");
    expect(transferState({ status: "PENDING", expiresAt: new Date(t0) }, 0)).toBe("PENDING");
    expect(transferState({ status: "ACCEPTED", expiresAt: new Date(t0) }, t0 + HOUR)).toBe("ACCEPTED");
  });

  it("lists open offers to the fan apart from the history", () => {
    const list = [
      { ...base, id: "in-open", status: "PENDING" as const, direction: "incoming" as const },
      { ...base, id: "in-late", status: "PENDING" as const, direction: "incoming" as const, expiresAt: new Date(t0 - HOUR) },
      { ...base, id: "out-open", status: "PENDING" as const, direction: "outgoing" as const },
      { ...base, id: "in-done", status: "ACCEPTED" as const, direction: "incoming" as const },
    ];
    const { offers, history } = splitTransfers(list, t0 - HOUR / 2);
    expect(offers.map((t) => t.id)).toEqual(["in-open"]);
    expect(history.map((t) => t.id)).toEqual(["in-late", "out-open", "in-done"]);
  });

  it("tells each side what happened", () => {
    const out = { ...base, direction: "outgoing" as const };
    const inc = { ...base, direction: "incoming" as const };
    expect(transferSummary(out, "PENDING")).toBe("Offered to ana@example.com, waiting for an answer");
    expect(transferSummary(out, "ACCEPTED")).toBe("Sent to ana@example.com, who accepted it");
    expect(transferSummary(out, "EXPIRED")).toMatch(/stayed yours$/);
    expect(transferSummary(inc, "ACCEPTED")).toBe("From Mina Park; you accepted it");
    expect(transferSummary(inc, "CANCELLED")).toBe("From Mina Park; the offer was withdrawn");
  });
});
