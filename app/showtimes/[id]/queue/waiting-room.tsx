"use client";
// The fan's place in line: joins on load (idempotent, so a reload keeps the place), follows live updates
// over server-sent events, falls back to polling at the server's pace, and moves on by itself when admitted.
// Every call carries the fan's queue token: when the server answers that the line lost the fan's place
// (its Redis restarted empty), the page joins again with it and gets the place back, no reload needed.
import { skipToken, useMutation } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useEffectEvent, useRef, useState, useSyncExternalStore, type ReactNode } from "react";
import type { WaitingStatus } from "@/server/domain/waiting-room/queue";
import { appErrorOf, type ClientAppError } from "../../../_components/app-error";
import { formatShowDateTime } from "../../../_components/format";
import { forgetStartPosition } from "../../../_lib/access-token";
import { useTRPC, useTRPCClient } from "../../../_trpc/client";
import { fmt, formatDuration, formatWait } from "./queue-model";
import { QueueTracker } from "./queue-tracker";
import { forgetQueueToken, readQueueToken, saveQueueToken } from "../../../_lib/queue-token";
import styles from "./queue.module.css";
import stats from "../../../_components/stats.module.css";

type Props = { showtimeId: string; concertHref: string; timeZone: string };

const clock = new Intl.DateTimeFormat("en-US", { hour: "numeric", minute: "2-digit" });
const plural = (n: number, one: string, many: string) => `${fmt(n)} ${n === 1 ? one : many}`;
/** A join refused because the service is briefly unavailable is tried again after this long. */
const JOIN_RETRY_MS = 5_000;

