// The payment history: every order the fan paid for, newest first.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getSession } from "@/server/auth";
import { OrdersList } from "./orders-list";

export const metadata: Metadata = { title: "Orders" };

export default async function OrdersPage() {
  if (!(await getSession())) redirect(`/sign-in?callbackUrl=${encodeURIComponent("/orders")}`);
  return (
    <>
      <header className="page-header page-header-split">
        <div>
          <h1>Orders</h1>
          <p className="muted">What you paid for, and refunds.</p>
        </div>
        <Link href="/wallet" className="button button-secondary">
          Wallet
        </Link>
      </header>
      <OrdersList />
    </>
  );
}
