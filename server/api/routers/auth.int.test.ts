import { describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { prisma } from "../../db.ts";
import { verifyCredentials } from "../../domain/auth/users.ts";
import { uniq } from "../../../test/support/factories.ts";
import { withoutUniqueIndexes } from "../../../test/support/races.ts";
import { createCaller } from "../root.ts";
import { createContext } from "../trpc.ts";

const anon = () => createCaller(createContext({}));

async function errorOf(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    return e as TRPCError;
  }
  throw new Error("expected the call to fail");
}

describe("auth.signUp", () => {
  it("creates a USER with an argon2id hash and normalised email", async () => {
    const email = `${uniq("Mina")}@Example.test`;
    const user = await anon().auth.signUp({ name: "Mina", email, password: "blue-harbor-42" });
    expect(user).toMatchObject({ email: email.toLowerCase(), role: "USER", name: "Mina" });
    const row = await prisma().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.passwordHash).not.toContain("blue-harbor-42");
  });

  it("refuses a duplicate email with EMAIL_TAKEN, ignoring case", async () => {
    const email = `${uniq("dup")}@example.test`;
    await anon().auth.signUp({ name: "A", email, password: "blue-harbor-42" });
    const err = await errorOf(anon().auth.signUp({ name: "B", email: email.toUpperCase(), password: "blue-harbor-43" }));
    expect(err.code).toBe("CONFLICT");
    expect(err.message).toMatch(/^We couldn’t create an account with this email address\./);
    expect(err.message).not.toMatch(/exists|taken|registered/);
    expect(await prisma().user.count({ where: { email } })).toBe(1);
  });

  it("lets exactly one of many parallel sign-ups with the same email through", async () => {
    const email = `${uniq("race")}@example.test`;
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => anon().auth.signUp({ name: `R${i}`, email, password: "blue-harbor-42" })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r): r is PromiseRejectedResult => r.status === "rejected")) {
      expect((r.reason as TRPCError).code).toBe("CONFLICT");
    }
    expect(await prisma().user.count({ where: { email } })).toBe(1);
  });

  // Sign-up has no lock and no check-then-insert: the unique index on User.email is the whole protection,
  // so the control drops it. Accounts are not part of the auditor's invariants (it audits sales), so the
  // witness is the table itself: several accounts with one email.
  it("control: with the unique index on email dropped, 20 parallel sign-ups with one email all create an account", async () => {
    const email = `${uniq("race")}@example.test`;
    const accounts = await withoutUniqueIndexes(
      ["User_email_key"],
      async () => {
        const results = await Promise.allSettled(
          Array.from({ length: 20 }, (_, i) => anon().auth.signUp({ name: `R${i}`, email, password: "blue-harbor-42" })),
        );
        expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(20);
        return prisma().user.count({ where: { email } });
      },
      async (tx) => {
        await tx.user.deleteMany({ where: { email } });
      },
    );
    expect(accounts).toBe(20);
    // The index is back: the email is free again, and only once.
    await anon().auth.signUp({ name: "A", email, password: "blue-harbor-42" });
    expect((await errorOf(anon().auth.signUp({ name: "B", email, password: "blue-harbor-42" }))).code).toBe("CONFLICT");
  });

  it("refuses a weak password with field errors and creates nothing", async () => {
    const email = `${uniq("weak")}@example.test`;
    const err = await errorOf(anon().auth.signUp({ name: "W", email, password: "short" }));
    expect(err.code).toBe("BAD_REQUEST");
    expect(await prisma().user.count({ where: { email } })).toBe(0);
  });
});

describe("verifyCredentials", () => {
  it("accepts the right password only", async () => {
    const email = `${uniq("cred")}@example.test`;
    await anon().auth.signUp({ name: "C", email, password: "blue-harbor-42" });
    expect(await verifyCredentials({ email: email.toUpperCase(), password: "blue-harbor-42" })).toMatchObject({ email });
    expect(await verifyCredentials({ email, password: "blue-harbor-41" })).toBeNull();
    expect(await verifyCredentials({ email: `nobody-${email}`, password: "blue-harbor-42" })).toBeNull();
  });
});

describe("auth.me", () => {
  it("needs a session", async () => {
    const err = await errorOf(anon().auth.me());
    expect(err.code).toBe("UNAUTHORIZED");
  });
});
