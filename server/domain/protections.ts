// Test-only hooks on the one real path, each dropping one concurrency protection (a lock, a lock order)
// or lining racers up, so a negative control can show the race the protection prevents (STYLE.md, Tests;
// pretix's skip-locking flag). Every domain function that takes them calls `refuseInProduction` first:
// production code passes none. A race that needs a different statement altogether (a read-then-write in
// place of one conditional statement) is shown by a stand-in in the test tree (test/stand-ins/).

/**
 * A hook a racer runs between its read and its write, so a test can line racers up: every one of them
 * has read before any writes (see test/support/races.ts, `barrier`).
 */
export type Pause = () => Promise<void>;

/** The domain functions that take switches, named as the refusal names them. */
export const SWITCHABLE = [
  "holdSeats",
  "holdBestAvailable",
  "expireDueHolds",
  "releaseHold",
  "cancelTransfer",
  "respondToTransfer",
  "updateShowtime",
  "setSectionTier",
  "topUpWallet",
  "sandboxProvider",
  "addCard",
  "setDefaultCard",
] as const;
export type Switchable = (typeof SWITCHABLE)[number];

export class ProtectionsRefused extends Error {
  constructor(readonly entryPoint: Switchable) {
    super(`${entryPoint}: protections can only be switched off in tests, never in production.`);
    this.name = "ProtectionsRefused";
  }
}

/**
 * Throws when `switches` (anything but undefined: switched-off protections or a test hook) reach a
 * production build. Next.js inlines NODE_ENV at build time, so a built app refuses them whatever its
 * environment says at run time; the worker and scripts read it from the environment.
 */
export function refuseInProduction(entryPoint: Switchable, switches: object | undefined): void {
  if (switches !== undefined && process.env.NODE_ENV === "production") throw new ProtectionsRefused(entryPoint);
}
