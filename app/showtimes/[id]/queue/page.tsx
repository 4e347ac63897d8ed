// The waiting room for one showtime: signed-in fans only; the line itself lives in the browser (waiting-room.tsx).
import { ShowtimeFacts } from "../../../_components/showtime-facts";
import { Breadcrumbs } from "../../../_components/breadcrumbs";
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSession } from "@/server/auth";
import { loadShowtime } from "../../../_lib/load-showtime";
import { WaitingRoom } from "./waiting-room";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { showtime } = await loadShowtime((await params).id);
  return { title: `Waiting room — ${showtime.concert.title}` };
}

export default async function QueuePage({ params }: Props) {
  const { id } = await params;
  if (!(await getSession())) redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/showtimes/${id}/queue`)}`);
  const { showtime, venue } = await loadShowtime(id);
  const tz = venue.timezone;
  return (
    <>
      <Breadcrumbs
        trail={[
          { href: "/", label: "Concerts" },
          { href: `/concerts/${showtime.concert.slug}`, label: showtime.concert.title },
          { href: `/showtimes/${showtime.id}`, label: "Seats" },
        ]}
        current="Waiting room"
      />

      <header className="queue-header">
        <p className="eyebrow">Waiting room</p>
        <h1>{showtime.concert.title}</h1>
        <ShowtimeFacts venue={venue} startsAt={showtime.startsAt} />
      </header>

      <WaitingRoom showtimeId={showtime.id} concertHref={`/concerts/${showtime.concert.slug}`} timeZone={tz} />
    </>
  );
}
