"use client";
// The fan's holds under one filter: pages of `holds.mine` with "Load more", and the loading, empty and error
// states. "Ended" reads released and expired holds as two lists and interleaves them (holds-model.ts).
import { skipToken, useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import type { MyHold } from "@/server/domain/holds/my-holds";
import { appErrorOf } from "../_components/app-error";
import { useTRPC } from "../_trpc/client";
import { HoldCard } from "./hold-card";
import { holdsHref, mergeNewestFirst, statusesOf, type HoldFilter } from "./holds-model";

const PAGE_SIZE = 10;

export function HoldsList({ filter }: { filter: HoldFilter }) {
  const trpc = useTRPC();
  const [first, second] = statusesOf(filter);
  // Always two hooks, so their number never changes; the second list is read only by "Ended".
  const a = useInfiniteQuery(
    trpc.holds.mine.infiniteQueryOptions({ status: first, limit: PAGE_SIZE }, { getNextPageParam: (page) => page.nextCursor }),
  );
  const b = useInfiniteQuery(
    trpc.holds.mine.infiniteQueryOptions(second ? { status: second, limit: PAGE_SIZE } : skipToken, {
      getNextPageParam: (page) => page.nextCursor,
    }),
  );
  const lists = second ? [a, b] : [a];
  const [announcement, setAnnouncement] = useState("");

  let body;
  const failed = lists.filter((q) => q.status === "error");
  if (failed.length > 0) {
    body = (
      <ListError
        error={failed[0]!.error}
        retrying={failed.some((q) => q.isFetching)}
        onRetry={() => failed.forEach((q) => void q.refetch())}
      />
    );
  } else if (lists.some((q) => q.status === "pending")) {
    body = <HoldsSkeleton />;
  } else {
    const holds = mergeNewestFirst(lists.map((q) => ({ items: q.data?.pages.flatMap((p) => p.items) ?? [], hasMore: q.hasNextPage })));
    const hasMore = lists.some((q) => q.hasNextPage);
    const loadingMore = lists.some((q) => q.isFetchingNextPage);
    const moreFailed = lists.some((q) => q.isFetchNextPageError);
    const loadMore = () => {
      for (const q of lists) if (q.hasNextPage && !q.isFetchingNextPage) void q.fetchNextPage();
    };
    body =
      holds.length === 0 && !hasMore ? (
        <EmptyHolds filter={filter} />
      ) : (
        <>
          <ul className="tickets-list">
            {holds.map((hold) => (
              <li key={hold.id}>
                <HoldCard hold={hold} onReleased={(h: MyHold) => setAnnouncement(`Released your seats for ${h.showtime.concert.title}.`)} />
              </li>
            ))}
          </ul>
          {hasMore ? (
            <div className="tickets-more">
              {moreFailed ? (
                <p className="alert alert-error" role="alert">
                  We couldn’t load more holds. Please try again.
                </p>
              ) : null}
              <button type="button" className="button button-secondary" disabled={loadingMore} onClick={loadMore}>
                {loadingMore ? "Loading…" : "Load more"}
              </button>
            </div>
          ) : null}
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
    <div className="tickets-list" aria-busy="true">
      <p className="visually-hidden">Loading your holds…</p>
      {[0, 1].map((i) => (
        <div key={i} className="card ticket-card" aria-hidden="true">
          <div className="ticket-main">
            <div className="skeleton skeleton-line" style={{ width: "55%", height: "1.4rem" }} />
            <div className="skeleton skeleton-line" style={{ width: "40%" }} />
            <div className="skeleton skeleton-line" style={{ width: "70%" }} />
            <div className="skeleton skeleton-line" style={{ width: "60%" }} />
          </div>
          <div className="ticket-side">
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
      <p className="tickets-empty-actions">
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

function ListError({ error, retrying, onRetry }: { error: unknown; retrying: boolean; onRetry: () => void }) {
  const signedOut = appErrorOf(error).code === "UNAUTHENTICATED";
  return (
    <div className="empty-state" role="alert">
      <h3>We couldn’t load your holds</h3>
      {signedOut ? (
        <>
          <p>Your session has ended.</p>
          <p>
            <Link href={`/sign-in?callbackUrl=${encodeURIComponent("/tickets")}`} className="button">
              Sign in again
            </Link>
          </p>
        </>
      ) : (
        <>
          <p>Something went wrong on our side, or the connection dropped. Please try again.</p>
          <p>
            <button type="button" className="button" disabled={retrying} onClick={onRetry}>
              {retrying ? "Retrying…" : "Try again"}
            </button>
          </p>
        </>
      )}
    </div>
  );
}
