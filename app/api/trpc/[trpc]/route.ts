import { handleTrpcRequest } from "@/server/api/http";
import { getSession } from "@/server/auth";

const handler = (req: Request) => handleTrpcRequest(req, async () => (await getSession())?.user ?? null);

export { handler as GET, handler as POST };
