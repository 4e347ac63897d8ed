"use client";
// The error boundary for every page: a calm message and a retry, never a stack trace.
import Link from "next/link";
import { useEffect } from "react";

export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error ? (error as Error & { digest?: string }).digest : undefined;
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <section className="card status-page" aria-labelledby="error-title" role="alert">
      <p className="status-code">Error</p>
      <h1 id="error-title">Something went wrong</h1>
      <p className="muted">We couldn’t load this page. It’s usually temporary — please try again.</p>
      {digest ? (
        <p className="muted">
          Reference: <code>{digest}</code>
        </p>
      ) : null}
      <div className="actions">
        <button type="button" className="button" onClick={() => retry()}>
          Try again
        </button>
        <Link href="/" className="button button-secondary">
          Go home
        </Link>
      </div>
    </section>
  );
}