export function WaitingRoom({ showtimeId, concertHref, timeZone }: Props) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const router = useRouter();
  const [tracker] = useState(() => new QueueTracker(showtimeId, timeZone));
  const { view, announcement } = useSyncExternalStore(tracker.subscribe, tracker.getSnapshot, tracker.getSnapshot);
  const [leaving, setLeaving] = useState(false);
  const [pollError, setPollError] = useState<ClientAppError | null>(null);
  const queueHref = `/showtimes/${showtimeId}/queue`;
  const showtimeHref = `/showtimes/${showtimeId}`;
  const state = view?.status.state;

  // Read from storage after mount (the server render has none); updated by every join.
  const [queueToken, setQueueToken] = useState<string | undefined>(undefined);
  const join = useMutation(
    trpc.waitingRoom.join.mutationOptions({
      onSuccess: (result) => {
        if (result.queueToken) {
          saveQueueToken(showtimeId, result.queueToken);
          setQueueToken(result.queueToken);
        }
        tracker.accept(result);
      },
    }),
  );
  const { mutate: joinLine } = join;
  useEffect(() => {
    joinLine({ showtimeId, queueToken: readQueueToken(showtimeId) });
  }, [joinLine, showtimeId]);

  // Redis lost the line and the server says this fan's place can be given back: join again with the token,
  // once per token (the join answers with a fresh one).
  const placeLost = view?.status.state === "NONE" && view.status.placeLost === true;
  const rejoinedWith = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!placeLost || leaving || !queueToken || rejoinedWith.current === queueToken) return;
    rejoinedWith.current = queueToken;
    joinLine({ showtimeId, queueToken });
  }, [placeLost, leaving, queueToken, joinLine, showtimeId]);

  // The service was briefly unavailable (503): keep trying by ourselves; the button stays for the impatient.
  const joinUnavailable = join.isError && appErrorOf(join.error).code === "UNAVAILABLE";
  useEffect(() => {
    if (!joinUnavailable) return;
    const timer = setTimeout(() => joinLine({ showtimeId, queueToken: readQueueToken(showtimeId) }), JOIN_RETRY_MS);
    return () => clearTimeout(timer);
  }, [joinUnavailable, joinLine, showtimeId]);

  // Admitted: the token is stored (QueueTracker); move on to the seats by ourselves.
  useEffect(() => {
    if (state === "READY") router.replace(`${showtimeHref}?admitted=1`);
  }, [state, router, showtimeHref]);

  const inLine = !leaving && (state === "WAITING" || state === "PREQUEUED");
  const live = useSubscription(
    trpc.waitingRoom.watch.subscriptionOptions(inLine ? { showtimeId, queueToken } : skipToken, { onData: tracker.accept }),
  );
  // An error, or a connection that dropped and is retrying: ask the server ourselves until it is back.
  const liveDown = inLine && (live.status === "error" || (live.status === "connecting" && live.error !== null));

  const onPollFailed = useEffectEvent((error: ClientAppError | null) => setPollError(error));
  useEffect(() => {
    if (!liveDown) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      let next = 10_000;
      try {
        const status = await client.waitingRoom.status.query({ showtimeId, queueToken });
        if (stopped) return;
        onPollFailed(null);
        tracker.accept(status);
        if (status.state !== "WAITING" && status.state !== "PREQUEUED") return;
        // The server's pace: often near the front, rarely far back.
        next = status.pollIntervalMs;
      } catch (error) {
        if (stopped) return;
        onPollFailed(appErrorOf(error));
      }
      timer = setTimeout(() => void poll(), next);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [liveDown, client, showtimeId, queueToken, tracker]);

  const leave = useMutation(
    trpc.waitingRoom.leave.mutationOptions({
      onSuccess: () => {
        forgetStartPosition(showtimeId);
        forgetQueueToken(showtimeId);
        router.push(concertHref);
      },
      onError: () => {
        tracker.resume();
        setLeaving(false);
      },
    }),
  );

  const joinError = join.isError && (!view || view.status.state === "NONE") ? appErrorOf(join.error) : null;
  const sessionEnded = pollError?.code === "UNAUTHENTICATED" ? pollError : null;

  let panel;
  if (joinError) {
    panel = (
      <JoinErrorPanel
        error={joinError}
        timeZone={timeZone}
        retrying={join.isPending}
        onRetry={() => join.mutate({ showtimeId, queueToken: readQueueToken(showtimeId) })}
        signInHref={`/sign-in?callbackUrl=${encodeURIComponent(queueHref)}`}
        showtimeHref={showtimeHref}
        concertHref={concertHref}
      />
    );
  } else if (!view) {
    panel = (
      <>
        <h2 id="queue-title">Getting you in line…</h2>
        <div className="skeleton skeleton-line" style={{ height: "0.9rem", marginTop: "1rem" }} aria-hidden="true" />
        <div className="skeleton skeleton-line" style={{ width: "60%" }} aria-hidden="true" />
      </>
    );
  } else {
    const { status } = view;
    switch (status.state) {
      case "WAITING":
        panel = <WaitingPanel status={status} progress={view.progress} />;
        break;
      case "PREQUEUED":
        panel = <PrequeuePanel status={status} timeZone={timeZone} />;
        break;
      case "READY":
        panel = <ReadyPanel accessMs={view.accessMs} expiresAt={status.accessExpiresAt} href={`${showtimeHref}?admitted=1`} />;
        break;
      case "NONE":
        panel = status.placeLost ? (
          <>
            <h2 id="queue-title">Getting your place back…</h2>
            <p>The waiting room lost track of the line for a moment. We’re putting you back where you were.</p>
          </>
        ) : (
          <>
            <h2 id="queue-title">You’re not in the line</h2>
            <p>You left the line, or your time to choose seats ran out. Joining again puts you at the back of the line.</p>
            <div className="queue-actions">
              <button
                type="button"
                className="button"
                disabled={join.isPending}
                onClick={() => join.mutate({ showtimeId, queueToken: readQueueToken(showtimeId) })}
              >
                {join.isPending ? "Joining…" : "Join the line again"}
              </button>
              <Link href={concertHref} className="button button-secondary">
                Back to the concert
              </Link>
            </div>
          </>
        );
        break;
    }
  }

  return (
    <div className={styles.queueLayout}>
      <section className={`card ${styles.queuePanel}`} aria-labelledby="queue-title">
        {panel}
        {sessionEnded ? (
          <p className="alert alert-error" role="alert">
            Your session has ended. <Link href={`/sign-in?callbackUrl=${encodeURIComponent(queueHref)}`}>Sign in again</Link> to keep your
            place: it is saved with your account.
          </p>
        ) : liveDown && !joinError ? (
          <p className={`${styles.queueLiveNote} muted`}>Live updates are reconnecting; until then we check your place regularly.</p>
        ) : null}
        {inLine || leaving ? (
          <LeaveControl
            leaving={leaving}
            error={leave.isError ? appErrorOf(leave.error).message : null}
            onLeave={() => {
              tracker.stop();
              setLeaving(true);
              leave.mutate({ showtimeId });
            }}
          />
        ) : null}
      </section>

      <aside className={`card ${styles.queueAbout}`} aria-labelledby="about-title">
        <h2 id="about-title">How the line works</h2>
        <ul>
          <li>One place per account. Reloading this page or opening it again keeps your place.</li>
          <li>Fans who arrive before sales open get a random place at the front; after that, it’s first come, first served.</li>
          <li>When it’s your turn, we take you to the seat map and hold your access for a few minutes.</li>
        </ul>
        <p>
          <Link href={`${queueHref}/proof`}>See the fairness proof</Link>
        </p>
      </aside>

      {/* Spoken on meaningful changes only (queue-model.ts), not on every update of the numbers above. */}
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
    </div>
  );
}

