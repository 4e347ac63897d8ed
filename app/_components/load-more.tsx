// The footer of a paged list: a button for the next page, and an alert when that page failed to load.
// Renders nothing once the last page is in.
type Pages = {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  isFetchNextPageError: boolean;
  fetchNextPage: () => Promise<unknown>;
};

type Props = {
  /** The list's infinite query. */
  pages: Pages;
  /** The list's own footer class, which sets its spacing. */
  className: string | undefined;
  /** What the button says when idle, e.g. "Show older orders". */
  label: string;
  /** The alert shown when the last page failed, e.g. "We couldn’t load more orders. Please try again." */
  errorMessage: string;
};

export function LoadMore({ pages, className, label, errorMessage }: Props) {
  if (!pages.hasNextPage) return null;
  return (
    <div className={className}>
      {pages.isFetchNextPageError ? (
        <p className="alert alert-error" role="alert">
          {errorMessage}
        </p>
      ) : null}
      <button
        type="button"
        className="button button-secondary"
        disabled={pages.isFetchingNextPage}
        onClick={() => void pages.fetchNextPage()}
      >
        {pages.isFetchingNextPage ? "Loading…" : label}
      </button>
    </div>
  );
}
