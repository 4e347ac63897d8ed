import { describe, expect, it } from "vitest";
import {
  describeZone,
  formatUtcOffset,
  isValidTimeZone,
  localInputAt,
  shiftLocalInput,
  utcToZonedInput,
  zonedInputToUtc,
  zoneOffsetMs,
} from "./zoned-time";

const NY = "America/New_York";
const SEOUL = "Asia/Seoul";

function parsed(value: string, tz: string) {
  const r = zonedInputToUtc(value, tz);
  if (!r.ok) throw new Error(`did not parse: ${value}`);
  return r;
}

describe("zonedInputToUtc", () => {
  it("reads the input as the venue's wall clock, not the browser's", () => {
    expect(parsed("2026-12-19T20:00", SEOUL).date.toISOString()).toBe("2026-12-19T11:00:00.000Z");
    expect(parsed("2026-12-19T20:00", NY).date.toISOString()).toBe("2026-12-20T01:00:00.000Z");
    expect(parsed("2026-07-04T20:00", NY).date.toISOString()).toBe("2026-07-05T00:00:00.000Z");
    expect(parsed("2026-07-04T20:00", "UTC").date.toISOString()).toBe("2026-07-04T20:00:00.000Z");
  });

  it("moves a time skipped by the spring-forward jump on by the jump", () => {
    // New York, 8 March 2026: 02:00 EST becomes 03:00 EDT, so 02:30 never happens.
    const r = parsed("2026-03-08T02:30", NY);
    expect(r.adjusted).toBe("gap");
    expect(r.date.toISOString()).toBe("2026-03-08T07:30:00.000Z");
    expect(utcToZonedInput(r.date, NY)).toBe("2026-03-08T03:30");
  });

  it("takes the first of a time that happens twice when clocks go back", () => {
    // New York, 1 November 2026: 01:30 happens in EDT, then again in EST.
    const r = parsed("2026-11-01T01:30", NY);
    expect(r.adjusted).toBe("overlap");
    expect(r.date.toISOString()).toBe("2026-11-01T05:30:00.000Z");
    expect(parsed("2026-11-01T03:00", NY).adjusted).toBeUndefined();
  });

  it("refuses empty and malformed values, and dates that do not exist", () => {
    expect(zonedInputToUtc("", NY)).toEqual({ ok: false, reason: "empty" });
    expect(zonedInputToUtc("19/12/2026 20:00", NY)).toEqual({ ok: false, reason: "format" });
    expect(zonedInputToUtc("2026-02-30T10:00", NY)).toEqual({ ok: false, reason: "format" });
    expect(zonedInputToUtc("2026-02-10T24:30", NY)).toEqual({ ok: false, reason: "format" });
  });

  it("accepts the seconds some browsers add", () => {
    expect(parsed("2026-12-19T20:00:00", SEOUL).date.toISOString()).toBe("2026-12-19T11:00:00.000Z");
  });
});

describe("utcToZonedInput", () => {
  it("writes the venue's wall clock, round-tripping through zonedInputToUtc", () => {
    const at = new Date("2026-12-20T01:00:00Z");
    expect(utcToZonedInput(at, NY)).toBe("2026-12-19T20:00");
    expect(utcToZonedInput(at, SEOUL)).toBe("2026-12-20T10:00");
    for (const tz of [NY, SEOUL, "Asia/Kathmandu", "Australia/Lord_Howe"]) {
      expect(parsed(utcToZonedInput(at, tz), tz).date.getTime()).toBe(at.getTime());
    }
  });

  it("writes midnight as 00, not 24", () => {
    expect(utcToZonedInput(new Date("2026-12-19T15:00:00Z"), SEOUL)).toBe("2026-12-20T00:00");
  });
});

describe("zone labels", () => {
  it("gives offsets with their sign and minutes", () => {
    expect(zoneOffsetMs(Date.parse("2026-12-19T00:00:00Z"), SEOUL)).toBe(9 * 3600_000);
    expect(formatUtcOffset(9 * 3600_000)).toBe("UTC+09:00");
    expect(formatUtcOffset(-5 * 3600_000)).toBe("UTC−05:00");
    expect(formatUtcOffset(zoneOffsetMs(Date.parse("2026-12-19T00:00:00Z"), "Asia/Kathmandu"))).toBe("UTC+05:45");
  });

  it("names the zone as it stands on the day", () => {
    expect(describeZone(NY, new Date("2026-12-19T12:00:00Z"))).toBe("America/New_York (EST, UTC−05:00)");
    expect(describeZone(NY, new Date("2026-07-04T12:00:00Z"))).toBe("America/New_York (EDT, UTC−04:00)");
    expect(describeZone(SEOUL, new Date("2026-12-19T12:00:00Z"))).toBe("Asia/Seoul (UTC+09:00)");
  });

  it("knows real zones from typos", () => {
    expect(isValidTimeZone(SEOUL)).toBe(true);
    expect(isValidTimeZone("Asia/Seul")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
  });
});

describe("form defaults", () => {
  const now = new Date("2026-12-31T20:10:00Z"); // 1 Jan 2027, 05:10 in Seoul

  it("starts from the venue's today, not the browser's", () => {
    expect(localInputAt(SEOUL, {}, now)).toBe("2027-01-01T05:10");
    expect(localInputAt(SEOUL, { addDays: 30, hour: 20 }, now)).toBe("2027-01-31T20:00");
    expect(localInputAt(NY, { addDays: 1, hour: 19 }, now)).toBe("2027-01-01T19:00");
  });

  it("shifts wall-clock values across days", () => {
    expect(shiftLocalInput("2026-12-31T23:30", 60)).toBe("2027-01-01T00:30");
    expect(shiftLocalInput("2026-12-31T00:30", -60)).toBe("2026-12-30T23:30");
  });
});
