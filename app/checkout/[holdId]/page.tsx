// Checkout for one of the fan's holds: the seats and what they cost, the hold's countdown, the wallet, and
// paying (checkout.tsx). The hold is looked up among the fan's own, so another fan's hold reads as missing.
import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { getSession } from "@/server/auth";
import { serverApi } from "@/server/api/server";
import type { MyHold } from "@/server/domain/holds/my-holds";
import { TOP_UP_MAX } from "@/server/domain/wallet/schemas";
import { Breadcrumbs } from "../../_components/breadcrumbs";
import { formatShowDateTime } from "../../_components/format";
import { Checkout } from "./checkout";

type Props = { params: Promise<{ holdId: string }> };

const loadHold = cache(async (holdId: string): Promise<MyHold> => {
  if (!(await getSession())) redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/checkout/${holdId}`)}`);
  const api = await serverApi();
  try {
    return await api.holds.byId({ holdId });
  } catch (err) {
    // Another fan's hold reads as missing, like an unknown one.
    if ((err as { code?: string }).code === "NOT_FOUND" || (err as { code?: string }).code === "BAD_REQUEST") notFound();
    throw err;
  }
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const hold = await loadHold((await params).holdId);
  return { title: `Checkout — ${hold.showtime.concert.title}` };
}

export default async function CheckoutPage({ params }: Props) {
  const hold = await loadHold((await params).holdId);
  const { concert, venue } = hold.showtime;
  return (
    <>
      <Breadcrumbs
        trail={[
          { href: "/", label: "Concerts" },
          { href: `/concerts/${concert.slug}`, label: concert.title },
          { href: `/showtimes/${hold.showtime.id}`, label: "Seats" },
        ]}
        current="Checkout"
      />
      <header className="page-header">
        <p className="eyebrow">Checkout</p>
        <h1>{concert.title}</h1>
        <p className="muted">
          <time dateTime={hold.showtime.startsAt.toISOString()}>{formatShowDateTime(hold.showtime.startsAt, venue.timezone)}</time> ·{" "}
          {venue.name}, {venue.city}
        </p>
      </header>
      <Checkout hold={hold} topUpLimits={TOP_UP_MAX} />
    </>
  );
}
