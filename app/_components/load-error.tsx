// What a page or list shows when it could not be loaded: what failed, why, and a way to try again that
// says when it is trying.
import { appErrorOf } from "./app-error";

type Retry = { retrying: boolean; onRetry: () => void; className?: string };

export function RetryButton({ retrying, onRetry, className = "button" }: Retry) {
  return (
    <button type="button" className={className} disabled={retrying} onClick={onRetry}>
      {retrying ? "Retrying…" : "Try again"}
    </button>
  );
}

/** A failed query's state: its error, and a retry (TanStack Query's `refetch`). */
type FailedQuery = { error: unknown; isFetching: boolean; refetch: () => unknown };

type Props = {
  title: string;
  query: FailedQuery;
  /** The heading level: h2 for a page's main list, h3 for a part of a page. */
  level?: "h2" | "h3";
  className?: string;
};

export function LoadError({ title, query, level: Heading = "h2", className }: Props) {
  return (
    <div className={className ? `empty-state ${className}` : "empty-state"} role="alert">
      <Heading>{title}</Heading>
      <p>{appErrorOf(query.error).message}</p>
      <p>
        <RetryButton retrying={query.isFetching} onRetry={() => void query.refetch()} />
      </p>
    </div>
  );
}
