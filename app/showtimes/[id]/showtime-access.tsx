"use client";
// The way into seat selection: a "Join the waiting room" link, or, for a fan the waiting room admitted
// (token in sessionStorage), the gate's answer with a live countdown of the access.
import Link from "next/link";
import { useEffect, type ReactNode } from "react";
import type { SaleStatus } from "@/server/domain/catalog/sale-status";
import { appErrorOf } from "../../_components/app-error";
import { useHydrated } from "../../_components/use-hydrated";
import { useNow } from "../../_components/use-now";
import { endAccess, useAccessEnded } from "./access-token";
import { useAdmission } from "./use-admission";

type Props = {
  showtimeId: string;
  saleStatus: SaleStatus;
  /** Arrived from the waiting room (?admitted=1): expect a token rather than flash the join link. */
  admittedHint: boolean;
};

const clock = new Intl.DateTimeFormat("en-US", { hour: "numeric", minute: "2-digit" });

export function ShowtimeAccess({ showtimeId, saleStatus, admittedHint }: Props) {
  const hydrated = useHydrated();
  const { token, selection, admitted } = useAdmission(showtimeId);
  const ended = useAccessEnded(showtimeId);
  const error = selection.isError ? appErrorOf(selection.error) : null;
  const refused = error?.code === "NOT_ADMITTED";

  useEffect(() => {
    // The gate said no (expired, revoked, another account): the token is worthless now.
    if (refused) endAccess(showtimeId);
  }, [refused, showtimeId]);

  // Until hydrated, sessionStorage is unknown: coming from the waiting room, say "checking", not "join".
  const checking = !admitted && ((token !== null && !error) || (admittedHint && !hydrated));

  let content: ReactNode = null;
  if (admitted) {
    content = <AdmittedBanner showtimeId={showtimeId} expiresAt={admitted.accessExpiresAt} />;
  } else if (checking) {
    content = <div className="card access-checking">Checking your access to the seats…</div>;
  } else if (token && error && !refused) {
    content = (
      <div className="alert alert-error access-error" role="alert">
        <p>We couldn’t check your access: {error.message}</p>
        <button type="button" className="button button-small" onClick={() => void selection.refetch()}>
          Try again
        </button>
      </div>
    );
  } else if (saleStatus === "ON_SALE" || saleStatus === "PRESALE" || saleStatus === "UPCOMING") {
    content = (
      <section className="card join-card" aria-labelledby="join-title">
        <div>
          <h2 id="join-title">Get tickets</h2>
          {ended ? (
            <p className="alert alert-info">Your time to choose seats has ended. Join the waiting room again to get back in.</p>
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
  }

  // One live region that outlives the states above, so arriving admitted (or losing access) is announced.
  const spoken = admitted
    ? `You’re in: choose your seats. Your access lasts until ${clock.format(admitted.accessExpiresAt)}.`
    : checking
      ? "Checking your access to the seats…"
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

function AdmittedBanner({ showtimeId, expiresAt }: { showtimeId: string; expiresAt: Date }) {
  const now = useNow();
  const left = now === 0 ? null : expiresAt.getTime() - now;
  const over = left !== null && left <= 0;
  useEffect(() => {
    if (over) endAccess(showtimeId);
  }, [over, showtimeId]);

  const minutes = left === null ? null : Math.ceil(left / 60_000);
  const remaining =
    left === null ? "" : left < 60_000 ? `${Math.max(0, Math.ceil(left / 1000))} seconds left` : `${minutes} minute${minutes === 1 ? "" : "s"} left`;
  // Spoken only when crossing these marks, not every second.
  const warning = left === null ? "" : left <= 60_000 ? "Less than a minute left to choose your seats." : left <= 300_000 ? "5 minutes left to choose your seats." : "";

  return (
    <section className="access-banner" aria-labelledby="access-title">
      <h2 id="access-title">You’re in — choose your seats</h2>
      <p>
        Your access lasts until <time dateTime={expiresAt.toISOString()}>{clock.format(expiresAt)}</time>
        {remaining ? <span className="access-left"> ({remaining})</span> : null}.
      </p>
      <p className="visually-hidden" role="status">
        {warning}
      </p>
    </section>
  );
}
