"use client";
// Paying for a hold from the wallet, behind the waiting-room gate (the tab's access token). The countdown
// warns a minute before the hold ends and offers its one extension; a wallet that is short gets topped up
// right here. One idempotency key per hold (checkout-key.ts), so a retry never charges twice.
import { skipToken, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import type { MyHold } from "@/server/domain/holds/my-holds";
import { formatMoney } from "@/server/domain/money";
import type { Currency } from "@/server/generated/prisma/enums";
import { appErrorOf, type ClientAppError } from "../../_components/app-error";
import { useHydrated } from "../../_components/use-hydrated";
import { useNow } from "../../_components/use-now";
import { seatName } from "../../_lib/seat-name";
import { endAccess, endAccessAfter, forgetAccess, useAccessToken } from "../../_lib/access-token";
import { extendLabel, formatCountdown, formatSpan, holdPhase } from "../../_lib/hold-clock";
import { shortfallMinor } from "../../_lib/amount";
import { useTRPC } from "../../_trpc/client";
import { TopUpForm } from "../../_components/top-up-form";
import { checkoutKey, forgetCheckoutKey } from "./checkout-key";
import styles from "./checkout.module.css";

const clock = new Intl.DateTimeFormat("en-US", { hour: "numeric", minute: "2-digit" });

/** How this checkout ended, when it has. */
type Outcome = { kind: "paid"; orderId: string | null } | { kind: "expired"; message?: string } | null;

type Props = { hold: MyHold; topUpLimits: Record<Currency, number> };

export function Checkout({ hold, topUpLimits }: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const hydrated = useHydrated();
  const now = useNow();
  const showtimeId = hold.showtime.id;
  const token = useAccessToken(showtimeId);

  const [heldUntil, setHeldUntil] = useState(hold.heldUntil);
  const [extended, setExtended] = useState(!hold.canExtend);
  const [outcome, setOutcome] = useState<Outcome>(() => {
    if (hold.status === "CONVERTED") return { kind: "paid", orderId: null };
    if (hold.status === "RELEASED") return { kind: "expired", message: "You let these seats go, so they went back on sale." };
    return hold.live ? null : { kind: "expired" };
  });
  const [payError, setPayError] = useState<string | null>(null);
  const [note, setNote] = useState("");
  const payRef = useRef<HTMLButtonElement>(null);
  // Top-ups done here, and how many of them moved focus on to Pay once the wallet covered the total.
  const [topUps, setTopUps] = useState(0);
  const focusedFor = useRef(0);
  const paying = useRef(false);

  const selection = useQuery(trpc.showtimes.selection.queryOptions(token ? { showtimeId, accessToken: token } : skipToken, { retry: false }));
  const balances = useQuery(trpc.wallet.balances.queryOptions());
  const checkout = useMutation(trpc.orders.checkout.mutationOptions());
  const extend = useMutation(trpc.holds.extend.mutationOptions());

  const msLeft = now === 0 ? null : heldUntil.getTime() - now;
  const phase = msLeft === null ? "running" : holdPhase(msLeft);
  const accessExpiresAt = selection.data?.accessExpiresAt ?? null;
  const refused = selection.isError && appErrorOf(selection.error).code === "NOT_ADMITTED";
  const accessOver = refused || (accessExpiresAt !== null && now !== 0 && now >= accessExpiresAt.getTime());

  // The gate said no, or the fan's turn ran out: the token is worthless now (the showtime page says why).
  useEffect(() => {
    if (accessOver && outcome === null) endAccess(showtimeId);
  }, [accessOver, outcome, showtimeId]);

  const balance = balances.data?.find((b) => b.currency === hold.currency)?.balanceMinor;
  const short = balance === undefined ? 0 : shortfallMinor(balance, hold.totalMinor);

  // After a top-up that covers the total, the next step is paying: take the fan there.
  useEffect(() => {
    if (topUps > focusedFor.current && short === 0) {
      focusedFor.current = topUps;
      payRef.current?.focus();
    }
  }, [topUps, short]);

  function finish(orderId: string) {
    setOutcome({ kind: "paid", orderId });
    forgetCheckoutKey(hold.id);
    // The server ended this turn with the purchase: forget the token quietly, it is not "time ran out".
    forgetAccess(showtimeId);
    void queryClient.invalidateQueries(trpc.wallet.pathFilter());
    void queryClient.invalidateQueries(trpc.holds.pathFilter());
    void queryClient.invalidateQueries(trpc.orders.pathFilter());
    router.replace(`/orders/${orderId}?new=1`);
  }

  /** After a refusal that may mean "already paid" (from another tab, say): that hold's order, if any. */
  async function paidOrder(): Promise<string | null | undefined> {
    const current = await queryClient.fetchQuery(trpc.holds.byId.queryOptions({ holdId: hold.id }, { staleTime: 0 }));
    if (current.status !== "CONVERTED") return undefined;
    const orders = await queryClient.fetchQuery(trpc.orders.list.queryOptions({ limit: 50 }, { staleTime: 0 }));
    return orders.items.find((o) => o.holdId === hold.id)?.id ?? null;
  }

  async function onPayError(e: ClientAppError) {
    switch (e.code) {
      case "INSUFFICIENT_FUNDS": {
        const shortBy = Number(e.details?.shortMinor);
        setPayError(
          Number.isFinite(shortBy) && shortBy > 0
            ? `Your wallet is ${formatMoney(shortBy, hold.currency)} short. Add money below, then pay.`
            : "Your wallet doesn’t have enough money for these seats. Add money below, then pay.",
        );
        await balances.refetch();
        return;
      }
      case "HOLD_EXPIRED":
      case "NOT_FOUND":
        setOutcome({ kind: "expired", message: e.message });
        return;
      case "NOT_ADMITTED":
      case "CONFLICT": {
        const paid = await paidOrder().catch(() => undefined);
        if (paid) return finish(paid);
        if (paid === null) return setOutcome({ kind: "paid", orderId: null });
        if (e.code === "NOT_ADMITTED") endAccessAfter(showtimeId, e);
        else setPayError(e.message);
        return;
      }
      case "NETWORK":
        setPayError("We couldn’t reach Onsale, so we don’t know whether the payment went through. Paying again is safe: you’ll be charged only once.");
        return;
      default:
        setPayError(e.message);
    }
  }

  async function pay() {
    if (paying.current || !token) return;
    paying.current = true;
    setPayError(null);
    setNote("");
    try {
      const paid = await checkout.mutateAsync({ showtimeId, accessToken: token, holdId: hold.id, idempotencyKey: checkoutKey(hold.id) });
      finish(paid.orderId);
    } catch (err) {
      await onPayError(appErrorOf(err));
    } finally {
      paying.current = false;
    }
  }

  function addTime() {
    if (!token) return;
    setPayError(null);
    extend.mutate(
      { showtimeId, accessToken: token, holdId: hold.id },
      {
        onSuccess: (r) => {
          setHeldUntil(r.heldUntil);
          setExtended(true);
          setNote(`Done: your seats are now held until ${clock.format(r.heldUntil)}.`);
        },
        onError: (err) => {
          const e = appErrorOf(err);
          if (e.code === "NOT_ADMITTED") endAccessAfter(showtimeId, e);
          else if (e.code === "HOLD_EXPIRED" || e.code === "NOT_FOUND") setOutcome({ kind: "expired", message: e.message });
          else {
            if (e.code === "CONFLICT") setExtended(true);
            setPayError(e.message);
          }
        },
      },
    );
  }

  let side;
  // A note ("Done: …", "Added …") belongs to the hold it was about: gone once the hold or the turn ends.
  let open = false;
  if (outcome?.kind === "paid") {
    side = <Paid orderId={outcome.orderId} />;
  } else if (outcome?.kind === "expired" || phase === "ended") {
    side = <Ended showtimeId={showtimeId} message={outcome?.kind === "expired" ? outcome.message : undefined} />;
  } else if (!hydrated || (token !== null && selection.isPending && !accessOver)) {
    side = (
      <div className={`card ${styles.checkoutCard}`} aria-busy="true">
        <p>Checking your access…</p>
      </div>
    );
  } else if (token === null || accessOver) {
    side = <TurnEnded showtimeId={showtimeId} heldUntil={heldUntil} />;
  } else {
    open = true;
    const canExtend = !extended;
    const more = formatSpan(hold.extendSeconds);
    const warning = phase === "warning";
    const total = formatMoney(hold.totalMinor, hold.currency);
    side = (
      <>
        <section className={warning ? `card ${styles.checkoutCard} ${styles.checkoutTimer} ${styles.checkoutTimerWarning}` : `card ${styles.checkoutCard} ${styles.checkoutTimer}`} aria-labelledby="timer-title">
          <div className={styles.checkoutTimerHead}>
            <h2 id="timer-title">Seats held for you</h2>
            <span className={styles.checkoutCountdown} role="timer" aria-label="Time left on your hold">
              {msLeft === null ? "--:--" : formatCountdown(msLeft)}
            </span>
          </div>
          <p className="muted">
            Until <time dateTime={heldUntil.toISOString()}>{clock.format(heldUntil)}</time>
            {accessExpiresAt ? (
              <>
                {" "}
                · your turn to buy ends at <time dateTime={accessExpiresAt.toISOString()}>{clock.format(accessExpiresAt)}</time>
              </>
            ) : null}
            .
          </p>
          {warning ? (
            <p className="alert alert-warning">
              Less than a minute left. {canExtend ? `Need more time? You can add ${more} once.` : "When the time is up, the seats go back on sale."}
            </p>
          ) : null}
          {/* Spoken once at the mark: its words stay the same while the seconds run. */}
          <p className="visually-hidden" role="alert">
            {warning ? `Your hold ends in less than a minute.${canExtend ? ` You can add ${more}.` : ""}` : ""}
          </p>
          {canExtend ? (
            <button type="button" className="button button-secondary button-small" disabled={extend.isPending} onClick={addTime}>
              {extend.isPending ? "Adding time…" : extendLabel(hold.extendSeconds)}
            </button>
          ) : null}
        </section>

        <section className={`card ${styles.checkoutCard}`} aria-labelledby="wallet-title">
          <h2 id="wallet-title">Pay from your wallet</h2>
          {balances.status === "pending" ? (
            <p className="muted">Reading your balance…</p>
          ) : balances.status === "error" ? (
            <p className="muted">We couldn’t read your balance just now; you can still try to pay.</p>
          ) : (
            <dl className="money-lines">
              <div>
                <dt>Wallet balance</dt>
                <dd>{formatMoney(balance ?? 0, hold.currency)}</dd>
              </div>
              {short > 0 ? (
                <div className="money-short">
                  <dt>Still needed</dt>
                  <dd>{formatMoney(short, hold.currency)}</dd>
                </div>
              ) : (
                <div>
                  <dt>After paying</dt>
                  <dd>{formatMoney((balance ?? 0) - hold.totalMinor, hold.currency)}</dd>
                </div>
              )}
            </dl>
          )}

          {short > 0 ? (
            <div className={styles.checkoutTopup}>
              <p id="short-note" className="alert alert-info">
                Your wallet is {formatMoney(short, hold.currency)} short of the {total} total. Add money here, then pay.
              </p>
              <TopUpForm
                key={short}
                id="checkout-topup"
                inline
                limits={topUpLimits}
                currency={hold.currency}
                initialAmountMinor={Math.min(short, topUpLimits[hold.currency])}
                onToppedUp={(r) => {
                  setPayError(null);
                  setNote(`Added ${formatMoney(r.amountMinor, r.currency)} to your wallet.`);
                  setTopUps((n) => n + 1);
                }}
              />
            </div>
          ) : null}

          {payError ? (
            <p className="alert alert-error" role="alert">
              {payError}
            </p>
          ) : null}

          <button
            ref={payRef}
            type="button"
            className={`button ${styles.checkoutPay}`}
            disabled={checkout.isPending || short > 0}
            aria-describedby={short > 0 ? "short-note" : undefined}
            onClick={() => void pay()}
          >
            {checkout.isPending ? "Paying…" : `Pay ${total}`}
          </button>
          <p className={`hint ${styles.checkoutFineprint}`}>
            You can cancel for a refund to your wallet until shortly before the show.
          </p>
        </section>
      </>
    );
  }

  return (
    <div className={styles.checkoutLayout}>
      <section className={`card ${styles.checkoutSummary}`} aria-labelledby="summary-title">
        <h2 id="summary-title">
          Your {hold.seats.length === 1 ? "seat" : `${hold.seats.length} seats`}
        </h2>
        <table className={styles.checkoutSeats}>
          <caption className="visually-hidden">Seats and prices</caption>
          <thead>
            <tr>
              <th scope="col">Seat</th>
              <th scope="col" className="num">
                Price
              </th>
              <th scope="col" className="num">
                Fee
              </th>
            </tr>
          </thead>
          <tbody>
            {hold.seats.map((s) => (
              <tr key={s.id}>
                <th scope="row">
                  {seatName(s)}
                  {s.tier !== s.section ? <span className={`${styles.checkoutTier} muted`}>{s.tier}</span> : null}
                </th>
                <td className="num">{formatMoney(s.priceMinor, s.currency)}</td>
                <td className="num">{formatMoney(s.feeMinor, s.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <dl className="money-lines">
          <div>
            <dt>Subtotal</dt>
            <dd>{formatMoney(hold.subtotalMinor, hold.currency)}</dd>
          </div>
          <div>
            <dt>Booking fees</dt>
            <dd>{formatMoney(hold.feesMinor, hold.currency)}</dd>
          </div>
          <div className="money-total">
            <dt>Total</dt>
            <dd>{formatMoney(hold.totalMinor, hold.currency)}</dd>
          </div>
        </dl>
      </section>

      <div className={styles.checkoutSide}>
        {side}
        <p className="visually-hidden" role="status">
          {open ? note : ""}
        </p>
        {note && open ? (
          <p className={styles.checkoutNote} aria-hidden="true">
            {note}
          </p>
        ) : null}
      </div>
    </div>
  );
}

function Paid({ orderId }: { orderId: string | null }) {
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

function Ended({ showtimeId, message }: { showtimeId: string; message?: string }) {
  return (
    <section className={`card ${styles.checkoutCard}`} aria-labelledby="ended-title" role="alert">
      <h2 id="ended-title">Your hold has ended</h2>
      <p>{message ?? "The time to pay for these seats ran out, so they went back on sale and may have gone to someone else."} Nothing was charged.</p>
      <p>
        <Link href={`/showtimes/${showtimeId}`} className="button">
          Choose seats again
        </Link>
      </p>
    </section>
  );
}

function TurnEnded({ showtimeId, heldUntil }: { showtimeId: string; heldUntil: Date }) {
  return (
    <section className={`card ${styles.checkoutCard}`} aria-labelledby="turn-title">
      <h2 id="turn-title">Your turn to buy has ended</h2>
      <p>
        Paying needs an active turn from the waiting room, and yours in this tab has ended. The seats stay held for you until{" "}
        <time dateTime={heldUntil.toISOString()}>{clock.format(heldUntil)}</time>: if the waiting room lets you in again before then, you
        can still pay for them.
      </p>
      <p>
        <Link href={`/showtimes/${showtimeId}/queue`} className="button">
          Join the waiting room
        </Link>
      </p>
    </section>
  );
}
