"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useRef, useState, type FormEvent } from "react";
import { z } from "zod";
import { ZSignInInput } from "@/server/domain/auth/schemas";
import { afterAuthPath, safeCallbackPath } from "../_components/callback-url";
import { Field } from "../_components/field";

type Errors = { email?: string; password?: string };

const WRONG = "Wrong email or password.";

function messageFor(code: string | undefined): string | undefined {
  if (!code) return undefined;
  return code === "CredentialsSignin" ? WRONG : "We couldn’t sign you in. Please try again.";
}

export function SignInForm({ callbackUrl, initialError }: { callbackUrl: string; initialError?: string }) {
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState(messageFor(initialError));
  const [pending, setPending] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const alertRef = useRef<HTMLDivElement>(null);

  const validate = (values: { email: string; password: string }) => {
    const parsed = ZSignInInput.safeParse(values);
    if (parsed.success) return {};
    const fe = z.flattenError(parsed.error).fieldErrors;
    return { email: fe.email?.[0], password: fe.password?.[0] };
  };

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setSubmitted(true);
    const found = validate({ email, password });
    setErrors(found);
    if (found.email || found.password) {
      document.getElementById(found.email ? "email" : "password")?.focus();
      return;
    }
    setPending(true);
    setFormError(undefined);
    try {
      const res = await signIn("credentials", { email, password, redirect: false });
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

  const onChange = (key: keyof Errors, set: (v: string) => void) => (e: { target: { value: string } }) => {
    set(e.target.value);
    if (submitted) setErrors(validate({ email, password, [key]: e.target.value }));
  };

  const signUpHref = callbackUrl === "/" ? "/sign-up" : `/sign-up?callbackUrl=${encodeURIComponent(callbackUrl)}`;

  return (
    <section className="card auth-card" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in</h1>
      <p className="lead">Welcome back. Sign in to get in line and buy tickets.</p>
      {formError ? (
        <div ref={alertRef} className="alert alert-error" role="alert" tabIndex={-1}>
          {formError}
        </div>
      ) : null}
      <form onSubmit={onSubmit} noValidate aria-busy={pending}>
        <Field
          id="email"
          name="email"
          type="email"
          label="Email"
          autoComplete="email"
          inputMode="email"
          spellCheck={false}
          value={email}
          onChange={onChange("email", setEmail)}
          error={errors.email}
          required
        />
        <Field
          id="password"
          name="password"
          type="password"
          label="Password"
          autoComplete="current-password"
          value={password}
          onChange={onChange("password", setPassword)}
          error={errors.password}
          required
        />
        <button type="submit" className="button" disabled={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <p className="switch">
        New to Onsale? <Link href={signUpHref}>Create an account</Link>
      </p>
    </section>
  );
}
