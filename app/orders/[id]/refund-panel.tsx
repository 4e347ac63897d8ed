"use client";
// Cancelling an order for a refund, in two steps so nobody loses tickets to a stray click; the page is read
// again afterwards and shows the order refunded.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { appErrorOf } from "../../_components/app-error";
import { useTRPC } from "../../_trpc/client";
import styles from "./order.module.css";

type Props = { orderId: string; amount: string; ticketsWord: string; until: string; untilIso: string };

export function RefundPanel({ orderId, amount, ticketsWord, until, untilIso }: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [refreshing, startRefresh] = useTransition();
  const confirmRef = useRef<HTMLDivElement>(null);
  const startRef = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);

  const refund = useMutation(
    trpc.orders.refund.mutationOptions({
      onSuccess: async () => {
        await Promise.all([
          queryClient.invalidateQueries(trpc.wallet.pathFilter()),
          queryClient.invalidateQueries(trpc.orders.list.pathFilter()),
          queryClient.invalidateQueries(trpc.tickets.pathFilter()),
        ]);
        startRefresh(() => router.refresh());
      },
    }),
  );

  // Focus follows the step: into the question when it opens, back to the button when it closes.
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
    else if (wasConfirming.current) startRef.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  const busy = refund.isPending || refreshing;
  const error = refund.isError ? appErrorOf(refund.error) : null;

  return (
    <div className="refund-panel">
      <p>
        You can cancel this order until <time dateTime={untilIso}>{until}</time> and get {amount} back in your wallet.
      </p>
      {confirming ? (
        <div ref={confirmRef} tabIndex={-1} className={styles.refundConfirm} role="group" aria-labelledby="refund-question">
          <p id="refund-question">
            <strong>Cancel this order?</strong> Your {ticketsWord} will stop working and the seats go back on sale. {amount} goes back to
            your wallet. This can’t be undone.
          </p>
          <div className={styles.refundActions}>
            <button type="button" className="button button-danger" disabled={busy} onClick={() => refund.mutate({ orderId })}>
              {busy ? "Cancelling…" : `Yes, cancel and refund ${amount}`}
            </button>
            <button type="button" className="button button-secondary" disabled={busy} onClick={() => setConfirming(false)}>
              Keep my tickets
            </button>
          </div>
        </div>
      ) : (
        <button
          ref={startRef}
          type="button"
          className="button button-secondary"
          onClick={() => {
            refund.reset();
            setConfirming(true);
          }}
        >
          Cancel order…
        </button>
      )}
      <p role="status" className="visually-hidden">
        {refund.isSuccess ? `Order cancelled. ${amount} went back to your wallet.` : ""}
      </p>
      {error ? (
        <p className={`alert alert-error ${styles.refundError}`} role="alert">
          {error.code === "NETWORK" ? error.message : `We couldn’t cancel this order: ${error.message}`}
        </p>
      ) : null}
    </div>
  );
}
