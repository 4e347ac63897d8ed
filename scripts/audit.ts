// `npm run audit [-- --showtime ID] [--sweep-ms N]`: checks the on-sale invariants against DATABASE_URL,
// prints a table, and exits 1 when any is violated (2 on bad arguments).
import { parseArgs } from "node:util";
import { z } from "zod";
import { disconnectDb, prisma } from "../server/db.ts";
import { auditInvariants, formatAudit } from "../server/domain/audit/invariants.ts";

const ZArgs = z.object({
  showtime: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/, "a showtime id")
    .optional(),
  "sweep-ms": z.coerce.number().int().min(0).optional(),
  json: z.boolean().optional(),
});

async function main(): Promise<number> {
  let args: z.infer<typeof ZArgs>;
  try {
    const { values } = parseArgs({
      options: { showtime: { type: "string" }, "sweep-ms": { type: "string" }, json: { type: "boolean" } },
      strict: true,
    });
    args = ZArgs.parse(values);
  } catch (err) {
    console.error(err instanceof z.ZodError ? z.prettifyError(err) : err instanceof Error ? err.message : err);
    console.error("usage: npm run audit [-- --showtime ID] [--sweep-ms N] [--json]");
    return 2;
  }
  const started = Date.now();
  const result = await auditInvariants(prisma(), { showtimeId: args.showtime, sweepIntervalMs: args["sweep-ms"] });
  if (args.json) {
    console.log(JSON.stringify(result, null, 2));
  } else {
    console.log(`Invariants of ${args.showtime ? `showtime ${args.showtime}` : "every showtime"} (${Date.now() - started} ms)`);
    console.log(formatAudit(result));
    console.log(
      result.ok
        ? "All invariants hold."
        : `VIOLATED: ${result.checks
            .filter((c) => !c.ok)
            .map((c) => c.name)
            .join(", ")}`,
    );
  }
  return result.ok ? 0 : 1;
}

main()
  .then(async (code) => {
    await disconnectDb();
    process.exit(code);
  })
  .catch(async (err: unknown) => {
    console.error(err);
    await disconnectDb().catch(() => {});
    process.exit(1);
  });
