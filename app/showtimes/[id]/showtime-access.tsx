"use client";
// The way into seat selection: a "Join the waiting room" link, or, for a fan the waiting room admitted
// (token in sessionStorage), the gate's answer with a live countdown of the access; a fan who was away
// long enough to lose the turn is told so and may take it back once.
import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useEffectEvent, useRef, useState, type ReactNode } from "react";
import type { SaleStatus } from "@/server/domain/catalog/sale-status";
import { appErrorOf } from "../../_components/app-error";
import { useHydrated } from "../../_components/use-hydrated";
import { useNow } from "../../_components/use-now";
import { endAccess, endAccessAfter, useAccessEnded } from "../../_lib/access-token";
import { formatSpan } from "../../_lib/hold-clock";
import { useTRPC, useTRPCClient } from "../../_trpc/client";
import { PresaleGate } from "./presale-gate";
import { IDLE_CHECK_EVERY_MS, idlePhase, reportEveryMs } from "./idle-watch";
import { saveQueueToken } from "../../_lib/queue-token";
import { useAdmission, type Admission } from "./use-admission";
import styles from "./showtime.module.css";

type Props = {
  showtimeId: string;
  saleStatus: SaleStatus;
  /** Arrived from the waiting room (?admitted=1): expect a token rather than flash the join link. */
  admittedHint: boolean;
  /** A presale runs or is next: only eligible fans are shown the way in. */
  presaleOnly: boolean;
  signedIn: boolean;
};

const clock = new Intl.DateTimeFormat("en-US", { hour: "numeric", minute: "2-digit" });

export function ShowtimeAccess({ showtimeId, saleStatus, admittedHint, presaleOnly, signedIn }: Props) {
  const hydrated = useHydrated();
  const { token, selection, admitted } = useAdmission(showtimeId);
  const ended = useAccessEnded(showtimeId);
  const error = selection.isError ? appErrorOf(selection.error) : null;
  const refused = error?.code === "NOT_ADMITTED";

  useEffect(() => {
    // The gate said no (expired, revoked, another account): the token is worthless now.
    if (refused) endAccessAfter(showtimeId, error);
  }, [refused, error, showtimeId]);

  // Until hydrated, sessionStorage is unknown: coming from the waiting room, say "checking", not "join".
  const checking = !admitted && ((token !== null && !error) || (admittedHint && !hydrated));

  let content: ReactNode = null;
  if (admitted) {
    content = <AdmittedBanner showtimeId={showtimeId} admitted={admitted} token={token!} seenAt={selection.dataUpdatedAt} />;
  } else if (checking) {
    content = <div className={`card ${styles.accessChecking}`}>Checking your access to the seats…</div>;
  } else if (token && error && !refused) {
    content = (
      <div className={`alert alert-error ${styles.accessError}`} role="alert">
        <p>We couldn’t check your access: {error.message}</p>
        <button type="button" className="button button-small" onClick={() => void selection.refetch()}>
          Try again
        </button>
      </div>
    );
  } else if (ended === "idle") {
    content = <ReleasedCard showtimeId={showtimeId} />;
  } else if (saleStatus === "ON_SALE" || saleStatus === "PRESALE" || saleStatus === "UPCOMING") {
    const join = (
      <section className={`card ${styles.joinCard}`} aria-labelledby="join-title">
        <div>
          <h2 id="join-title">Get tickets</h2>
          {ended === "time" ? (
            <p className="alert alert-info">Your time to choose seats has ended. Join the waiting room again to get back in.</p>
          ) : ended === "idle-final" ? (
            <p className="alert alert-info">
              You were away again, so your turn went to the next fan. You already took it back once: join the waiting room again to get back
              in.
            </p>
          ) : null}
          <p className="muted">
            {saleStatus === "UPCOMING"
              ? "The waiting room opens shortly before sales do. Everyone who joins before sales open gets a random place at the front, so there’s no need to rush."
              : "Everyone goes through a fair waiting room. When it’s your turn, we bring you back here to choose your seats."}
          </p>
        </div>
        <Link href={`/showtimes/${showtimeId}/queue`} className="button">
          Join the waiting room
        </Link>
      </section>
    );
    content = presaleOnly ? (
      <PresaleGate showtimeId={showtimeId} signedIn={signedIn}>
        {join}
      </PresaleGate>
    ) : (
      join
    );
  }

  // One live region that outlives the states above, so arriving admitted (or losing access) is announced.
  const spoken = admitted
    ? `You’re in: choose your seats. Your access lasts until ${clock.format(admitted.accessExpiresAt)}.`
    : checking
      ? "Checking your access to the seats…"
      : ended === "idle" || ended === "idle-final"
        ? "You were away, so your turn went to the next fan."
        : ended
          ? "Your time to choose seats has ended."
          : "";
  return (
    <>
      <p className="visually-hidden" role="status">
        {spoken}
      </p>
      {content}
    </>
  );
}

