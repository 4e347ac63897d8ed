"use client";
import { useMutation } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useRef, useState, type FormEvent } from "react";
import { z } from "zod";
import type { AppRouter } from "@/server/api/root";
import { PASSWORD_MAX, PASSWORD_MIN, ZSignUpInput, type TSignUpInput } from "@/server/domain/auth/schemas";
import { useTRPC } from "../_trpc/client";
import { afterAuthPath, safeCallbackPath } from "../_components/callback-url";
import { EmailField, Field } from "../_components/field";
import { useHydrated } from "../_components/use-hydrated";
import styles from "../_components/auth-card.module.css";

type Values = { name: string; email: string; password: string };
type Errors = Partial<Record<keyof Values, string>>;
const FIELDS = ["name", "email", "password"] as const;

// Inputs are uncontrolled: what someone types before the page finishes loading is kept.
function readValues(form: HTMLFormElement): Values {
  const data = new FormData(form);
  const get = (k: keyof Values) => String(data.get(k) ?? "");
  return { name: get("name"), email: get("email"), password: get("password") };
}

function firstErrors(fieldErrors: Partial<Record<string, string[] | undefined>>): Errors {
  return { name: fieldErrors.name?.[0], email: fieldErrors.email?.[0], password: fieldErrors.password?.[0] };
}

function validate(values: Values): Errors {
  const parsed = ZSignUpInput.safeParse(values);
  return parsed.success ? {} : firstErrors(z.flattenError(parsed.error).fieldErrors);
}

/** Turns a failed sign-up into messages: field errors where the server named a field, else one for the form. */
function serverErrors(error: unknown): { fields: Errors; form?: string } {
  if (error instanceof TRPCClientError) {
    const e = error as TRPCClientError<AppRouter>;
    if (e.data?.appCode === "EMAIL_TAKEN") return { fields: { email: e.message } };
    const fieldErrors = e.data?.details?.fieldErrors;
    if (fieldErrors && typeof fieldErrors === "object") {
      const fields = firstErrors(fieldErrors as Partial<Record<string, string[]>>);
      if (FIELDS.some((f) => fields[f])) return { fields };
    }
    return { fields: {}, form: e.message || "We couldn’t create your account. Please try again." };
  }
  return { fields: {}, form: "We couldn’t reach the server. Check your connection and try again." };
}

export function SignUpForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const signUp = useMutation(trpc.auth.signUp.mutationOptions());
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string>();
  const [submitted, setSubmitted] = useState(false);
  const [signingIn, setSigningIn] = useState(false);
  const alertRef = useRef<HTMLDivElement>(null);
  const pending = signUp.isPending || signingIn;

  function onChange(e: FormEvent<HTMLFormElement>) {
    // Before the first submit, stay quiet; after it, messages follow the fields as they are fixed.
    if (!submitted) return;
    const changed = (e.target as HTMLInputElement).name;
    const now = validate(readValues(e.currentTarget));
    // A server-side email message ("already taken") stays until the email itself changes.
    setErrors((prev) => (changed !== "email" && prev.email && !now.email ? { ...now, email: prev.email } : now));
  }

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const values = readValues(e.currentTarget);
    setSubmitted(true);
    setFormError(undefined);
    const found = validate(values);
    setErrors(found);
    const firstBad = FIELDS.find((f) => found[f]);
    if (firstBad) {
      document.getElementById(firstBad)?.focus();
      return;
    }
    let input: TSignUpInput;
    try {
      input = ZSignUpInput.parse(values);
      await signUp.mutateAsync(input);
    } catch (error) {
      const { fields, form } = serverErrors(error);
      setErrors(fields);
      setFormError(form);
      const bad = FIELDS.find((f) => fields[f]);
      if (bad) document.getElementById(bad)?.focus();
      else requestAnimationFrame(() => alertRef.current?.focus());
      return;
    }
    setSigningIn(true);
    const res = await signIn("credentials", { email: input.email, password: values.password, redirect: false }).catch(() => undefined);
    if (!res?.ok || res.error) {
      // The account exists; only the automatic sign-in failed. Send them to sign in by hand.
      router.push(`/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}`);
      return;
    }
    router.replace(afterAuthPath(safeCallbackPath(callbackUrl, window.location.origin)));
    router.refresh();
  }

  const signInHref = callbackUrl === "/" ? "/sign-in" : `/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}`;

  return (
    <section className={`card ${styles.authCard}`} aria-labelledby="sign-up-title">
      <h1 id="sign-up-title">Create your account</h1>
      <p className={styles.lead}>One account per fan keeps the line fair. It takes a minute.</p>
      {formError ? (
        <div ref={alertRef} className="alert alert-error" role="alert" tabIndex={-1}>
          {formError}
        </div>
      ) : null}
      <form method="post" onSubmit={onSubmit} onChange={onChange} noValidate aria-busy={pending}>
        <Field id="name" name="name" label="Name" autoComplete="name" error={errors.name} maxLength={80} required />
        <EmailField error={errors.email} />
        <Field
          id="password"
          name="password"
          type="password"
          label="Password"
          autoComplete="new-password"
          hint={`At least ${PASSWORD_MIN} characters, mixing letters with a number or symbol.`}
          error={errors.password}
          maxLength={PASSWORD_MAX}
          required
        />
        <button type="submit" className="button" disabled={!hydrated || pending}>
          {signingIn ? "Signing you in…" : signUp.isPending ? "Creating account…" : "Create account"}
        </button>
      </form>
      <p className={styles.switch}>
        Already have an account? <Link href={signInHref}>Sign in</Link>
      </p>
    </section>
  );
}
