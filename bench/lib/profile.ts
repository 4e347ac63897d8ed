// Where a process spent its CPU: a V8 .cpuprofile (from `node --cpu-prof`) folded into self time per
// package and per function, so a run can say what a request costs without opening DevTools.
import fs from "node:fs";

type ProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
};
type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

export type ProfileSummary = {
  /** The first profile file; `files` lists every window added up. */
  file: string;
  files: string[];
  totalMs: number;
  /** Self time by where the code lives: an npm package, the app's own bundle, Node itself, GC, idle. */
  byArea: { area: string; ms: number; share: number }[];
  /** The same self time in the request budget's parts (BUDGET_PARTS). */
  byPart: { part: BudgetPart; ms: number; share: number }[];
  topFunctions: { fn: string; area: string; ms: number; share: number }[];
};

/** "next", "next-auth", "@trpc/server", "app" (the built bundle), "node", "(garbage collector)", … */
export function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  if (url.startsWith("node:")) return "node";
  // The last node_modules segment names the package whose code ran (nested copies included).
  const pkg = [...url.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)].at(-1)?.[1];
  if (pkg) return pkg;
  if (url.includes("/.next/")) return url.includes("/chunks/") ? "app bundle (.next chunks)" : "app bundle (.next)";
  if (url.includes("/server/generated/")) return "prisma client (generated)";
  if (url.includes("/server/")) return "onsale server/";
  return "other";
}

/** Where a request's CPU goes, in the parts docs/performance.md budgets. */
export const BUDGET_PARTS = [
  "HTTP (node)",
  "Next.js",
  "routing and handlers (ours)",
  "session (next-auth, jose)",
  "tRPC and zod",
  "serialization (superjson)",
  "Redis (ioredis)",
  "PostgreSQL (pg, Prisma)",
  "garbage collection",
  "other",
] as const;
export type BudgetPart = (typeof BUDGET_PARTS)[number];

export function partOf(area: string): BudgetPart {
  if (area === "node" || area === "(native)" || area === "(program)") return "HTTP (node)";
  if (area === "next" || area.startsWith("app bundle") || area === "react-dom" || area === "react") return "Next.js";
  if (area === "onsale server/") return "routing and handlers (ours)";
  if (["next-auth", "jose", "@panva/hkdf", "uuid", "cookie"].includes(area)) return "session (next-auth, jose)";
  if (area === "@trpc/server" || area === "zod") return "tRPC and zod";
  if (area === "superjson" || area === "copy-anything" || area === "is-what") return "serialization (superjson)";
  if (["ioredis", "redis-parser", "redis-errors", "bullmq", "@ioredis/commands", "cluster-key-slot", "denque"].includes(area))
    return "Redis (ioredis)";
  if (
    area.startsWith("pg") ||
    area.startsWith("@prisma/") ||
    area === "prisma client (generated)" ||
    area === "postgres-array" ||
    area === "postgres-date"
  )
    return "PostgreSQL (pg, Prisma)";
  if (area === "(garbage collector)") return "garbage collection";
  return "other";
}

/** Folds one profile, or several windows of one process (added up), into self time per area and function. */
export function summarizeProfile(files: string | string[], top = 15): ProfileSummary {
  const list = typeof files === "string" ? [files] : files;
  const areas = new Map<string, number>();
  const fns = new Map<string, { area: string; us: number }>();
  let total = 0;
  for (const file of list) {
    const profile = JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const selfUs = new Map<number, number>();
    // timeDeltas[i] is the time before sample i; attribute it to the node sampled.
    profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
    for (const [id, us] of selfUs) {
      const node = byId.get(id);
      if (!node) continue;
      const { functionName, url, lineNumber } = node.callFrame;
      if (functionName === "(idle)") continue; // waiting for I/O is not cost
      total += us;
      const area = areaOf(url, functionName);
      areas.set(area, (areas.get(area) ?? 0) + us);
      const where = url ? `${url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*\/\.next\//, ".next/")}:${lineNumber + 1}` : "";
      const key = `${functionName || "(anonymous)"} ${where}`.trim();
      const entry = fns.get(key) ?? { area, us: 0 };
      entry.us += us;
      fns.set(key, entry);
    }
  }
  const ms = (us: number) => Math.round(us / 100) / 10;
  const share = (us: number) => Math.round((us / Math.max(1, total)) * 1000) / 10;
  return {
    file: list[0] ?? "",
    files: list,
    totalMs: ms(total),
    byArea: [...areas].sort((a, b) => b[1] - a[1]).map(([area, us]) => ({ area, ms: ms(us), share: share(us) })),
    byPart: BUDGET_PARTS.map((part) => {
      const us = [...areas].filter(([area]) => partOf(area) === part).reduce((n, [, x]) => n + x, 0);
      return { part, ms: ms(us), share: share(us) };
    }).filter((p) => p.ms > 0),
    topFunctions: [...fns]
      .sort((a, b) => b[1].us - a[1].us)
      .slice(0, top)
      .map(([fn, e]) => ({ fn, area: e.area, ms: ms(e.us), share: share(e.us) })),
  };
}
