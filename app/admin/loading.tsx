import adminStyles from "./_components/admin.module.css";
// While an admin page loads on the server: the shell stays, the content shows its outline.
export default function AdminLoading() {
  return (
    <div className={adminStyles.adminLoading} role="status" aria-live="polite">
      <span className="visually-hidden">Loading…</span>
      <div className={`skeleton skeleton-line ${adminStyles.adminSkeletonTitle}`} />
      <div className={`skeleton ${adminStyles.adminSkeletonBlock}`} />
      <div className={`skeleton ${adminStyles.adminSkeletonBlock}`} />
    </div>
  );
}
