// An order that does not exist, or is another fan's: the same answer either way.
import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Order not found" };

export default function OrderNotFound() {
  return (
    <section className="card status-page" aria-labelledby="order-missing-title">
      <p className="status-code">404</p>
      <h1 id="order-missing-title">We couldn’t find that order</h1>
      <p className="muted">It doesn’t exist, or it belongs to another account. Your own orders are all on the Orders page.</p>
      <div className="actions">
        <Link href="/orders" className="button">
          Your orders
        </Link>
        <Link href="/" className="button button-secondary">
          Browse concerts
        </Link>
      </div>
    </section>
  );
}
