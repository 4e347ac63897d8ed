// The partner channel price API (server/api/partner.ts).
import { handlePartnerPrice } from "@/server/api/partner";

export const dynamic = "force-dynamic";

export async function GET(req: Request, { params }: { params: Promise<{ product_id: string }> }) {
  return handlePartnerPrice(req, (await params).product_id);
}
