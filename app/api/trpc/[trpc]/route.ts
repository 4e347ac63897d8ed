import { handleTrpcRequest } from "@/server/api/http";
import { sessionUserOf } from "@/server/auth";

const handler = (req: Request) => handleTrpcRequest(req, () => sessionUserOf(req));

export { handler as GET, handler as POST };
