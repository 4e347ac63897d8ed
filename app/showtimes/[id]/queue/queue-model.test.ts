import { describe, expect, it } from "vitest";
import type { WaitingStatus } from "@/server/domain/waiting-room/queue";
import { formatDuration, formatWait, nextAnnouncement, progressOf, type AnnounceMemo } from "./queue-model";

const waiting = (position: number, extra: Partial<Extract<WaitingStatus, { state: "WAITING" }>> = {}): WaitingStatus => ({
  state: "WAITING",
  showtimeId: "s1",
  position,
  ahead: position - 1,
  queueSize: 1000,
  estimatedWaitMs: 180_000,
  paused: false,
  pauseNote: null,
  closed: false,
  pollIntervalMs: 5_000,
  soldOut: false,
  ...extra,
});

describe("formatWait", () => {
  it("speaks in rounded human units", () => {
    expect(formatWait(10_000)).toBe("less than a minute");
    expect(formatWait(70_000)).toBe("about 1 minute");
    expect(formatWait(180_000)).toBe("about 3 minutes");
    expect(formatWait(89 * 60_000)).toBe("about 89 minutes");
    expect(formatWait(150 * 60_000)).toBe("about 3 hours");
  });
});

describe("formatDuration", () => {
  it("uses seconds under a minute and minutes otherwise", () => {
    expect(formatDuration(1_000)).toBe("1 second");
    expect(formatDuration(45_000)).toBe("45 seconds");
    expect(formatDuration(60_000)).toBe("1 minute");
    expect(formatDuration(900_000)).toBe("15 minutes");
  });
});

describe("progressOf", () => {
  it("runs from the joining position to the front", () => {
    expect(progressOf(101, 101)).toBe(0);
    expect(progressOf(101, 51)).toBe(0.5);
    expect(progressOf(101, 1)).toBe(1);
    expect(progressOf(1, 1)).toBe(1);
    expect(progressOf(10, 20)).toBe(0);
  });
});

describe("nextAnnouncement", () => {
  const first = nextAnnouncement(null, waiting(100), 0, 0)!;

  it("speaks on the first status", () => {
    expect(first.text).toBe("You are number 100 in line, about 3 minutes to go.");
  });

  it("stays quiet for small moves within 30 seconds", () => {
    expect(nextAnnouncement(first.memo, waiting(99), 0.01, 5_000)).toBeNull();
  });

  it("speaks at every tenth of progress", () => {
    const note = nextAnnouncement(first.memo, waiting(89), 0.11, 5_000);
    expect(note?.text).toMatch(/number 89/);
    expect(note?.memo.decile).toBe(1);
  });

  it("speaks after 30 seconds if the position moved, not if it did not", () => {
    expect(nextAnnouncement(first.memo, waiting(98), 0.02, 31_000)?.text).toMatch(/number 98/);
    expect(nextAnnouncement(first.memo, waiting(100), 0, 31_000)).toBeNull();
  });

  it("speaks when seats sell out and come back", () => {
    const out = nextAnnouncement(first.memo, waiting(100, { soldOut: true }), 0, 1_000)!;
    expect(out.text).toMatch(/All seats are sold or held/);
    expect(nextAnnouncement(out.memo, waiting(100), 0, 2_000)?.text).toMatch(/available again/);
  });

  it("names no wait while paused or sold out, and speaks when a pause starts, its note changes and it ends", () => {
    expect(nextAnnouncement(null, waiting(1, { paused: true }), 1, 0)!.text).toBe(
      "You are number 1 in line. Admission is paused by the organiser. Your place is kept.",
    );
    expect(nextAnnouncement(null, waiting(3, { soldOut: true, closed: true }), 1, 0)!.text).toBe(
      "You are number 3 in line. This showtime is sold out. The line is closed to new fans; you can keep your place in case a ticket comes back.",
    );
    const paused = nextAnnouncement(first.memo, waiting(100, { paused: true }), 0, 1_000)!;
    expect(paused.text).toBe("Admission is paused by the organiser. Your place is kept.");
    const noted = nextAnnouncement(paused.memo, waiting(100, { paused: true, pauseNote: "Back at 8:10." }), 0, 2_000)!;
    expect(noted.text).toBe("Admission is paused by the organiser. They say: Back at 8:10. Your place is kept.");
    expect(nextAnnouncement(noted.memo, waiting(100, { paused: true, pauseNote: "Back at 8:10." }), 0, 3_000)).toBeNull();
    expect(nextAnnouncement(noted.memo, waiting(100), 0, 4_000)!.text).toBe("Admission has resumed. You are number 100 in line.");
  });

  it("speaks when the last seat is sold, even if seats were already gone for now", () => {
    const gone = nextAnnouncement(first.memo, waiting(100, { soldOut: true }), 0, 1_000)!;
    expect(nextAnnouncement(gone.memo, waiting(100, { soldOut: true, closed: true }), 0, 2_000)!.text).toMatch(
      /^This showtime is sold out\./,
    );
  });

  it("speaks once when admitted", () => {
    const ready: WaitingStatus = { state: "READY", showtimeId: "s1", accessToken: "t", accessExpiresAt: new Date(0) };
    const note = nextAnnouncement(first.memo, ready, 1, 1_000, { accessFor: "15 minutes" })!;
    expect(note.text).toBe("It’s your turn! Taking you to the seats. You have 15 minutes to choose.");
    expect(nextAnnouncement(note.memo, ready, 1, 2_000)).toBeNull();
  });

  it("speaks when the pre-queue turns into a place in line", () => {
    const pre: WaitingStatus = {
      state: "PREQUEUED",
      showtimeId: "s1",
      prequeueSize: 10,
      opensAt: new Date(0),
      commitment: "c",
      pollIntervalMs: 5_000,
      soldOut: false,
      closed: false,
    };
    const a = nextAnnouncement(null, pre, 0, 0, { opensAt: "7:00 PM" })!;
    expect(a.text).toMatch(/pre-queue. When sales open at 7:00 PM/);
    expect(nextAnnouncement(a.memo as AnnounceMemo, waiting(3), 0, 1_000)?.text).toMatch(/number 3/);
  });

  it("says the place is being given back when the line lost it, and not that the fan left", () => {
    const lost = nextAnnouncement(first.memo, { state: "NONE", showtimeId: "s1", placeLost: true }, 0, 1_000)!;
    expect(lost.text).toBe("The waiting room lost track of the line; putting you back in your place.");
    expect(nextAnnouncement(first.memo, { state: "NONE", showtimeId: "s1" }, 0, 1_000)!.text).toBe("You’re not in the line any more.");
    // Back in line: spoken as a place again.
    expect(nextAnnouncement(lost.memo, waiting(100), 0, 2_000)?.text).toMatch(/number 100/);
  });
});
