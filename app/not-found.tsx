import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <section className="card status-page" aria-labelledby="not-found-title">
      <p className="status-code">404</p>
      <h1 id="not-found-title">We couldn’t find that page</h1>
      <p className="muted">The concert or page you’re looking for doesn’t exist, or is no longer on sale.</p>
      <div className="actions">
        <Link href="/" className="button">
          Browse concerts
        </Link>
        <Link href="/search" className="button button-secondary">
          Search
        </Link>
      </div>
    </section>
  );
}
