// The fan's payment methods: the saved cards, and adding one through the processor's card form.
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSession } from "@/server/auth";
import { Breadcrumbs } from "../../_components/breadcrumbs";
import { AddCard } from "./add-card";
import { SavedCards } from "./saved-cards";
import styles from "./cards.module.css";

export const metadata: Metadata = { title: "Payment methods" };

export default async function PaymentMethodsPage() {
  if (!(await getSession())) redirect(`/sign-in?callbackUrl=${encodeURIComponent("/wallet/cards")}`);
  return (
    <>
      <Breadcrumbs trail={[{ href: "/wallet", label: "Wallet" }]} current="Payment methods" />
      <header className="page-header">
        <h1>Payment methods</h1>
        <p className="muted">
          Your saved cards. The card itself stays with the payment processor: Onsale keeps only its brand, last four digits and expiry.
        </p>
      </header>

      <div className={styles.cardsLayout}>
        <SavedCards />
        <section aria-labelledby="add-card-title" className={`card ${styles.addCard}`}>
          <h2 id="add-card-title">Add a card</h2>
          <AddCard />
        </section>
      </div>
    </>
  );
}
