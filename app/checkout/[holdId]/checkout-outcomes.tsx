// How a checkout can end other than with the Pay button: already paid, the hold gone, or the fan's turn
// to buy over while the seats are still held.
import Link from "next/link";
import { formatClock } from "./clock";
import styles from "./checkout.module.css";

export function Paid({ orderId }: { orderId: string | null }) {
  return (
    <section className={`card ${styles.checkoutCard}`} aria-labelledby="paid-title">
      <h2 id="paid-title">These seats are paid for</h2>
      {orderId ? (
        <p role="status">Payment complete. Opening your tickets…</p>
      ) : (
        <p>You’ve already bought these seats. Your tickets are with the order.</p>
      )}
      <p>
        <Link href={orderId ? `/orders/${orderId}?new=1` : "/orders"} className="button">
          {orderId ? "See your tickets" : "Your orders"}
        </Link>
      </p>
    </section>
  );
}

export function Ended({ showtimeId, message }: { showtimeId: string; message?: string }) {
  return (
    <section className={`card ${styles.checkoutCard}`} aria-labelledby="ended-title" role="alert">
      <h2 id="ended-title">Your hold has ended</h2>
      <p>
        {message ?? "The time to pay for these seats ran out, so they went back on sale and may have gone to someone else."} Nothing was
        charged.
      </p>
      <p>
        <Link href={`/showtimes/${showtimeId}`} className="button">
          Choose seats again
        </Link>
      </p>
    </section>
  );
}

export function TurnEnded({ showtimeId, heldUntil }: { showtimeId: string; heldUntil: Date }) {
  return (
    <section className={`card ${styles.checkoutCard}`} aria-labelledby="turn-title">
      <h2 id="turn-title">Your turn to buy has ended</h2>
      <p>
        Paying needs an active turn from the waiting room, and yours in this tab has ended. The seats stay held for you until{" "}
        <time dateTime={heldUntil.toISOString()}>{formatClock(heldUntil)}</time>: if the waiting room lets you in again before then, you can
        still pay for them.
      </p>
      <p>
        <Link href={`/showtimes/${showtimeId}/queue`} className="button">
          Join the waiting room
        </Link>
      </p>
    </section>
  );
}
