// "My tickets": the signed-in fan's tickets with their QR codes, passing tickets to friends and answering
// their offers, and the fan's seat holds.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getSession } from "@/server/auth";
import { HoldsList } from "./holds-list";
import { HOLD_FILTERS, holdsHref, readHoldFilter } from "./holds-model";
import { TicketsList } from "./tickets-list";
import { TransfersList } from "./transfers-list";
import styles from "./tickets.module.css";
import tabs from "../_components/filter-tabs.module.css";

export const metadata: Metadata = { title: "My tickets" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function TicketsPage({ searchParams }: Props) {
  const filter = readHoldFilter((await searchParams).status);
  if (!(await getSession())) redirect(`/sign-in?callbackUrl=${encodeURIComponent(holdsHref(filter))}`);

  return (
    <>
      <h1>My tickets</h1>

      <section aria-labelledby="tickets-title" className={styles.ticketsSection}>
        <div className="section-head">
          <h2 id="tickets-title">Tickets</h2>
          <p>Show the QR code at the door. A ticket sent to a friend gets a new code, and the old one stops working.</p>
        </div>
        <TicketsList />
      </section>

      <section aria-labelledby="transfers-title" className={styles.ticketsSection}>
        <div className="section-head">
          <h2 id="transfers-title">Transfers</h2>
          <p>Tickets passed between you and your friends.</p>
        </div>
        <TransfersList />
      </section>

      <section aria-labelledby="holds-title" className={styles.ticketsSection}>
        <div className="section-head">
          <h2 id="holds-title">Holds</h2>
          <p>Seats we keep for you for a few minutes while you check out.</p>
        </div>

        <nav aria-label="Show holds" className={tabs.filterTabs}>
          <ul>
            {HOLD_FILTERS.map((f) => (
              <li key={f.value}>
                <Link href={holdsHref(f.value)} aria-current={f.value === filter ? "page" : undefined} scroll={false}>
                  {f.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>

        <HoldsList key={filter} filter={filter} />
      </section>
    </>
  );
}
