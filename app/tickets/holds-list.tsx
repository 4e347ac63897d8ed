"use client";
// The fan's holds under one filter: pages of `holds.mine` with "Load more", and the loading, empty and error
// states.
import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import type { MyHold } from "@/server/domain/holds/my-holds";
import { useTRPC } from "../_trpc/client";
import { HoldCard } from "./hold-card";
import { holdsHref, holdStatusOf, type HoldFilter } from "./holds-model";
import { SectionError } from "./section-error";
import styles from "./tickets.module.css";
import { LoadMore } from "../_components/load-more";

const PAGE_SIZE = 10;

export function HoldsList({ filter }: { filter: HoldFilter }) {
  const trpc = useTRPC();
  const holds = useInfiniteQuery(
    trpc.holds.mine.infiniteQueryOptions(
      { status: holdStatusOf(filter), limit: PAGE_SIZE },
      { getNextPageParam: (page) => page.nextCursor },
    ),
  );
  const [announcement, setAnnouncement] = useState("");

  let body;
  if (holds.status === "error") {
    body = <SectionError what="holds" error={holds.error} retrying={holds.isFetching} onRetry={() => void holds.refetch()} />;
  } else if (holds.status === "pending") {
    body = <HoldsSkeleton />;
  } else {
    const items = holds.data.pages.flatMap((p) => p.items);
    body =
      items.length === 0 && !holds.hasNextPage ? (
        <EmptyHolds filter={filter} />
      ) : (
        <>
          <ul className={styles.ticketsList}>
            {items.map((hold) => (
              <li key={hold.id}>
                <HoldCard hold={hold} onReleased={(h: MyHold) => setAnnouncement(`Released your seats for ${h.showtime.concert.title}.`)} />
              </li>
            ))}
          </ul>
          <LoadMore
            pages={holds}
            className={styles.ticketsMore}
            label="Load more"
            errorMessage="We couldn’t load more holds. Please try again."
          />
        </>
      );
  }

  return (
    <>
      <p role="status" className="visually-hidden">
        {announcement}
      </p>
      {body}
    </>
  );
}

function HoldsSkeleton() {
  return (
    <div className={styles.ticketsList} aria-busy="true">
      <p className="visually-hidden">Loading your holds…</p>
      {[0, 1].map((i) => (
        <div key={i} className={`card ${styles.ticketCard}`} aria-hidden="true">
          <div className="ticket-main">
            <div className="skeleton skeleton-line" style={{ width: "55%", height: "1.4rem" }} />
            <div className="skeleton skeleton-line" style={{ width: "40%" }} />
            <div className="skeleton skeleton-line" style={{ width: "70%" }} />
            <div className="skeleton skeleton-line" style={{ width: "60%" }} />
          </div>
          <div className={styles.ticketSide}>
            <div className="skeleton skeleton-line" style={{ width: "5rem" }} />
            <div className="skeleton skeleton-line" style={{ width: "8rem", height: "1.4rem" }} />
          </div>
        </div>
      ))}
    </div>
  );
}

const EMPTY: Record<HoldFilter, { title: string; text: string }> = {
  all: { title: "No holds yet", text: "When you pick seats for a show, we hold them for you while you check out, and they show up here." },
  active: { title: "No active holds", text: "Seats you’re holding right now show up here." },
  ended: { title: "No ended holds", text: "Holds you let go, and holds whose time ran out, show up here." },
};

function EmptyHolds({ filter }: { filter: HoldFilter }) {
  const { title, text } = EMPTY[filter];
  return (
    <div className="empty-state">
      <h3>{title}</h3>
      <p>{text}</p>
      <p className={styles.ticketsEmptyActions}>
        <Link href="/" className="button">
          Browse concerts
        </Link>
        {filter === "all" ? null : (
          <Link href={holdsHref("all")} className="button button-secondary">
            See all holds
          </Link>
        )}
      </p>
    </div>
  );
}
