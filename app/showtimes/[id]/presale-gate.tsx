"use client";
// While a presale runs (or is next), only eligible fans go on to the waiting room: a fan on the presale's
// list or with a redeemed code sees the way in; anyone else is told so and can enter a code here, before
// joining the line. The server refuses them at the line and at every hold either way.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent, type ReactNode } from "react";
import { appErrorOf } from "../../_components/app-error";
import { Field } from "../../_components/field";
import { useTRPC } from "../../_trpc/client";
import styles from "./showtime.module.css";

export function PresaleGate({ showtimeId, signedIn, children }: { showtimeId: string; signedIn: boolean; children: ReactNode }) {
  if (!signedIn) {
    return (
      <section className={`card ${styles.joinCard}`} aria-labelledby="presale-title">
        <div>
          <h2 id="presale-title">Presale: code or invitation needed</h2>
          <p className="muted">Sign in with the account you were invited with, or sign in and enter your presale code.</p>
        </div>
        <Link href={`/sign-in?callbackUrl=${encodeURIComponent(`/showtimes/${showtimeId}`)}`} className="button">
          Sign in
        </Link>
      </section>
    );
  }
  return <SignedInGate showtimeId={showtimeId}>{children}</SignedInGate>;
}

function SignedInGate({ showtimeId, children }: { showtimeId: string; children: ReactNode }) {
  const trpc = useTRPC();
  const standing = useQuery(trpc.showtimes.presaleStanding.queryOptions({ showtimeId }));
  if (standing.isPending) return <div className={`card ${styles.accessChecking}`}>Checking your presale access…</div>;
  if (standing.isError) {
    return (
      <div className={`alert alert-error ${styles.accessError}`} role="alert">
        <p>We couldn’t check your presale access: {appErrorOf(standing.error).message}</p>
        <button type="button" className="button button-small" onClick={() => void standing.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  if (standing.data.eligible) {
    return (
      <>
        <p className="alert alert-success" role="status">
          {standing.data.via === "list" ? "You’re on this presale’s list." : "Your presale code is accepted for this account."} You can join
          the waiting room.
        </p>
        {children}
      </>
    );
  }
  return <CodeForm showtimeId={showtimeId} />;
}

function CodeForm({ showtimeId }: { showtimeId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | undefined>();
  const redeem = useMutation(
    trpc.showtimes.redeemPresaleCode.mutationOptions({
      onSuccess: (standing) => queryClient.setQueryData(trpc.showtimes.presaleStanding.queryKey({ showtimeId }), standing),
      onError: (err) => setError(appErrorOf(err).message),
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const typed = code.replace(/\s+/g, "");
    if (typed.length < 4) return setError("Enter the presale code you were sent.");
    setError(undefined);
    redeem.mutate({ showtimeId, code: typed });
  };
  return (
    <section className={`card ${styles.presaleCard}`} aria-labelledby="presale-title">
      <h2 id="presale-title">This presale needs a code</h2>
      <p className="muted">
        Your account isn’t on this presale’s list. If you have a presale code, enter it to unlock the presale for this account; otherwise
        come back when general sale opens.
      </p>
      <form className={styles.presaleForm} onSubmit={submit} noValidate>
        <Field
          id="presale-code"
          label="Presale code"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={60}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          error={error}
        />
        <button type="submit" className="button" disabled={redeem.isPending}>
          {redeem.isPending ? "Checking…" : "Unlock presale"}
        </button>
      </form>
    </section>
  );
}
