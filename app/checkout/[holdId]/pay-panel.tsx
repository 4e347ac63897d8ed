// Paying from the wallet: the balance and what is left after paying, or the shortfall with a top-up right
// here; then the Pay button, which takes the focus once a top-up covers the total.
import { useEffect, useRef, useState } from "react";
import type { MyHold } from "@/server/domain/holds/my-holds";
import { formatMoney } from "@/server/domain/money";
import type { Currency } from "@/server/generated/prisma/enums";
import { TopUpForm } from "../../_components/top-up-form";
import styles from "./checkout.module.css";

type Props = {
  hold: MyHold;
  balance: { status: "pending" | "error" | "success"; minor: number | undefined };
  short: number;
  topUpLimits: Record<Currency, number>;
  payError: string | null;
  paying: boolean;
  onPay: () => void;
  onToppedUp: (result: { currency: Currency; amountMinor: number }) => void;
};

export function PayPanel({ hold, balance, short, topUpLimits, payError, paying, onPay, onToppedUp }: Props) {
  const payRef = useRef<HTMLButtonElement>(null);
  // Top-ups done here, and how many of them moved focus on to Pay once the wallet covered the total.
  const [topUps, setTopUps] = useState(0);
  const focusedFor = useRef(0);
  const total = formatMoney(hold.totalMinor, hold.currency);

  // After a top-up that covers the total, the next step is paying: take the fan there.
  useEffect(() => {
    if (topUps > focusedFor.current && short === 0) {
      focusedFor.current = topUps;
      payRef.current?.focus();
    }
  }, [topUps, short]);

  return (
    <section className={`card ${styles.checkoutCard}`} aria-labelledby="wallet-title">
      <h2 id="wallet-title">Pay from your wallet</h2>
      {balance.status === "pending" ? (
        <p className="muted">Reading your balance…</p>
      ) : balance.status === "error" ? (
        <p className="muted">We couldn’t read your balance just now; you can still try to pay.</p>
      ) : (
        <dl className="money-lines">
          <div>
            <dt>Wallet balance</dt>
            <dd>{formatMoney(balance.minor ?? 0, hold.currency)}</dd>
          </div>
          {short > 0 ? (
            <div className="money-short">
              <dt>Still needed</dt>
              <dd>{formatMoney(short, hold.currency)}</dd>
            </div>
          ) : (
            <div>
              <dt>After paying</dt>
              <dd>{formatMoney((balance.minor ?? 0) - hold.totalMinor, hold.currency)}</dd>
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
              onToppedUp(r);
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
        disabled={paying || short > 0}
        aria-describedby={short > 0 ? "short-note" : undefined}
        onClick={onPay}
      >
        {paying ? "Paying…" : `Pay ${total}`}
      </button>
      <p className={`hint ${styles.checkoutFineprint}`}>You can cancel for a refund to your wallet until shortly before the show.</p>
    </section>
  );
}