function WaitingPanel({ status, progress }: { status: Extract<WaitingStatus, { state: "WAITING" }>; progress: number }) {
  const pct = Math.round(progress * 100);
  const next = status.ahead === 0;
  return (
    <>
      <h2 id="queue-title" className={styles.queuePosition}>
        You are number <strong>{fmt(status.position)}</strong> in line
      </h2>
      <p className={styles.queueLead}>
        {status.closed ? "Every seat has been sold. " : next && !status.paused && !status.soldOut ? "You’re next. " : ""}
        Keep this page open: when it’s your turn, we’ll take you to the seats.
      </p>
      <div
        className={styles.progress}
        role="progressbar"
        aria-labelledby="progress-label"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-valuetext={`${pct}% of the way to the front: number ${fmt(status.position)} in line`}
      >
        <div className={styles.progressFill} style={{ width: `${pct}%` }} />
      </div>
      <p id="progress-label" className={styles.progressLabel}>
        <span>Your progress to the front</span>
        <span aria-hidden="true">{pct}%</span>
      </p>
      <dl className={`${stats.stats} ${styles.queueStats}`}>
        <div>
          <dt>Ahead of you</dt>
          <dd>{next ? "Nobody" : plural(status.ahead, "person", "people")}</dd>
        </div>
        <div>
          <dt>In line</dt>
          <dd>{plural(status.queueSize, "person", "people")}</dd>
        </div>
        <div>
          <dt>Estimated wait</dt>
          <dd>{status.closed ? "Sold out" : status.paused ? "Paused" : status.soldOut ? "Unknown" : formatWait(status.estimatedWaitMs)}</dd>
        </div>
      </dl>
      {status.paused && !status.closed ? (
        <div className="alert alert-info">
          <p>
            <strong>Admission is paused by the organiser.</strong> Nobody is let in until it resumes; your place is kept.
          </p>
          {status.pauseNote ? (
            <blockquote className={styles.queuePauseNote}>
              <p>
                <span className="visually-hidden">The organiser says: </span>
                {status.pauseNote}
              </p>
            </blockquote>
          ) : null}
        </div>
      ) : null}
      <SoldOutNotice soldOut={status.soldOut} closed={status.closed} />
    </>
  );
}

function PrequeuePanel({ status, timeZone }: { status: Extract<WaitingStatus, { state: "PREQUEUED" }>; timeZone: string }) {
  const opens = formatShowDateTime(status.opensAt, timeZone);
  return (
    <>
      <h2 id="queue-title">You’re in the pre-queue</h2>
      <p className={styles.queueLead}>
        When sales open at <time dateTime={status.opensAt.toISOString()}>{opens}</time>, everyone who joined before then gets a random
        place; refreshing won’t change yours.
      </p>
      <dl className={`${stats.stats} ${styles.queueStats}`}>
        <div>
          <dt>Sales open</dt>
          <dd>
            <time dateTime={status.opensAt.toISOString()}>{opens}</time>
          </dd>
        </div>
        <div>
          <dt>In the pre-queue</dt>
          <dd>{plural(status.prequeueSize, "person", "people")}</dd>
        </div>
      </dl>
      <p className={styles.queueCommitment}>
        <span className="muted">The draw is fixed in advance. Its commitment: </span>
        <code>{status.commitment}</code>
      </p>
      <SoldOutNotice soldOut={status.soldOut} closed={status.closed} />
    </>
  );
}

function ReadyPanel({ accessMs, expiresAt, href }: { accessMs: number; expiresAt: Date; href: string }) {
  return (
    <>
      <h2 id="queue-title">It’s your turn!</h2>
      <p className={styles.queueLead}>
        You have {formatDuration(accessMs)} to choose your seats, until{" "}
        <time dateTime={expiresAt.toISOString()}>{clock.format(expiresAt)}</time>. Taking you to the seat map…
      </p>
      <p>
        <Link href={href} replace className="button">
          Choose your seats
        </Link>
      </p>
    </>
  );
}

/** Sold out for now (held seats may come back) or for good (every seat sold); nothing while seats are left. */
function SoldOutNotice({ soldOut, closed }: { soldOut: boolean; closed: boolean }) {
  if (closed) {
    return (
      <p className="alert alert-warning">
        <strong>This showtime is sold out.</strong> The line is closed to new fans. You can keep your place in case a ticket comes back
        after a refund, but there may be none.
      </p>
    );
  }
  if (!soldOut) return null;
  return (
    <p className="alert alert-warning">
      <strong>All seats are sold or held right now.</strong> Stay in line: if holds expire, seats come back.
    </p>
  );
}

