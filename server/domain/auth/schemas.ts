// Sign-up and sign-in input rules, shared by the router and the forms.
import { z } from "zod";

export const EMAIL_MAX = 254;
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

export const ZEmail = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "Enter your email address.")
  .max(EMAIL_MAX, `An email address has at most ${EMAIL_MAX} characters.`)
  .pipe(z.email({ message: "Enter a valid email address, like name@example.com." }));

export const ZPassword = z
  .string()
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`)
  .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters.`)
  .refine((p) => /[A-Za-z]/.test(p) && /[^A-Za-z]/.test(p), {
    message: "Mix letters with at least one number or symbol.",
  })
  .refine((p) => new Set(p).size >= 5, { message: "Too repetitive: use at least 5 different characters." });

export const ZSignUpInput = z
  .strictObject({
    name: z.string().trim().min(1, "Enter your name.").max(80, "Use at most 80 characters."),
    email: ZEmail,
    password: ZPassword,
  })
  .refine((v) => !v.password.toLowerCase().includes(v.email.split("@")[0] ?? "\u0000"), {
    message: "Your password must not contain your email name.",
    path: ["password"],
  });
export type TSignUpInput = z.infer<typeof ZSignUpInput>;

export const ZSignInInput = z.strictObject({
  email: ZEmail,
  password: z
    .string()
    .min(1, "Enter your password.")
    .max(PASSWORD_MAX, `Passwords are at most ${PASSWORD_MAX} characters: check what you typed.`),
});
export type TSignInInput = z.infer<typeof ZSignInInput>;
