// The auditor's verdict on one showtime, as the concurrency tests assert it.
import { prisma } from "../../server/db.ts";
import { auditInvariants } from "../../server/domain/audit/invariants.ts";

/** The auditor's failing checks for the showtime: name → violations (`{}` when every invariant holds). */
export async function auditFailures(showtimeId: string): Promise<Record<string, number>> {
  const { checks } = await auditInvariants(prisma(), { showtimeId });
  return Object.fromEntries(checks.filter((c) => !c.ok).map((c) => [c.name, c.violations]));
}
