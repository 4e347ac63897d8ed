"use client";
// An admin page that failed to load: the side navigation stays usable, with a retry here.
import { useEffect } from "react";
import adminStyles from "./_components/admin.module.css";

export default function AdminError({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error ? (error as Error & { digest?: string }).digest : undefined;
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <section className={`card ${adminStyles.adminPanel} ${adminStyles.adminError}`} role="alert" aria-labelledby="admin-error-title">
      <h1 id="admin-error-title">This page didn’t load</h1>
      <p className="muted">Something went wrong while reading it from the server. It’s usually temporary.</p>
      {digest ? (
        <p className="muted">
          Reference: <code>{digest}</code>
        </p>
      ) : null}
      <button type="button" className="button" onClick={() => retry()}>
        Try again
      </button>
    </section>
  );
}
