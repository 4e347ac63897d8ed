// A hold that does not exist, or is another fan's.
import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Hold not found" };

export default function HoldNotFound() {
  return (
    <section className="card status-page" aria-labelledby="hold-missing-title">
      <p className="status-code">404</p>
      <h1 id="hold-missing-title">We couldn’t find those seats</h1>
      <p className="muted">This checkout link doesn’t match any seats held for you. Your holds are on My tickets.</p>
      <div className="actions">
        <Link href="/tickets" className="button">
          My tickets
        </Link>
        <Link href="/" className="button button-secondary">
          Browse concerts
        </Link>
      </div>
    </section>
  );
}
