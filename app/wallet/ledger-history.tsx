"use client";
// The wallet's history, newest first, a page at a time: every top-up, payment and refund with the balance
// it left behind; payments and refunds link to their order.
import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { LedgerItem } from "@/server/domain/wallet/wallet";
import { formatMoney } from "@/server/domain/money";
import { LocalTime } from "../_components/local-time";
import { useTRPC } from "../_trpc/client";
import styles from "./wallet.module.css";
import { LoadMore } from "../_components/load-more";
import { TableHead } from "../_components/table-head";
import { LoadError } from "../_components/load-error";

const PAGE_SIZE = 15;

export const LEDGER_LABEL: Record<LedgerItem["type"], string> = { CHARGE: "Top-up", PAYMENT: "Payment", REFUND: "Refund" };

/** "+₩50,000" or "−₩95,000": the sign is part of what the fan reads. */
export function formatSigned(minor: number, currency: LedgerItem["currency"]): string {
  return `${minor < 0 ? "−" : "+"}${formatMoney(Math.abs(minor), currency)}`;
}

export function LedgerHistory() {
  const trpc = useTRPC();
  const ledger = useInfiniteQuery(
    trpc.wallet.ledger.infiniteQueryOptions({ limit: PAGE_SIZE }, { getNextPageParam: (page) => page.nextCursor }),
  );

  let body;
  if (ledger.status === "pending") {
    body = (
      <div aria-busy="true">
        <p className="visually-hidden">Loading your wallet history…</p>
        {[0, 1, 2].map((i) => (
          <div key={i} className="skeleton skeleton-line ledger-skeleton" aria-hidden="true" />
        ))}
      </div>
    );
  } else if (ledger.status === "error") {
    body = <LoadError title="We couldn’t load your history" query={ledger} level="h3" />;
  } else {
    const items = ledger.data.pages.flatMap((p) => p.items);
    body =
      items.length === 0 ? (
        <div className="empty-state">
          <h3>No activity yet</h3>
          <p>Top-ups, payments and refunds show up here.</p>
        </div>
      ) : (
        <>
          <table className="money-table">
            <caption className="visually-hidden">Wallet history, newest first</caption>
            <TableHead columns={["When", "What", "Amount", "Balance after"]} numeric={["Amount", "Balance after"]} />
            <tbody>
              {items.map((item) => (
                <tr key={item.id}>
                  <td data-label="When">
                    <LocalTime date={item.createdAt} />
                  </td>
                  <td data-label="What">
                    <span>
                      <span className={`${styles.ledgerType} ledger-type-${item.type.toLowerCase()}`}>{LEDGER_LABEL[item.type]}</span>
                      {item.orderId ? (
                        <>
                          {" "}
                          <Link href={`/orders/${item.orderId}`} className={styles.ledgerOrder}>
                            View order<span className="visually-hidden"> for this {LEDGER_LABEL[item.type].toLowerCase()}</span>
                          </Link>
                        </>
                      ) : null}
                    </span>
                  </td>
                  <td data-label="Amount" className={item.amountMinor < 0 ? `num ${styles.amountOut}` : `num ${styles.amountIn}`}>
                    {formatSigned(item.amountMinor, item.currency)}
                  </td>
                  <td data-label="Balance after" className="num">
                    {formatMoney(item.balanceAfterMinor, item.currency)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <LoadMore
            pages={ledger}
            className="list-more"
            label="Show older activity"
            errorMessage="We couldn’t load more of your history. Please try again."
          />
        </>
      );
  }

  return (
    <section aria-labelledby="history-title" className={styles.walletSection}>
      <div className="section-head">
        <h2 id="history-title">History</h2>
        <p>Every top-up, payment and refund, newest first.</p>
      </div>
      {body}
    </section>
  );
}
