// The 403 page: signed in, but without the role a page needs (Next sends status 403 with it).
import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Not allowed" };

export default function Forbidden() {
  return (
    <section className="card status-page" aria-labelledby="forbidden-title">
      <p className="status-code">403 · Forbidden</p>
      <h1 id="forbidden-title">This page is for administrators</h1>
      <p className="muted">
        You’re signed in, but your account doesn’t have access to the admin dashboard. If you should have it, ask an
        Onsale administrator to give your account the admin role.
      </p>
      <div className="actions">
        <Link href="/" className="button">
          Browse concerts
        </Link>
        <Link href="/tickets" className="button button-secondary">
          My tickets
        </Link>
      </div>
    </section>
  );
}
