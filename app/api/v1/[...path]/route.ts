// The REST API (server/api/rest): every /api/v1 resource.
import { handleRestRequest } from "@/server/api/rest/handler";
import { sessionUserOf } from "@/server/auth";

export const dynamic = "force-dynamic";

const handler = (req: Request) => handleRestRequest(req, () => sessionUserOf(req));

export { handler as DELETE, handler as GET, handler as POST, handler as PUT };
