// Vitest globalSetup of the int project: integration tests write and delete freely, so they refuse to
// start unless scripts/test.ts gave them a throwaway database and Redis prefix.
import { notScratch } from "./scratch.ts";

export default function refuseUnlessScratch(): void {
  const problem = notScratch(process.env);
  if (!problem) return;
  throw new Error(
    `Integration tests refuse to run here, and no test file was loaded: ${problem}.\n` +
      "Run them with `npm run test:int` (or `npm run test:int -- <files>`), which creates a scratch database and " +
      "Redis prefix for the run and removes them afterwards.",
  );
}
