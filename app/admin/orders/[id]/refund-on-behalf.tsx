"use client";
// A refund on the fan's behalf, in two steps so no order is refunded by a stray click. The server applies the
// fan's own rules (cutoff, not refunded yet, every ticket still the buyer's); a refusal is shown as it came.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useEffect, useRef, useState } from "react";
import type { AppRouter } from "@/server/api/root";
import { formatMoney } from "@/server/domain/money";
import { appErrorOf } from "@/app/_components/app-error";
import { formatShowDateTime } from "@/app/_components/format";
import { useNow } from "@/app/_components/use-now";
import { useTRPC } from "@/app/_trpc/client";
import { refundStateOf } from "./refund-state";
import { REFUND_REASON_MAX, ZRefundReason } from "@/server/domain/checkout/refund-reason";
import adminStyles from "../../_components/admin.module.css";
import styles from "./order.module.css";

type Order = inferRouterOutputs<AppRouter>["admin"]["orders"]["byId"];

const at = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", year: "numeric", hour: "numeric", minute: "2-digit" });

export function RefundOnBehalf({ order, fanEmail, refundedBy }: { order: Order; fanEmail: string | null; refundedBy: string | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // 0 until the first tick: then only the server's own verdict (canRefund) counts.
  const now = useNow();
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const confirmRef = useRef<HTMLDivElement>(null);
  const amount = formatMoney(order.totalMinor, order.currency);
  const tz = order.event.venue.timezone;

  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries(trpc.admin.orders.pathFilter()),
      queryClient.invalidateQueries(trpc.admin.audit.pathFilter()),
      queryClient.invalidateQueries(trpc.admin.showtimes.live.pathFilter()),
    ]);
  const refund = useMutation(
    trpc.admin.orders.refund.mutationOptions({
      // The order is read again before the question closes, so the card goes straight to "Refunded".
      onSuccess: async (result) => {
        await refresh();
        setConfirming(false);
        setAnnouncement(`Refunded. ${formatMoney(result.refundedMinor, order.currency)} went back to the fan’s wallet.`);
      },
      // A refusal may mean the order changed under us (another admin, the fan): read it again.
      onError: () => void refresh(),
    }),
  );

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  const state = refundStateOf(order, now);
  const error = refund.isError ? appErrorOf(refund.error) : null;
  const n = order.ticketCount;

  let body;
  switch (state.kind) {
    case "refunded":
      body = (
        <p>
          Refunded
          {order.refundedAt ? (
            <>
              {" "}
              on <time dateTime={order.refundedAt.toISOString()}>{at.format(order.refundedAt)}</time>
            </>
          ) : null}
          {refundedBy ? <> by {refundedBy}</> : null}. {amount} went back to the fan’s wallet; the tickets no longer work and the seats are
          back on sale.
          {order.refundReason ? (
            <>
              {" "}
              Reason given to the fan: <q>{order.refundReason}</q>
            </>
          ) : null}
        </p>
      );
      break;
    case "transferred":
      body = (
        <p className="alert alert-warning">
          This order can’t be refunded: {state.count === 1 ? "one of its tickets now belongs" : `${state.count} of its tickets now belong`}{" "}
          to another fan.
        </p>
      );
      break;
    case "cutoff":
      body = (
        <p className="alert alert-warning">
          This order can’t be refunded: refunds for this show closed
          {state.cutoff ? (
            <>
              {" "}
              on <time dateTime={state.cutoff.toISOString()}>{formatShowDateTime(state.cutoff, tz)}</time>
            </>
          ) : null}
          .
        </p>
      );
      break;
    case "refundable":
      body = (
        <>
          <p>
            Refundable until <time dateTime={state.until.toISOString()}>{formatShowDateTime(state.until, tz)}</time>, under the same rules
            as the fan’s own refund.
          </p>
          {confirming ? (
            <div ref={confirmRef} tabIndex={-1} className={adminStyles.opsConfirm} role="group" aria-labelledby="refund-question">
              <p id="refund-question">
                <strong>
                  Refund {amount} to {fanEmail ?? "the fan"}?
                </strong>{" "}
                The {n === 1 ? "ticket stops" : `${n} tickets stop`} working, the seats go back on sale and the money goes back to the fan’s
                wallet. The refund is recorded under your name. This can’t be undone.
              </p>
              <div className="field">
                <label htmlFor="refund-reason">Reason (the fan sees it on the order)</label>
                <textarea
                  id="refund-reason"
                  className="input"
                  rows={2}
                  maxLength={REFUND_REASON_MAX}
                  value={reason}
                  aria-invalid={reasonError ? true : undefined}
                  aria-describedby={reasonError ? "refund-reason-error" : undefined}
                  onChange={(e) => {
                    setReason(e.currentTarget.value);
                    setReasonError(null);
                  }}
                  placeholder="For example: the show moved to a date you cannot make, as you asked by email."
                />
                {reasonError ? (
                  <p id="refund-reason-error" className="field-error">
                    {reasonError}
                  </p>
                ) : null}
              </div>
              <div className={adminStyles.opsConfirmActions}>
                <button
                  type="button"
                  className="button button-danger"
                  disabled={refund.isPending}
                  onClick={() => {
                    const checked = ZRefundReason.safeParse(reason);
                    if (!checked.success) {
                      setReasonError(checked.error.issues[0]?.message ?? "Say why the order is refunded.");
                      document.getElementById("refund-reason")?.focus();
                      return;
                    }
                    refund.mutate({ orderId: order.id, reason: checked.data });
                  }}
                >
                  {refund.isPending ? "Refunding…" : `Yes, refund ${amount}`}
                </button>
                <button type="button" className="button button-secondary" disabled={refund.isPending} onClick={() => setConfirming(false)}>
                  Keep the order
                </button>
              </div>
            </div>
          ) : (
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                refund.reset();
                setAnnouncement("");
                setConfirming(true);
              }}
            >
              Refund on the fan’s behalf…
            </button>
          )}
        </>
      );
      break;
  }

  return (
    <div className={styles.opsRefund}>
      {body}
      {error ? (
        <p className="alert alert-error" role="alert">
          {error.code === "NETWORK" ? error.message : `The refund was refused: ${error.message}`}
        </p>
      ) : null}
      <p role="status" className={adminStyles.liveAnnounce}>
        {announcement}
      </p>
    </div>
  );
}
