"use client";
// The fan's live holds on this showtime: seats and total, a countdown that warns a minute before the end,
// one extension the fan can ask for before then (WCAG 2.2.1), release, and what happened when a hold ended.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useEffectEvent, useState } from "react";
import { formatMoney } from "@/server/domain/money";
import { appErrorOf } from "../../_components/app-error";
import { useNow } from "../../_components/use-now";
import { endAccessAfter } from "../../_lib/access-token";
import { extendLabel, formatCountdown, formatSpan, holdPhase } from "../../_lib/hold-clock";
import { sectionLabel } from "../../_lib/seat-name";
import { useTRPC } from "../../_trpc/client";
import { PriceLines } from "./selection-panel";
import { seatsWord } from "./seat-selection";
import type { MyHold } from "./use-admission";
import styles from "./showtime.module.css";

const clock = new Intl.DateTimeFormat("en-US", { hour: "numeric", minute: "2-digit" });

type Props = {
  showtimeId: string;
  token: string | null;
  /** Live holds, soonest to end first. */
  holds: MyHold[];
  /** Holds that ran out while the page was open, until the fan dismisses them. */
  ended: MyHold[];
  onEnded: (hold: MyHold) => void;
  onDismiss: (holdId: string) => void;
  onReleased: (hold: MyHold) => void;
};

export function HoldPanels({ showtimeId, token, holds, ended, onEnded, onDismiss, onReleased }: Props) {
  if (holds.length === 0 && ended.length === 0) return null;
  return (
    <div className={styles.holdPanels}>
      {holds.map((hold) => (
        <HoldCard key={hold.id} hold={hold} showtimeId={showtimeId} token={token} onEnded={onEnded} onReleased={onReleased} />
      ))}
      {ended.map((hold) => (
        <EndedCard key={hold.id} hold={hold} onDismiss={() => onDismiss(hold.id)} />
      ))}
    </div>
  );
}

const seatName = (s: MyHold["seats"][number]) => `${sectionLabel(s.section)}, row ${s.row}, seat ${s.number}`;

function SeatLines({ hold }: { hold: MyHold }) {
  return (
    <ul className={styles.seatLines}>
      {hold.seats.map((s) => (
        <li key={s.id}>
          <span className={styles.seatLineName} data-testid="seat-line-name">
            {seatName(s)}
          </span>
          <span className={styles.seatLinePrice}>
            <span className="muted">{s.tier}</span> {formatMoney(s.priceMinor, s.currency)}
          </span>
        </li>
      ))}
    </ul>
  );
}

