// The footer of a paged list: a button for the next page, and an alert when that page failed to load.
type Props = {
  /** The list's own footer class, which sets its spacing. */
  className: string | undefined;
  /** What the button says when idle, e.g. "Show older orders". */
  label: string;
  /** The alert shown when the last page failed, e.g. "We couldn’t load more orders. Please try again." */
  errorMessage: string;
  loading: boolean;
  failed: boolean;
  onLoadMore: () => void;
};

export function LoadMore({ className, label, errorMessage, loading, failed, onLoadMore }: Props) {
  return (
    <div className={className}>
      {failed ? (
        <p className="alert alert-error" role="alert">
          {errorMessage}
        </p>
      ) : null}
      <button type="button" className="button button-secondary" disabled={loading} onClick={onLoadMore}>
        {loading ? "Loading…" : label}
      </button>
    </div>
  );
}
