"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useRef, useState, type FormEvent } from "react";
import { z } from "zod";
import { ZSignInInput } from "@/server/domain/auth/schemas";
import { afterAuthPath, safeCallbackPath } from "../_components/callback-url";
import { EmailField, Field } from "../_components/field";
import { useHydrated } from "../_components/use-hydrated";
import styles from "../_components/auth-card.module.css";

type Values = { email: string; password: string };
type Errors = Partial<Record<keyof Values, string>>;

const WRONG = "Wrong email or password.";

/** The sign-in's error code (next-auth's, or server/domain/auth/sign-in.ts `signInErrorCode`) in words. */
function messageFor(code: string | undefined): string | undefined {
  if (!code) return undefined;
  if (code === "CredentialsSignin") return WRONG;
  const wait = /^RATE_LIMITED:(\d+)$/.exec(code);
  if (wait) return `Too many sign-in attempts. Please wait ${wait[1]} seconds and try again.`;
  if (code === "UNAVAILABLE") return "Onsale can’t sign anyone in right now. Please try again in a moment.";
  return "We couldn’t sign you in. Please try again.";
}

// Inputs are uncontrolled: what someone types before the page finishes loading is kept.
function readValues(form: HTMLFormElement): Values {
  const data = new FormData(form);
  return { email: String(data.get("email") ?? ""), password: String(data.get("password") ?? "") };
}

function validate(values: Values): Errors {
  const parsed = ZSignInInput.safeParse(values);
  if (parsed.success) return {};
  const fe = z.flattenError(parsed.error).fieldErrors;
  return { email: fe.email?.[0], password: fe.password?.[0] };
}

export function SignInForm({ callbackUrl, initialError }: { callbackUrl: string; initialError?: string }) {
  const router = useRouter();
  const hydrated = useHydrated();
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState(messageFor(initialError));
  const [pending, setPending] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const alertRef = useRef<HTMLDivElement>(null);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const values = readValues(e.currentTarget);
    setSubmitted(true);
    const found = validate(values);
    setErrors(found);
    if (found.email || found.password) {
      document.getElementById(found.email ? "email" : "password")?.focus();
      return;
    }
    setPending(true);
    setFormError(undefined);
    try {
      const res = await signIn("credentials", { ...values, redirect: false });
      if (!res || res.error || !res.ok) {
        setFormError(messageFor(res?.error ?? "Unknown"));
        setPending(false);
        requestAnimationFrame(() => alertRef.current?.focus());
        return;
      }
      router.replace(afterAuthPath(safeCallbackPath(callbackUrl, window.location.origin)));
      router.refresh();
    } catch {
      setFormError("We couldn’t reach the server. Check your connection and try again.");
      setPending(false);
    }
  }

  const signUpHref = callbackUrl === "/" ? "/sign-up" : `/sign-up?callbackUrl=${encodeURIComponent(callbackUrl)}`;

  return (
    <section className={`card ${styles.authCard}`} aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in</h1>
      <p className={styles.lead}>Welcome back. Sign in to get in line and buy tickets.</p>
      {formError ? (
        <div ref={alertRef} className="alert alert-error" role="alert" tabIndex={-1}>
          {formError}
        </div>
      ) : null}
      <form
        method="post"
        onSubmit={onSubmit}
        // After the first try, messages follow the fields as they are fixed.
        onChange={(e) => submitted && setErrors(validate(readValues(e.currentTarget)))}
        noValidate
        aria-busy={pending}
      >
        <EmailField error={errors.email} />
        <Field
          id="password"
          name="password"
          type="password"
          label="Password"
          autoComplete="current-password"
          error={errors.password}
          required
        />
        <button type="submit" className="button" disabled={!hydrated || pending}>
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <p className={styles.switch}>
        New to Onsale? <Link href={signUpHref}>Create an account</Link>
      </p>
    </section>
  );
}