function AdmittedBanner({
  showtimeId,
  admitted,
  token,
  seenAt,
}: {
  showtimeId: string;
  admitted: Admission;
  token: string;
  seenAt: number;
}) {
  const expiresAt = admitted.accessExpiresAt;
  const now = useNow();
  const idle = useIdleWatch(showtimeId, admitted.idleMs, token, seenAt, now);
  const left = now === 0 ? null : expiresAt.getTime() - now;
  const over = left !== null && left <= 0;
  useEffect(() => {
    if (over) endAccess(showtimeId);
  }, [over, showtimeId]);

  const minutes = left === null ? null : Math.ceil(left / 60_000);
  const remaining =
    left === null
      ? ""
      : left < 60_000
        ? `${Math.max(0, Math.ceil(left / 1000))} seconds left`
        : `${minutes} minute${minutes === 1 ? "" : "s"} left`;
  // Spoken only when crossing these marks, not every second.
  const warning =
    left === null
      ? ""
      : left <= 60_000
        ? "Less than a minute left to choose your seats."
        : left <= 300_000
          ? "5 minutes left to choose your seats."
          : "";

  return (
    <section className={styles.accessBanner} aria-labelledby="access-title">
      <h2 id="access-title">You’re in — choose your seats</h2>
      <p>
        Your access lasts until <time dateTime={expiresAt.toISOString()}>{clock.format(expiresAt)}</time>
        {remaining ? <span className={styles.accessLeft}> ({remaining})</span> : null}.
      </p>
      <p className="visually-hidden" role="status">
        {warning}
      </p>
      {idle.warningMs !== null ? (
        <div className={`alert alert-warning ${styles.idleWarning}`} role="alert">
          <p>Still choosing? With no seats held, your turn passes to the next fan in {formatSpan(Math.ceil(idle.warningMs / 1000))}.</p>
          <button type="button" className="button button-small" onClick={idle.stillHere}>
            I’m still here
          </button>
        </div>
      ) : null}
    </section>
  );
}

/**
 * An admitted fan with no seats held gives the turn away after the showtime's idle time (the server
 * releases them). The page reports activity (a tap, a key, a scroll of the map) often enough that a fan who
 * is choosing is never released, warns before the time is up, and afterwards asks the server whether the
 * turn is gone, to say so at once.
 */
function useIdleWatch(showtimeId: string, idleMs: number, token: string, seenAt: number, now: number) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const [lastSeen, setLastSeen] = useState(seenAt);
  const holds = useQuery(trpc.holds.mine.queryOptions({ showtimeId, status: "ACTIVE" }, { staleTime: 10_000 }));
  const holding = (holds.data?.items ?? []).some((h) => h.heldUntil.getTime() > now);
  const report = useMutation(
    trpc.waitingRoom.stillHere.mutationOptions({
      onError: (err) => {
        const e = appErrorOf(err);
        if (e.code === "NOT_ADMITTED") endAccessAfter(showtimeId, e);
      },
    }),
  );
  const reportedAt = useRef(seenAt);
  const stillHere = () => {
    const at = Date.now();
    reportedAt.current = at;
    report.mutate({ showtimeId, accessToken: token }, { onSuccess: () => setLastSeen(at) });
  };
  const onActivity = useEffectEvent(() => {
    if (idleMs > 0 && !report.isPending && Date.now() - reportedAt.current >= reportEveryMs(idleMs)) stillHere();
  });
  useEffect(() => {
    const events = ["pointerdown", "keydown", "wheel", "touchstart", "scroll"] as const;
    const listener = () => onActivity();
    for (const e of events) window.addEventListener(e, listener, { passive: true, capture: true });
    return () => {
      for (const e of events) window.removeEventListener(e, listener, { capture: true });
    };
  }, []);

  // A refetch of the gate's answer (seenAt) passed the gate too.
  const phase = idlePhase(now, Math.max(lastSeen, seenAt), idleMs, holding || holds.isPending);
  const checking = phase.kind === "check";
  useEffect(() => {
    if (!checking) return;
    let stopped = false;
    const ask = async () => {
      try {
        const status = await client.waitingRoom.status.query({ showtimeId });
        if (stopped || status.state !== "NONE") return;
        endAccess(showtimeId, status.released ? (status.released.reclaimable ? "idle" : "idle-final") : "time");
      } catch {
        // Asked again shortly; the next gated call says it anyway.
      }
    };
    void ask();
    const timer = setInterval(() => void ask(), IDLE_CHECK_EVERY_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [checking, client, showtimeId]);

  return { warningMs: phase.kind === "warning" ? phase.msLeft : null, stillHere };
}

/** The turn went to the next fan while this one was away; their place is kept to take back once. */
function ReleasedCard({ showtimeId }: { showtimeId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const hydrated = useHydrated();
  const reclaim = useMutation(
    trpc.waitingRoom.reclaim.mutationOptions({
      onSuccess: (result) => {
        if (result.queueToken) saveQueueToken(showtimeId, result.queueToken);
        router.push(`/showtimes/${showtimeId}/queue`);
      },
    }),
  );
  const failed = reclaim.isError ? appErrorOf(reclaim.error) : null;
  return (
    <section className={`card ${styles.joinCard} released-card`} aria-labelledby="released-title">
      <div>
        <h2 id="released-title">Your turn went to the next fan</h2>
        <p>
          You were away for a while with no seats held, so we let the next fan in. Your place is kept: take it back once and you go to the
          front of the line.
        </p>
        {failed ? (
          <p className="alert alert-error" role="alert">
            {failed.message}
          </p>
        ) : null}
      </div>
      {failed?.code === "CONFLICT" ? (
        <Link href={`/showtimes/${showtimeId}/queue`} className="button">
          Join the waiting room
        </Link>
      ) : (
        <button
          type="button"
          className="button"
          disabled={!hydrated || reclaim.isPending || reclaim.isSuccess}
          onClick={() => reclaim.mutate({ showtimeId })}
        >
          {reclaim.isPending || reclaim.isSuccess ? "Taking your turn back…" : "Take my turn back"}
        </button>
      )}
    </section>
  );
}
