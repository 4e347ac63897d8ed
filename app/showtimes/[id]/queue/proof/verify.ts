// The pre-queue proof recomputed with Web Crypto, so a fan can check the server's arithmetic in their own
// browser. Mirrors server/domain/waiting-room/fairness.ts (its test keeps the two in step).

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

export const commitmentOf = (seed: string) => sha256Hex(seed);

export async function entryIdOf(userId: string, showtimeId: string): Promise<string> {
  return (await sha256Hex(`onsale-prequeue:${showtimeId}:${userId}`)).slice(0, 32);
}

export const drawOf = (seed: string, entryId: string) => sha256Hex(`${seed}:${entryId}`);

/** 1-based place of `entryId` among `entries` ordered by draw (entry id breaks ties), or null if absent. */
export async function placeOf(seed: string, entries: readonly string[], entryId: string): Promise<number | null> {
  if (!entries.includes(entryId)) return null;
  const draws: { entryId: string; draw: string }[] = [];
  // In slices, so a pre-queue of many thousands does not queue every digest at once.
  for (let i = 0; i < entries.length; i += 2_000) {
    const slice = entries.slice(i, i + 2_000);
    draws.push(...(await Promise.all(slice.map(async (e) => ({ entryId: e, draw: await drawOf(seed, e) })))));
  }
  draws.sort((a, b) => (a.draw < b.draw ? -1 : a.draw > b.draw ? 1 : a.entryId < b.entryId ? -1 : 1));
  return draws.findIndex((d) => d.entryId === entryId) + 1;
}

export type ProofInput = {
  showtimeId: string;
  userId: string;
  commitment: string;
  seed: string | null;
  entries: readonly string[];
  yourEntry: string | null;
  yourPlace: number | null;
};

export type Check = { label: string; ok: boolean; detail: string };

/** Every check the published data allows: the commitment (once the seed is out), your entry, your place. */
export async function verifyProof(p: ProofInput): Promise<Check[]> {
  const checks: Check[] = [];
  if (p.seed !== null) {
    const c = await commitmentOf(p.seed);
    checks.push({
      label: "The revealed seed matches the commitment published before sales opened",
      ok: c === p.commitment,
      detail: `SHA-256 of the seed is ${c}`,
    });
  }
  if (p.yourEntry !== null) {
    const mine = await entryIdOf(p.userId, p.showtimeId);
    checks.push({
      label: "Your entry belongs to your account",
      ok: mine === p.yourEntry && p.entries.includes(mine),
      detail: `Computed from your account: ${mine}`,
    });
    if (p.seed !== null) {
      const place = await placeOf(p.seed, p.entries, p.yourEntry);
      checks.push({
        label: "Your place follows from the seed and the entries",
        ok: place !== null && place === p.yourPlace,
        detail: place === null ? "Your entry is not in the list." : `Recomputed place: ${place} of ${p.entries.length}`,
      });
    }
  }
  return checks;
}
