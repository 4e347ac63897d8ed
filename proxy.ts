// Gives every request an id (kept from the caller when well-formed) that logs and error bodies carry.
import { NextResponse, type NextRequest } from "next/server";
import { requestIdOf } from "./server/api/request";

export function proxy(request: NextRequest) {
  const requestId = requestIdOf(request.headers);
  const headers = new Headers(request.headers);
  headers.set("x-request-id", requestId);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("x-request-id", requestId);
  return response;
}

export const config = {
  matcher: ["/((?!_next/|images/|favicon).*)"],
};
