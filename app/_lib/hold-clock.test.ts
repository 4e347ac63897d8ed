import { describe, expect, it } from "vitest";
import { extendLabel, formatCountdown, formatSpan, holdPhase } from "./hold-clock";

describe("formatCountdown", () => {
  it("reads mm:ss, rounding up so 00:00 means it has ended", () => {
    expect(formatCountdown(300_000)).toBe("05:00");
    expect(formatCountdown(299_001)).toBe("05:00");
    expect(formatCountdown(61_000)).toBe("01:01");
    expect(formatCountdown(500)).toBe("00:01");
    expect(formatCountdown(0)).toBe("00:00");
    expect(formatCountdown(-5_000)).toBe("00:00");
  });
});

describe("holdPhase", () => {
  it("warns from a minute before the end", () => {
    expect(holdPhase(61_000)).toBe("running");
    expect(holdPhase(60_000)).toBe("warning");
    expect(holdPhase(1)).toBe("warning");
    expect(holdPhase(0)).toBe("ended");
  });
});

describe("formatSpan and extendLabel", () => {
  it("put the extension in words", () => {
    expect(formatSpan(120)).toBe("2 minutes");
    expect(formatSpan(60)).toBe("1 minute");
    expect(formatSpan(90)).toBe("1 minute 30 seconds");
    expect(formatSpan(30)).toBe("30 seconds");
    expect(extendLabel(120)).toBe("Add 2 more minutes");
    expect(extendLabel(30)).toBe("Add 30 more seconds");
    expect(extendLabel(60)).toBe("Add 1 more minute");
    expect(extendLabel(90)).toBe("Add 90 more seconds");
  });
});
