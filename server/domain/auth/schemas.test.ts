import { describe, expect, it } from "vitest";
import { ZSignUpInput } from "./schemas";

function messages(input: unknown): string[] {
  const result = ZSignUpInput.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => i.message);
}

describe("sign-up rules", () => {
  const ok = { name: "Mina", email: "  Mina@Example.com ", password: "blue-harbor-42" };

  it("accepts a good sign-up and normalises the email", () => {
    expect(ZSignUpInput.parse(ok).email).toBe("mina@example.com");
  });

  it.each([
    ["short", "Use at least 10 characters."],
    ["abcdefghijkl", "Mix letters with at least one number or symbol."],
    ["1234567890", "Mix letters with at least one number or symbol."],
    ["aaaa1aaaa1aa", "Too repetitive: use at least 5 different characters."],
    ["mina-rocks-2026", "Your password must not contain your email name."],
  ])("refuses the weak password %s", (password, message) => {
    expect(messages({ ...ok, password })).toContain(message);
  });

  it("refuses a bad email with a readable message", () => {
    expect(messages({ ...ok, email: "not-an-email" })).toContain("Enter a valid email address, like name@example.com.");
  });
});
