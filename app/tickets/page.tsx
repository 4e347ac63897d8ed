// "My tickets": the signed-in fan's holds for now; tickets join this page with checkout.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getSession } from "@/server/auth";
import { HoldsList } from "./holds-list";
import { HOLD_FILTERS, holdsHref, readHoldFilter } from "./holds-model";

export const metadata: Metadata = { title: "My tickets" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function TicketsPage({ searchParams }: Props) {
  const filter = readHoldFilter((await searchParams).status);
  if (!(await getSession())) redirect(`/sign-in?callbackUrl=${encodeURIComponent(holdsHref(filter))}`);

  return (
    <>
      <h1>My tickets</h1>

      <section aria-labelledby="holds-title" className="tickets-section">
        <div className="section-head">
          <h2 id="holds-title">Holds</h2>
          <p>Seats we keep for you for a few minutes while you check out.</p>
        </div>

        <nav aria-label="Show holds" className="tickets-filter">
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
