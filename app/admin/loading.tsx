// While an admin page loads on the server: the shell stays, the content shows its outline.
export default function AdminLoading() {
  return (
    <div className="admin-loading" role="status" aria-live="polite">
      <span className="visually-hidden">Loading…</span>
      <div className="skeleton skeleton-line admin-skeleton-title" />
      <div className="skeleton admin-skeleton-block" />
      <div className="skeleton admin-skeleton-block" />
    </div>
  );
}
