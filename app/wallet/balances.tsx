"use client";
// The fan's balance in each currency, read again after every top-up.
import { useQuery } from "@tanstack/react-query";
import { formatMoney } from "@/server/domain/money";
import { appErrorOf } from "../_components/app-error";
import { LocalTime } from "../_components/local-time";
import { useTRPC } from "../_trpc/client";
import { CURRENCY_NAME } from "../_components/top-up-form";
import styles from "./wallet.module.css";
import { RetryButton } from "../_components/load-error";

export function Balances() {
  const trpc = useTRPC();
  const balances = useQuery(trpc.wallet.balances.queryOptions());

  let body;
  if (balances.status === "pending") {
    body = (
      <div className={styles.walletBalances} aria-busy="true">
        <p className="visually-hidden">Loading your balances…</p>
        {[0, 1].map((i) => (
          <div key={i} className={`card ${styles.walletBalance}`} aria-hidden="true">
            <div className="skeleton skeleton-line" style={{ width: "40%" }} />
            <div className="skeleton skeleton-line" style={{ width: "65%", height: "2rem" }} />
          </div>
        ))}
      </div>
    );
  } else if (balances.status === "error") {
    body = (
      <div className="alert alert-error" role="alert">
        <p>We couldn’t load your balance. {appErrorOf(balances.error).message}</p>
        <RetryButton retrying={balances.isFetching} onRetry={() => void balances.refetch()} className="button button-small" />
      </div>
    );
  } else {
    body = (
      <dl className={styles.walletBalances}>
        {balances.data.map((b) => (
          <div key={b.currency} className={`card ${styles.walletBalance}`}>
            <dt>
              {CURRENCY_NAME[b.currency]} <span className="muted">({b.currency})</span>
            </dt>
            <dd className={styles.walletBalanceAmount}>{formatMoney(b.balanceMinor, b.currency)}</dd>
            <dd className={`${styles.walletBalanceNote} muted`}>
              {b.updatedAt ? (
                <>
                  Last changed <LocalTime date={b.updatedAt} />
                </>
              ) : (
                "Nothing added yet"
              )}
            </dd>
          </div>
        ))}
      </dl>
    );
  }

  return (
    <section aria-labelledby="balances-title" className={styles.walletSection}>
      <h2 id="balances-title">Balances</h2>
      {body}
    </section>
  );
}