function LeaveControl({ leaving, error, onLeave }: { leaving: boolean; error: string | null; onLeave: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const stayRef = useRef<HTMLButtonElement>(null);
  const leaveRef = useRef<HTMLButtonElement>(null);
  const asked = useRef(false);
  useEffect(() => {
    // Focus follows the question: to "Stay" when it appears, back to "Leave" when it is dismissed.
    if (confirming) stayRef.current?.focus();
    else if (asked.current) leaveRef.current?.focus();
    asked.current ||= confirming;
  }, [confirming]);

  return (
    <div className={styles.queueLeave}>
      {error ? (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      ) : null}
      {confirming || leaving ? (
        <div role="group" aria-labelledby="leave-question" className={styles.queueConfirm}>
          <p id="leave-question">
            <strong>Leave the line?</strong> You’ll give up your place; joining again puts you at the back.
          </p>
          <div className="queue-actions">
            <button type="button" className="button button-danger" disabled={leaving} onClick={onLeave}>
              {leaving ? "Leaving…" : "Yes, leave the line"}
            </button>
            <button ref={stayRef} type="button" className="button button-secondary" disabled={leaving} onClick={() => setConfirming(false)}>
              Stay in line
            </button>
          </div>
        </div>
      ) : (
        <button ref={leaveRef} type="button" className="button button-secondary" onClick={() => setConfirming(true)}>
          Leave the line
        </button>
      )}
    </div>
  );
}

function JoinErrorPanel({
  error,
  timeZone,
  retrying,
  onRetry,
  signInHref,
  showtimeHref,
  concertHref,
}: {
  error: ClientAppError;
  timeZone: string;
  retrying: boolean;
  onRetry: () => void;
  signInHref: string;
  showtimeHref: string;
  concertHref: string;
}) {
  const retry = (
    <button type="button" className="button" disabled={retrying} onClick={onRetry}>
      {retrying ? "Trying again…" : "Try again"}
    </button>
  );
  const back = (
    <Link href={showtimeHref} className="button button-secondary">
      Back to the showtime
    </Link>
  );
  let title: string;
  let body: ReactNode = error.message;
  let actions: ReactNode;
  switch (error.code) {
    case "NOT_ON_SALE": {
      if (error.details?.soldOut === true) {
        title = "This showtime is sold out";
        body = "Every seat has been sold, so the waiting room is closed to new fans. If tickets come back after a refund, it opens again.";
        actions = (
          <Link href={concertHref} className="button">
            See the concert’s other dates
          </Link>
        );
        break;
      }
      title = "Tickets aren’t on sale here right now";
      const opensAt = typeof error.details?.opensAt === "string" ? new Date(error.details.opensAt) : null;
      const lineOpens = typeof error.details?.prequeueOpensAt === "string" ? new Date(error.details.prequeueOpensAt) : null;
      if (opensAt && lineOpens && !Number.isNaN(opensAt.getTime()) && !Number.isNaN(lineOpens.getTime())) {
        body = (
          <>
            Sales open <time dateTime={opensAt.toISOString()}>{formatShowDateTime(opensAt, timeZone)}</time>. The waiting room opens{" "}
            <time dateTime={lineOpens.toISOString()}>{formatShowDateTime(lineOpens, timeZone)}</time>: come back then, and everyone who
            joins before sales open gets a fair, random place.
          </>
        );
      }
      actions = back;
      break;
    }
    case "PRESALE_ONLY":
      title = "This presale needs a code or an invitation";
      body =
        "Your account isn’t on this presale’s list and hasn’t used a presale code. Enter your code on the showtime page, or come back when general sale opens.";
      actions = (
        <Link href={showtimeHref} className="button">
          Enter a presale code
        </Link>
      );
      break;
    case "QUEUE_FULL":
      title = "The waiting room is full";
      actions = (
        <>
          {retry}
          {back}
        </>
      );
      break;
    case "UNAUTHENTICATED":
      title = "Please sign in again";
      body = "Your session has ended. Sign in to join the line; your place is saved with your account.";
      actions = (
        <Link href={signInHref} className="button">
          Sign in
        </Link>
      );
      break;
    case "NOT_FOUND":
      title = "We couldn’t find that showtime";
      actions = (
        <Link href="/" className="button">
          Browse concerts
        </Link>
      );
      break;
    default:
      title = "We couldn’t get you in line";
      actions = (
        <>
          {retry}
          {back}
        </>
      );
  }
  return (
    <div role="alert">
      <h2 id="queue-title">{title}</h2>
      <p>{body}</p>
      <div className="queue-actions">{actions}</div>
    </div>
  );
}
