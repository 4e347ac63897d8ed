import { describe, expect, it } from "vitest";
import { ZSignInInput, ZSignUpInput } from "./schemas";

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

describe("sign-in rules", () => {
  const issues = (input: unknown) => {
    const result = ZSignInInput.safeParse(input);
    return result.success ? [] : result.error.issues.map((i) => i.message);
  };

  it("says in words what is wrong with a password or email over the limit", () => {
    expect(issues({ email: "mina@example.com", password: "x".repeat(129) })).toEqual([
      "Passwords are at most 128 characters: check what you typed.",
    ]);
    expect(issues({ email: `${"m".repeat(250)}@example.com`, password: "blue-harbor-42" })).toEqual([
      "An email address has at most 254 characters.",
    ]);
    expect(issues({ email: "mina@example.com", password: "x".repeat(128) })).toEqual([]);
  });
});
