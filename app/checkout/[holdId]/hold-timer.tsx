// The hold's countdown at checkout: when it ends, when the turn to buy ends, a warning in the last minute,
// and the one extension.
import { extendLabel, formatCountdown, formatSpan } from "../../_lib/hold-clock";
import { formatClock } from "./clock";
import styles from "./checkout.module.css";

type Props = {
  msLeft: number | null;
  warning: boolean;
  heldUntil: Date;
  accessExpiresAt: Date | null;
  extendSeconds: number;
  canExtend: boolean;
  extending: boolean;
  onExtend: () => void;
};

export function HoldTimer({ msLeft, warning, heldUntil, accessExpiresAt, extendSeconds, canExtend, extending, onExtend }: Props) {
  const more = formatSpan(extendSeconds);
  return (
    <section
      className={
        warning
          ? `card ${styles.checkoutCard} ${styles.checkoutTimer} ${styles.checkoutTimerWarning}`
          : `card ${styles.checkoutCard} ${styles.checkoutTimer}`
      }
      aria-labelledby="timer-title"
    >
      <div className={styles.checkoutTimerHead}>
        <h2 id="timer-title">Seats held for you</h2>
        <span className={styles.checkoutCountdown} role="timer" aria-label="Time left on your hold">
          {msLeft === null ? "--:--" : formatCountdown(msLeft)}
        </span>
      </div>
      <p className="muted">
        Until <time dateTime={heldUntil.toISOString()}>{formatClock(heldUntil)}</time>
        {accessExpiresAt ? (
          <>
            {" "}
            · your turn to buy ends at <time dateTime={accessExpiresAt.toISOString()}>{formatClock(accessExpiresAt)}</time>
          </>
        ) : null}
        .
      </p>
      {warning ? (
        <p className="alert alert-warning">
          Less than a minute left.{" "}
          {canExtend ? `Need more time? You can add ${more} once.` : "When the time is up, the seats go back on sale."}
        </p>
      ) : null}
      {/* Spoken once at the mark: its words stay the same while the seconds run. */}
      <p className="visually-hidden" role="alert">
        {warning ? `Your hold ends in less than a minute.${canExtend ? ` You can add ${more}.` : ""}` : ""}
      </p>
      {canExtend ? (
        <button type="button" className="button button-secondary button-small" disabled={extending} onClick={onExtend}>
          {extending ? "Adding time…" : extendLabel(extendSeconds)}
        </button>
      ) : null}
    </section>
  );
}
