"use client";
// The live on-sale view: the line, the seats and the money of one showtime, read every POLL_MS while the
// tab is visible. A failed read keeps the last figures on screen with a warning; the next poll tries again.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import type { Currency } from "@/server/generated/prisma/enums";
import { formatMoney } from "@/server/domain/money";
import { appErrorOf } from "@/app/_components/app-error";
import { Breadcrumbs } from "@/app/_components/breadcrumbs";
import { formatShowDateTime } from "@/app/_components/format";
import { useNow } from "@/app/_components/use-now";
import { useTRPC } from "@/app/_trpc/client";
import { AdmissionControls } from "./admission-controls";
import { describeRate, formatAge, shares } from "./live-model";
import { SalesChart } from "./sales-chart";
import styles from "./live.module.css";
import adminStyles from "../../../_components/admin.module.css";
import { RetryButton } from "../../../../_components/load-error";
import stats from "../../../../_components/stats.module.css";

type Outputs = inferRouterOutputs<AppRouter>;
type Live = Outputs["admin"]["showtimes"]["live"];
type AdminConcert = Outputs["admin"]["concerts"]["list"][number];

/** One tick of the waiting room is at least 200 ms; a poll every 1.5 s keeps the view within two seconds. */
const POLL_MS = 1_500;

const count = new Intl.NumberFormat("en-US");
const clock = new Intl.DateTimeFormat("en-US", { hour: "numeric", minute: "2-digit", second: "2-digit" });

/** Errors that another poll will not fix: stop asking. */
const isFinal = (error: unknown) =>
  ["NOT_FOUND", "BAD_REQUEST", "VALIDATION_FAILED", "FORBIDDEN", "UNAUTHENTICATED"].includes(appErrorOf(error).code);

function findShowtime(concerts: AdminConcert[] | undefined, showtimeId: string) {
  for (const concert of concerts ?? []) {
    const showtime = concert.showtimes.find((s) => s.id === showtimeId);
    if (showtime) return { concert, showtime };
  }
  return null;
}

export function LiveView({ showtimeId }: { showtimeId: string }) {
  const trpc = useTRPC();
  const live = useQuery(
    trpc.admin.showtimes.live.queryOptions(
      { showtimeId },
      {
        // TanStack Query stops interval refetches while the tab is hidden (refetchIntervalInBackground is
        // false) and refetches on return, since the figures are stale at once.
        refetchInterval: (query) => (query.state.error && isFinal(query.state.error) ? false : POLL_MS),
        refetchIntervalInBackground: false,
        refetchOnWindowFocus: true,
        staleTime: 0,
        // Each poll is its own try; a failure shows at once and the next poll retries.
        retry: false,
      },
    ),
  );
  const concerts = useQuery(trpc.admin.concerts.list.queryOptions(undefined, { staleTime: 60_000 }));
  const found = findShowtime(concerts.data, showtimeId);
  const title = found?.concert.title ?? "Showtime";

  let body;
  if (live.data) {
    body = <LiveFigures showtimeId={showtimeId} data={live.data} />;
  } else if (live.status === "error") {
    const error = appErrorOf(live.error);
    const missing = error.code === "NOT_FOUND" || error.code === "BAD_REQUEST" || error.code === "VALIDATION_FAILED";
    body = (
      <div className="empty-state" role="alert">
        <h2>{missing ? "We couldn’t find that showtime" : "We couldn’t load the live figures"}</h2>
        <p>{missing ? "It may have been removed, or the link is wrong." : error.message}</p>
        <p>
          {missing ? (
            <Link href="/admin/concerts" className="button">
              Back to concerts
            </Link>
          ) : (
            <RetryButton retrying={live.isFetching} onRetry={() => void live.refetch()} />
          )}
        </p>
      </div>
    );
  } else {
    body = <LiveSkeleton />;
  }

  return (
    <>
      <Breadcrumbs
        trail={[
          { href: "/admin", label: "Admin" },
          { href: "/admin/concerts", label: "Concerts" },
          ...(found
            ? [
                {
                  href: `/admin/showtimes/${showtimeId}`,
                  label: `${title}, ${formatShowDateTime(found.showtime.startsAt, found.showtime.venue.timezone)}`,
                },
              ]
            : []),
        ]}
        current="Live"
      />
      <header className={styles.liveHeader}>
        <div>
          <p className="eyebrow">Live on-sale</p>
          <h1>{title}</h1>
          {found ? (
            <ul className={styles.liveFacts}>
              <li>
                <time dateTime={found.showtime.startsAt.toISOString()}>
                  {formatShowDateTime(found.showtime.startsAt, found.showtime.venue.timezone)}
                </time>
              </li>
              <li>
                {found.showtime.venue.name}, {found.showtime.venue.city}
              </li>
              {found.showtime.status !== "PUBLISHED" ? (
                <li className={styles.liveFactWarn}>{found.showtime.status === "DRAFT" ? "Draft: not on sale" : "Cancelled"}</li>
              ) : null}
            </ul>
          ) : null}
        </div>
        {live.data ? <Freshness updatedAt={live.dataUpdatedAt} failing={live.isError} /> : null}
      </header>
      {live.data && live.isError ? (
        <div className={`alert alert-warning ${styles.liveStale}`} role="alert">
          <p>
            We couldn’t refresh the figures ({appErrorOf(live.error).message}). These are from {clock.format(live.dataUpdatedAt)}; we keep
            trying.
          </p>
        </div>
      ) : null}
      {body}
      <nav className={styles.liveLinks} aria-label="More about this showtime">
        <Link href={`/admin/orders?showtime=${encodeURIComponent(showtimeId)}`}>Orders for this showtime</Link>
        <Link href={`/admin/audit?entityType=Showtime&entityId=${encodeURIComponent(showtimeId)}`}>Audit log for this showtime</Link>
        <Link href={`/admin/showtimes/${encodeURIComponent(showtimeId)}`}>Edit showtime</Link>
      </nav>
    </>
  );
}

