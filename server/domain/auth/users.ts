// Accounts: registration and credential checks.
import { prisma, type DbTx } from "../../db.ts";
import { Prisma } from "../../generated/prisma/client.ts";
import type { Role } from "../../generated/prisma/enums.ts";
import { AppError } from "../errors.ts";
import { dummyPasswordHash, hashPassword, verifyPassword } from "./passwords.ts";
import { ZSignInInput, ZSignUpInput, type TSignInInput, type TSignUpInput } from "./schemas.ts";

export type SessionUser = { id: string; email: string; name: string; role: Role };

const sessionUserSelect = { id: true, email: true, name: true, role: true } as const;

export async function registerUser(
  input: TSignUpInput,
  { db = prisma(), role = "USER" as Role }: { db?: DbTx; role?: Role } = {},
): Promise<SessionUser> {
  const { name, email, password } = ZSignUpInput.parse(input);
  const passwordHash = await hashPassword(password);
  try {
    return await db.user.create({ data: { name, email, passwordHash, role }, select: sessionUserSelect });
  } catch (error) {
    // The unique index decides races between two sign-ups with the same email.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      // Neutral words, but still an answer a new account does not get: once mail lands, sign-up answers the
      // same either way and the mail says the rest.
      throw new AppError(
        "EMAIL_TAKEN",
        "We couldn’t create an account with this email address. If you have signed up with it before, sign in instead.",
        {
          field: "email",
        },
      );
    }
    throw error;
  }
}

/** Returns the user for a correct email and password, else null (never says which part was wrong). */
export async function verifyCredentials(input: TSignInInput, { db = prisma() }: { db?: DbTx } = {}) {
  const parsed = ZSignInInput.safeParse(input);
  if (!parsed.success) return null;
  const user = await db.user.findUnique({
    where: { email: parsed.data.email },
    select: { ...sessionUserSelect, passwordHash: true },
  });
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), parsed.data.password);
  if (!user || !ok) return null;
  const { passwordHash: _omit, ...sessionUser } = user;
  void _omit;
  return sessionUser satisfies SessionUser;
}