function HoldCard({
  hold,
  showtimeId,
  token,
  onEnded,
  onReleased,
}: {
  hold: MyHold;
  showtimeId: string;
  token: string | null;
  onEnded: (hold: MyHold) => void;
  onReleased: (hold: MyHold) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const now = useNow();
  const msLeft = now === 0 ? null : hold.heldUntil.getTime() - now;
  const phase = msLeft === null ? "running" : holdPhase(msLeft);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState("");
  // Hidden as soon as the one extension is used (or refused as used), before the list is read again.
  const [extensionUsed, setExtensionUsed] = useState(false);

  const ended = useEffectEvent(() => onEnded(hold));
  useEffect(() => {
    if (phase === "ended") ended();
  }, [phase]);

  const extend = useMutation(
    trpc.holds.extend.mutationOptions({
      onMutate: () => setError(null),
      onSuccess: (result) => {
        setExtensionUsed(true);
        queryClient.setQueryData(trpc.holds.mine.queryKey({ showtimeId, status: "ACTIVE" }), (old) =>
          old
            ? {
                ...old,
                items: old.items.map((h) =>
                  h.id === result.holdId ? { ...h, heldUntil: result.heldUntil, extended: true, canExtend: false } : h,
                ),
              }
            : old,
        );
        void queryClient.invalidateQueries({ queryKey: trpc.holds.mine.queryKey() });
        setNote(`Done: your seats are now held until ${clock.format(result.heldUntil)}.`);
      },
      onError: (err) => {
        const e = appErrorOf(err);
        if (e.code === "NOT_ADMITTED") endAccessAfter(showtimeId, e);
        if (e.code === "CONFLICT") setExtensionUsed(true);
        setError(
          e.code === "NOT_ADMITTED"
            ? "Your time to choose seats has ended, so we can’t add time to this hold."
            : e.code === "HOLD_EXPIRED"
              ? "This hold has already ended."
              : e.message,
        );
      },
    }),
  );

  const release = useMutation(
    trpc.holds.release.mutationOptions({
      onMutate: () => setError(null),
      onSuccess: () => onReleased(hold),
      onError: (err) => setError(appErrorOf(err).message),
    }),
  );

  const n = hold.seats.length;
  const titleId = `hold-${hold.id}`;
  const canExtend = hold.canExtend && !extensionUsed && token !== null && phase !== "ended";
  const more = formatSpan(hold.extendSeconds);
  const warning = phase === "warning";
  return (
    <section
      className={warning ? `card ${styles.holdPanel} ${styles.holdPanelWarning}` : `card ${styles.holdPanel}`}
      aria-labelledby={titleId}
    >
      <div className={styles.holdHead}>
        <div>
          <h2 id={titleId}>
            Your {seatsWord(n)} {n === 1 ? "is" : "are"} held
          </h2>
          <p className={styles.holdUntil}>
            We’re holding {n === 1 ? "it" : "them"} for you until{" "}
            <time dateTime={hold.heldUntil.toISOString()}>{clock.format(hold.heldUntil)}</time>. Pay at checkout before then.
          </p>
        </div>
        <p className={styles.holdCountdown}>
          <span className={styles.holdCountdownLabel}>Time left</span>
          <span className={styles.holdCountdownValue} role="timer" aria-label="Time left on your hold">
            {msLeft === null ? "--:--" : formatCountdown(msLeft)}
          </span>
        </p>
      </div>

      {warning ? (
        <p className={`alert alert-warning ${styles.holdWarning}`}>
          Less than a minute left on your hold.{" "}
          {canExtend ? `Need more time? You can add ${more} once.` : "When the time is up, the seats go back on sale."}
        </p>
      ) : null}
      {/* Spoken once at the mark: its words stay the same while the seconds run. */}
      <p className="visually-hidden" role="alert">
        {warning ? `Your hold ends in less than a minute.${canExtend ? ` You can add ${more}.` : ""}` : ""}
      </p>

      <SeatLines hold={hold} />
      <PriceLines totals={hold} />

      <div className={styles.holdActions}>
        {phase !== "ended" ? (
          <Link href={`/checkout/${hold.id}`} className="button">
            Continue to checkout
          </Link>
        ) : null}
        {canExtend ? (
          <button
            type="button"
            className="button button-secondary"
            disabled={extend.isPending}
            onClick={() => token && extend.mutate({ showtimeId, accessToken: token, holdId: hold.id })}
          >
            {extend.isPending ? "Adding time…" : extendLabel(hold.extendSeconds)}
          </button>
        ) : null}
        <button
          type="button"
          className="button button-secondary"
          disabled={release.isPending}
          onClick={() => release.mutate({ holdId: hold.id })}
        >
          {release.isPending ? "Releasing…" : "Release seats"}
        </button>
      </div>
      <p className={styles.holdNote} role="status">
        {note}
      </p>
      {error ? (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}

function EndedCard({ hold, onDismiss }: { hold: MyHold; onDismiss: () => void }) {
  const titleId = `hold-ended-${hold.id}`;
  return (
    <section className={`card ${styles.holdPanel} ${styles.holdPanelEnded}`} aria-labelledby={titleId}>
      <div className={styles.holdHead}>
        <h2 id={titleId}>Your hold ended</h2>
        <button type="button" className="link-button" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
      <p className="alert alert-info" role="alert">
        Your hold ended and the seats went back on sale. You can choose seats again while your access lasts.
      </p>
      <SeatLines hold={hold} />
    </section>
  );
}