function Freshness({ updatedAt, failing }: { updatedAt: number; failing: boolean }) {
  const now = useNow();
  return (
    <p className={`live-indicator ${styles.liveFreshness}`} data-state={failing ? "reconnecting" : "on"}>
      <span className="live-dot" aria-hidden="true" />
      {failing ? "Not updating" : "Live"}
      {now > 0 ? <span className="muted"> · updated {formatAge(now - updatedAt)}</span> : null}
    </p>
  );
}

type Tone = "off" | "paused" | "running";
const TONE_CLASS: Record<Tone, string | undefined> = {
  off: styles.liveBadgeOff,
  paused: styles.liveBadgePaused,
  running: styles.liveBadgeRunning,
};

function admissionState(line: Live["waitingRoom"]): { label: string; tone: Tone } {
  if (!line.enabled) return { label: "Waiting room off", tone: "off" };
  if (line.paused) return { label: "Paused", tone: "paused" };
  if (line.soldOut) return { label: "Sold out", tone: "off" };
  // The first tick after sales open shuffles the pre-queue in and marks the line opened.
  if (!line.opened) return { label: "Not opened yet", tone: "off" };
  return { label: "Admitting", tone: "running" };
}

function LiveFigures({ showtimeId, data }: { showtimeId: string; data: Live }) {
  const { waitingRoom: line, seats, revenue } = data;
  const state = admissionState(line);
  const pct = shares({ sold: seats.sold, held: seats.held, available: seats.available });
  const seatSummary = `${count.format(seats.sold)} sold, ${count.format(seats.held)} held, ${count.format(seats.available)} available of ${count.format(seats.total)} seats`;
  const currency = revenue.currency as Currency;
  const lastHalfHour = data.salesPerMinute.reduce((n, m) => n + m.tickets, 0);

  return (
    <div className={styles.liveGrid}>
      <section className={`card ${styles.livePanel} live-line`} aria-labelledby="line-title">
        <div className={styles.livePanelHead}>
          <h2 id="line-title">Waiting room</h2>
          <span className={`badge ${TONE_CLASS[state.tone]}`}>{state.label}</span>
        </div>
        {!line.enabled ? (
          <p className="alert alert-info">
            The waiting room is off for this showtime: fans go straight to the seat map, so pausing and the rate hold no one back until it
            is turned on.
          </p>
        ) : null}
        <dl className={`${stats.stats} ${styles.liveStats}`}>
          <div>
            <dt>Waiting</dt>
            <dd>{count.format(line.waiting)}</dd>
          </div>
          <div>
            <dt>Active shoppers</dt>
            <dd>
              {count.format(line.active)} <span className={styles.liveOf}>of {count.format(line.maxActive)}</span>
            </dd>
          </div>
          <div>
            <dt>Admitted in the last minute</dt>
            <dd>{count.format(line.admittedLastMinute)}</dd>
          </div>
          {line.prequeue > 0 ? (
            <div>
              <dt>In the pre-queue</dt>
              <dd>{count.format(line.prequeue)}</dd>
            </div>
          ) : null}
          <div className={styles.liveStatWide}>
            <dt>Admission rate</dt>
            <dd className={styles.liveRateValue}>{describeRate(line.batchSize, line.intervalMs)}</dd>
          </div>
        </dl>
        <AdmissionControls showtimeId={showtimeId} line={line} />
      </section>

      <div className={styles.liveSide}>
        <section className={`card ${styles.livePanel}`} aria-labelledby="seats-title">
          <h2 id="seats-title">Seats</h2>
          <div className={styles.seatBar} role="img" aria-label={seatSummary}>
            <span className={styles.seatBarSold} style={{ width: `${pct.sold}%` }} />
            <span className={styles.seatBarHeld} style={{ width: `${pct.held}%` }} />
            <span className={styles.seatBarAvailable} style={{ width: `${pct.available}%` }} />
          </div>
          <dl className={styles.seatLegend}>
            <div>
              <dt>
                <span className={`${styles.seatKey} ${styles.seatKeySold}`} aria-hidden="true" />
                Sold
              </dt>
              <dd>{count.format(seats.sold)}</dd>
            </div>
            <div>
              <dt>
                <span className={`${styles.seatKey} ${styles.seatKeyHeld}`} aria-hidden="true" />
                Held
              </dt>
              <dd>{count.format(seats.held)}</dd>
            </div>
            <div>
              <dt>
                <span className={`${styles.seatKey} ${styles.seatKeyAvailable}`} aria-hidden="true" />
                Available
              </dt>
              <dd>{count.format(seats.available)}</dd>
            </div>
            <div>
              <dt>Total</dt>
              <dd>{count.format(seats.total)}</dd>
            </div>
          </dl>
        </section>

        <section className={`card ${styles.livePanel}`} aria-labelledby="sales-title">
          <h2 id="sales-title">Sales</h2>
          <dl className={`${stats.stats} ${styles.liveStats} live-stats-money`}>
            <div className={styles.liveStatWide}>
              <dt>Revenue</dt>
              <dd className={styles.liveRevenue}>{formatMoney(revenue.minor, currency)}</dd>
            </div>
            <div>
              <dt>Paid orders</dt>
              <dd>{count.format(revenue.orders)}</dd>
            </div>
            <div>
              <dt>Refunded orders</dt>
              <dd>{count.format(revenue.refunded)}</dd>
            </div>
          </dl>
          <p className={`muted ${styles.liveNote}`}>Revenue counts paid orders only; refunded ones are taken out.</p>
        </section>
      </div>

      <section className={`card ${styles.livePanel} ${styles.liveChart}`} aria-labelledby="chart-title">
        <div className={styles.livePanelHead}>
          <h2 id="chart-title">Sales per minute</h2>
          <p className="muted">{count.format(lastHalfHour)} tickets in the last 30 minutes</p>
        </div>
        <SalesChart minutes={data.salesPerMinute} />
      </section>
    </div>
  );
}

function LiveSkeleton() {
  return (
    <div className={styles.liveGrid} aria-busy="true">
      <p className="visually-hidden" role="status">
        Loading the live figures…
      </p>
      <div className={`card ${styles.livePanel} live-line`} aria-hidden="true">
        <div className={`skeleton skeleton-line ${adminStyles.liveSkeletonTitle}`} />
        <div className={`skeleton ${styles.liveSkeletonBlock}`} />
      </div>
      <div className={styles.liveSide} aria-hidden="true">
        <div className={`card ${styles.livePanel}`}>
          <div className={`skeleton skeleton-line ${adminStyles.liveSkeletonTitle}`} />
          <div className={`skeleton ${styles.liveSkeletonBar}`} />
        </div>
        <div className={`card ${styles.livePanel}`}>
          <div className={`skeleton skeleton-line ${adminStyles.liveSkeletonTitle}`} />
          <div className="skeleton skeleton-line" />
        </div>
      </div>
      <div className={`card ${styles.livePanel} ${styles.liveChart}`} aria-hidden="true">
        <div className={`skeleton ${styles.liveSkeletonChart}`} />
      </div>
    </div>
  );
}
