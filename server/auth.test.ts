// The session cookie's attributes: HttpOnly and SameSite=Lax always, Secure (and __Secure-) over https,
// and the name getToken reads is the one next-auth writes.
import { describe, expect, it } from "vitest";
import { authOptions } from "./auth.ts";
import { sessionCookie } from "./session.ts";

describe("session cookie", () => {
  it("is Secure with the __Secure- prefix when the app is served over https", () => {
    expect(sessionCookie("https://tickets.example")).toEqual({
      name: "__Secure-next-auth.session-token",
      options: { httpOnly: true, sameSite: "lax", path: "/", secure: true },
    });
  });

  it("is HttpOnly and SameSite=Lax but not Secure over plain http (local and e2e runs)", () => {
    for (const url of ["http://127.0.0.1:3100", undefined]) {
      expect(sessionCookie(url)).toEqual({
        name: "next-auth.session-token",
        options: { httpOnly: true, sameSite: "lax", path: "/", secure: false },
      });
    }
  });

  it("is what next-auth is configured with, secure cookies following the same answer", () => {
    const expected = sessionCookie();
    expect(authOptions.cookies?.sessionToken).toEqual(expected);
    expect(authOptions.useSecureCookies).toBe(expected.options.secure);
  });
});
