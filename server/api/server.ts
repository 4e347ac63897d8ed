// tRPC for React Server Components: the same procedures, called in-process with the request's session.
import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import { getSession } from "../auth.ts";
import { createCaller } from "./root.ts";
import { clientIpOf, requestIdOf } from "./request.ts";
import { createContext } from "./trpc.ts";

export const serverApi = cache(async () => {
  const h = await headers();
  const session = await getSession();
  return createCaller(createContext({ user: session?.user ?? null, requestId: requestIdOf(h), ip: clientIpOf(h) }));
});
