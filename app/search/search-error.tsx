"use client";
// Shown in place of results when the search itself failed; retrying re-renders the results on the server.
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { RetryButton } from "../_components/load-error";

export function SearchError() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <div className="empty-state" role="alert">
      <h2>We couldn’t load results</h2>
      <p>Something went wrong on our side. Please try again.</p>
      <p>
        <RetryButton retrying={pending} onRetry={() => startTransition(() => router.refresh())} />
      </p>
    </div>
  );
}
