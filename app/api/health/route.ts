import { prisma } from "@/server/db";
import { checkHealth } from "@/server/domain/health/health";
import { redis } from "@/server/redis";

export const dynamic = "force-dynamic";

export async function GET() {
  const health = await checkHealth({ db: prisma, redis: redis() });
  return Response.json(health, {
    status: health.status === "ok" ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
