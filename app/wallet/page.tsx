// The wallet: balances, adding money, and the history of every top-up, payment and refund.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getSession } from "@/server/auth";
import { TOP_UP_MAX } from "@/server/domain/wallet/schemas";
import { Balances } from "./balances";
import { LedgerHistory } from "./ledger-history";
import { TopUpForm } from "../_components/top-up-form";
import styles from "./wallet.module.css";

export const metadata: Metadata = { title: "Wallet" };

export default async function WalletPage() {
  if (!(await getSession())) redirect(`/sign-in?callbackUrl=${encodeURIComponent("/wallet")}`);
  return (
    <>
      <header className="page-header page-header-split">
        <div>
          <h1>Wallet</h1>
          <p className="muted">Pay for tickets from your balance. Refunds come back here.</p>
        </div>
        <Link href="/wallet/cards" className="button button-secondary button-small" prefetch={false}>
          Payment methods
        </Link>
      </header>

      <div className={styles.walletLayout}>
        <div className={styles.walletSide}>
          <Balances />
          <section aria-labelledby="topup-title" className={`card ${styles.walletTopup}`}>
            <h2 id="topup-title">Add money</h2>
            <TopUpForm id="topup" limits={TOP_UP_MAX} quickAmounts />
          </section>
        </div>
        <LedgerHistory />
      </div>
    </>
  );
}
