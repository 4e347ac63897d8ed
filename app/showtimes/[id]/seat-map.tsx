"use client";
// The seat map: a canvas for 15,000+ seats kept live over server-sent events, a legend, and a section list
// that is the keyboard way in. An admitted fan also picks seats here (on the canvas, or in the chosen
// section's list of seats), holds them, or asks for the best seats together, and sees their holds run.
import { skipToken, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import {
  useCallback,
  useEffect,
  useEffectEvent,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type CSSProperties,
} from "react";
import type { ShowtimeOverview } from "@/server/domain/seatmap/seat-map";
import { formatMoney } from "@/server/domain/money";
import { sectionLabel } from "../../_lib/seat-name";
import { useTRPC } from "../../_trpc/client";
import { heldItem } from "./held-item";
import { adoptPainted, fetchSeatLayout, fetchSeatStatus, paintedAt, PAINT_CANVAS_ID, seatMapOf, takeStartedRead } from "./seat-data";
import { HoldPanels } from "./hold-panel";
import { LiveSeats } from "./live-seats";
import { SectionSeats } from "./section-seats";
import { HELD, MINE_FILL, paletteOf, SeatMapController, SELECTED_FILL, SOLD } from "./seat-map-controller";
import { mapAspect, seatLabel, STATUS_WORD } from "./seat-map-model";
import { tooltipPosition } from "./seat-map-view";
import { allowanceOf, listWords, seatsWord } from "./seat-selection";
import { SelectionPanel, type HoldVia } from "./selection-panel";
import { useAdmission, type HoldResult, type MyHold } from "./use-admission";
import styles from "./showtime.module.css";

const count = new Intl.NumberFormat("en-US");
const fmt = (n: number) => count.format(n);

type Props = { showtimeId: string; signedIn: boolean; overview: ShowtimeOverview };


export function SeatMapView({ showtimeId, signedIn, overview }: Props) {
  const trpc = useTRPC();
  // The layout (a 304 from the browser's cache after the first read) and the statuses at a seat version,
  // both read at once, beside the stream: the map shows without waiting for the stream to listen. Its
  // "ready" names the version it listens from, and the map reads the statuses again only when behind it
  // (live-seats.ts). The layout is revalidated with every later read, sharing a fetch under way.
  const queryClient = useQueryClient();
  const layoutQuery = useMemo(
    () => ({
      queryKey: ["seat-layout", showtimeId],
      queryFn: ({ signal }: { signal: AbortSignal }) => takeStartedRead(showtimeId, "layout") ?? fetchSeatLayout(showtimeId, signal),
      staleTime: 5_000,
    }),
    [showtimeId],
  );
  useEffect(() => {
    void queryClient.prefetchQuery(layoutQuery);
  }, [queryClient, layoutQuery]);
  const query = useQuery({
    queryKey: ["seat-map", showtimeId],
    queryFn: async ({ signal }) => {
      const [layout, status] = await Promise.all([
        queryClient.fetchQuery(layoutQuery),
        takeStartedRead(showtimeId, "status") ?? fetchSeatStatus(showtimeId, signal),
      ]);
      // The painter (seat-paint.ts) drew these very reads: start from its parts rather than build them again.
      const painted = paintedAt(showtimeId, status.version);
      if (painted) {
        const map = { ...overview, venue: { ...overview.venue, ...layout.venue }, tiers: layout.tiers, sections: painted.sections, counts: painted.counts };
        return { map, seatVersion: status.version, model: painted.model };
      }
      return { map: seatMapOf(overview, layout, status), seatVersion: status.version, model: undefined };
    },
    // The stream keeps the map current; it is read again on every (re)connect and when the fan asks.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    // Comparing 15,000 seats with the last answer costs more than it saves.
    structuralSharing: false,
  });
  const [live] = useState(() => new LiveSeats());
  useSyncExternalStore(live.subscribe, live.getVersion, live.getVersion);

  const { refetch } = query;
  const resync = useCallback(() => {
    live.beginResync();
    void refetch();
  }, [live, refetch]);

  const stream = useSubscription(
    trpc.showtimes.seatChanges.subscriptionOptions(
      { showtimeId },
      {
        onData: (event) => {
          if (live.receive(event).resync) resync();
        },
      },
    ),
  );
  // A dropped connection retries by itself; until a "ready" comes back, the map may be behind.
  const reconnecting = stream.status === "error" || (stream.status === "connecting" && stream.error !== null);
  const liveState = reconnecting ? "reconnecting" : live.readyCount > 0 ? "on" : "connecting";

  // Before paint, so a new snapshot never shows without the changes that arrived while it loaded.
  useLayoutEffect(() => {
    if (query.data && live.setData(query.data.map, query.data.seatVersion, query.data.model).resync) resync();
  }, [live, query.data, resync]);

  const data = live.data;
  if (data === null || live.model === null) {
    if (query.isError) {
      return (
        <div className="empty-state" role="alert">
          <h2>We couldn’t load the seat map</h2>
          <p>{query.error.message}</p>
          <p>
            <button type="button" className="button" onClick={() => void query.refetch()}>
              Try again
            </button>
          </p>
        </div>
      );
    }
    return <SeatMapSkeleton showtimeId={showtimeId} />;
  }

  if (data.sections.length === 0) {
    return (
      <div className="empty-state">
        <h2>No seat map yet</h2>
        <p>Seats for this showtime haven’t been released. Check back soon.</p>
      </div>
    );
  }

  return (
    <LoadedSeatMap
      showtimeId={showtimeId}
      signedIn={signedIn}
      live={live}
      liveState={liveState}
      refreshing={query.isFetching}
      refreshFailed={query.isError}
      onRefresh={resync}
    />
  );
}

/** Until the map is live: placeholders, and a canvas seat-paint.ts may draw the map into before React runs. */
export function SeatMapSkeleton({ showtimeId }: { showtimeId: string }) {
  return (
    <div role="status" aria-live="polite">
      <span className="visually-hidden">Loading the seat map…</span>
      <div className={`skeleton skeleton-line ${styles.seatmapSummaryPlaceholder}`} aria-hidden="true" />
      <div className={styles.seatmapLayout} aria-hidden="true">
        <div className={`skeleton ${styles.seatmapCanvasWrap}`}>
          <canvas id={PAINT_CANVAS_ID} className={`${styles.seatmapCanvas} ${styles.seatmapPainted}`} data-showtime-id={showtimeId} />
        </div>
        <div>
          {Array.from({ length: 5 }, (_, i) => (
            <div key={i} className="skeleton skeleton-line" style={{ height: "2.2rem" }} />
          ))}
        </div>
      </div>
    </div>
  );
}


function LoadedSeatMap({
  showtimeId,
  signedIn,
  live,
  liveState,
  refreshing,
  refreshFailed,
  onRefresh,
}: {
  showtimeId: string;
  signedIn: boolean;
  live: LiveSeats;
  liveState: "connecting" | "on" | "reconnecting";
  refreshing: boolean;
  refreshFailed: boolean;
  onRefresh: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const model = live.model!;
  const data = live.data!;
  const { token, admitted } = useAdmission(showtimeId);

  const canvasRef = useRef<HTMLCanvasElement>(null);
  const tooltipRef = useRef<HTMLDivElement>(null);
  const controllerRef = useRef<SeatMapController | null>(null);
  const [zoom, setZoom] = useState(100);
  const [activeSection, setActiveSection] = useState<number | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const [notice, setNotice] = useState<string | null>(null);

  // The fan's holds on this showtime: live ones, and those that ran out or were let go while the page was open.
  const holdsQuery = useQuery(
    trpc.holds.mine.queryOptions(signedIn ? { showtimeId, status: "ACTIVE" } : skipToken, { staleTime: 10_000 }),
  );
  const [gone, setGone] = useState<ReadonlySet<string>>(() => new Set());
  const [endedHolds, setEndedHolds] = useState<MyHold[]>([]);
  const liveHolds = useMemo(
    () =>
      (holdsQuery.data?.items ?? [])
        .filter((h) => h.live && !gone.has(h.id))
        .sort((a, b) => a.heldUntil.getTime() - b.heldUntil.getTime()),
    [holdsQuery.data, gone],
  );
  const heldByMe = liveHolds.reduce((n, h) => n + h.seats.length, 0);
  const allowance = admitted ? allowanceOf(admitted.perUserLimit, heldByMe) : 0;

  useEffect(() => {
    live.setMine(liveHolds.flatMap((h) => h.seats.map((s) => s.id)));
  }, [live, liveHolds]);

  // Access over: what was picked can no longer be held.
  useEffect(() => {
    if (!admitted) live.clearSelection();
  }, [live, admitted]);

  const refetchHolds = useCallback(() => queryClient.invalidateQueries({ queryKey: trpc.holds.mine.queryKey() }), [queryClient, trpc]);

  const labelsOf = (seatIds: readonly number[]) =>
    seatIds.flatMap((id) => {
      const i = live.model?.index.get(id);
      return i === undefined || !live.model ? [] : [seatLabel(live.model, i)];
    });

  const toggle = (seatId: number) => {
    const i = model.index.get(seatId);
    if (i === undefined || !admitted) return;
    const label = seatLabel(model, i);
    const outcome = live.toggle(seatId, allowance);
    if (outcome.kind === "added" || outcome.kind === "removed") {
      const n = outcome.selection.length;
      setNotice(null);
      setAnnouncement(`${outcome.kind === "added" ? "Selected" : "Removed"} ${label}. ${seatsWord(n)} selected.`);
    } else if (outcome.kind === "limit") {
      setNotice(
        heldByMe > 0
          ? `You can have at most ${admitted.perUserLimit} tickets for this showtime, and you hold ${heldByMe}: you can pick ${seatsWord(outcome.allowance)} more. ${label} wasn’t added.`
          : `You can pick at most ${seatsWord(outcome.allowance)} for this showtime. ${label} wasn’t added.`,
      );
    }
  };

  const onTaken = useEffectEvent((seatIds: number[]) => {
    const names = labelsOf(seatIds);
    const one = seatIds.length === 1;
    setNotice(`${listWords(names)} ${one ? "was" : "were"} just taken by someone else, so we took ${one ? "it" : "them"} out of your selection.`);
  });
  const onActivate = useEffectEvent((seat: number) => {
    const id = live.model?.ids[seat];
    if (id !== undefined) toggle(id);
  });
  const onHover = useEffectEvent((seat: number, x: number, y: number) => showTooltip(tooltipRef.current, live, seat, x, y));

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !live.model || !live.data) return;
    const events = {
      onZoom: setZoom,
      onHover: (seat: number, x: number, y: number) => onHover(seat, x, y),
      onActivate: (seat: number) => onActivate(seat),
    };
    const controller =
      adoptPainted(live.model, live.seatVersion, canvas, events) ?? new SeatMapController(canvas, live.model, paletteOf(live.data.tiers), events);
    controllerRef.current = controller;
    const indices = (ids: Iterable<number>) => {
      const out: number[] = [];
      for (const id of ids) {
        const i = live.model?.index.get(id);
        if (i !== undefined) out.push(i);
      }
      return out;
    };
    const marks = () => controller.setMarks(indices(live.selection), indices(live.mine));
    marks();
    const off = live.onChange((change) => {
      if (change.kind === "model" && live.model && live.data) {
        controller.setModel(live.model, paletteOf(live.data.tiers));
        marks();
      } else if (change.kind === "seats") controller.seatsChanged(change.changed);
      else if (change.kind === "marks") marks();
      else if (change.kind === "taken") onTaken(change.seatIds);
    });
    return () => {
      off();
      controller.destroy();
      controllerRef.current = null;
    };
    // The controller lives as long as the canvas; changes reach it through the store.
  }, [live]);

  useEffect(() => {
    controllerRef.current?.setSelectable(admitted !== null);
  }, [admitted]);

  const focusSection = (i: number, announce = true) => {
    const s = model.sections[i];
    if (!s) return;
    controllerRef.current?.focusSection(i);
    // On narrow screens the list sits below the map: bring the map into view (focus stays on the button).
    canvasRef.current?.scrollIntoView({ block: "nearest", behavior: "smooth" });
    setActiveSection(i);
    if (announce) setAnnouncement(`Showing ${sectionLabel(s.name)}: ${fmt(s.available)} of ${fmt(s.total)} seats available. Its seats are listed below the map.`);
  };

  const reset = () => {
    controllerRef.current?.reset();
    setActiveSection(null);
    setAnnouncement("Showing the whole venue.");
  };

  const onHeld = (hold: HoldResult, via: HoldVia) => {
    // The answer says all the list needs: written in, not read again (a read per hold, in a surge). A read
    // already under way could land after and drop it, so it is called off first.
    const mine = trpc.holds.mine.queryKey({ showtimeId, status: "ACTIVE" });
    void queryClient.cancelQueries({ queryKey: mine });
    queryClient.setQueryData(mine, (old) => ({
      items: [heldItem(hold, data, model), ...(old?.items ?? []).filter((h) => h.id !== hold.holdId)],
      nextCursor: old?.nextCursor ?? null,
    }));
    setNotice(null);
    const names = labelsOf(hold.seatIds);
    setAnnouncement(
      `${via === "best" ? "We found and held" : "Held"} ${seatsWord(hold.seatIds.length)}: ${listWords(names)}. The countdown is above the map.`,
    );
    const first = model.index.get(hold.seatIds[0] ?? -1);
    if (via === "best" && first !== undefined) focusSection(model.section[first]!, false);
  };

  const onEnded = (hold: MyHold) => {
    setGone((prev) => new Set(prev).add(hold.id));
    setEndedHolds((prev) => (prev.some((h) => h.id === hold.id) ? prev : [...prev, hold]));
    // The worker frees the seats and the stream says so; the list drops the hold once it is marked.
    void refetchHolds();
  };

  const onReleased = (hold: MyHold) => {
    setGone((prev) => new Set(prev).add(hold.id));
    void refetchHolds();
    setNotice(null);
    setAnnouncement(`You released ${seatsWord(hold.seats.length)}; ${hold.seats.length === 1 ? "it is" : "they are"} back on sale.`);
  };

  const selected = new Set(live.selection);
  const { counts } = model;
  return (
    <div className={styles.seatmap} data-testid="seatmap" data-live={liveState === "on" ? "on" : liveState}>
      <div className={styles.seatmapSummary} data-testid="seatmap-summary">
        <p>
          <strong>{fmt(counts.available)}</strong> of {fmt(counts.total)} seats available
          <span className="muted">
            {" "}
            · {fmt(counts.held)} on hold · {fmt(counts.sold)} sold
          </span>
        </p>
        <div className={styles.seatmapSummaryActions}>
          <span className="live-indicator" data-state={liveState}>
            <span className="live-dot" aria-hidden="true" />
            {liveState === "on" ? "Live" : liveState === "reconnecting" ? "Reconnecting…" : "Connecting…"}
          </span>
          <button type="button" className="button button-secondary button-small" onClick={onRefresh} disabled={refreshing}>
            {refreshing ? "Refreshing…" : "Refresh availability"}
          </button>
        </div>
      </div>
      {refreshFailed ? (
        <p className="alert alert-error" role="alert">
          We couldn’t refresh availability; the map may be out of date.{" "}
          <button type="button" className="link-button" onClick={onRefresh}>
            Try again
          </button>
        </p>
      ) : null}

      <HoldPanels
        showtimeId={showtimeId}
        token={token}
        holds={liveHolds}
        ended={endedHolds}
        onEnded={onEnded}
        onDismiss={(id) => setEndedHolds((prev) => prev.filter((h) => h.id !== id))}
        onReleased={onReleased}
      />

      <div className={styles.seatmapNotice} role="alert">
        {notice ? (
          <p className="alert alert-warning">
            <span>{notice}</span>
            <button type="button" className="link-button" onClick={() => setNotice(null)}>
              Dismiss
            </button>
          </p>
        ) : null}
      </div>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>

      <div className={styles.seatmapLayout}>
        <div className={styles.seatmapMain}>
          <div className={styles.seatmapCanvasWrap} style={{ "--map-aspect": String(mapAspect(model)) } as CSSProperties}>
            <canvas
              ref={canvasRef}
              id="seat-canvas"
              className={styles.seatmapCanvas}
              tabIndex={0}
              role="application"
              aria-roledescription="seat map"
              aria-label={`Seat map of ${data.venue.name}`}
              aria-describedby="seatmap-help"
            >
              Use the section list to explore the seats.
            </canvas>
            <div className={styles.seatmapControls} role="group" aria-label="Map view">
              <button type="button" aria-label="Zoom in" aria-controls="seat-canvas" onClick={() => controllerRef.current?.zoomIn()}>
                <span aria-hidden="true">+</span>
              </button>
              <button type="button" aria-label="Zoom out" aria-controls="seat-canvas" onClick={() => controllerRef.current?.zoomOut()}>
                <span aria-hidden="true">−</span>
              </button>
              <button type="button" aria-controls="seat-canvas" onClick={reset} className={styles.seatmapReset}>
                Reset
              </button>
            </div>
            <output className={styles.seatmapZoom} aria-live="polite">
              <span className="visually-hidden">Zoom </span>
              {zoom}%
            </output>
            <div ref={tooltipRef} className={styles.seatmapTooltip} role="tooltip" hidden />
          </div>
          <p id="seatmap-help" className={styles.seatmapHelp}>
            Scroll or pinch to zoom, drag to move.{" "}
            <span className={styles.keyboardHint}>
              With the map focused, <kbd>+</kbd> and <kbd>−</kbd> zoom, arrow keys move and <kbd>0</kbd> resets.{" "}
            </span>
            {admitted
              ? "Click or tap a seat to pick it; pick a section to choose from a list of its seats."
              : "Hover or tap a seat to see its price."}
          </p>
          {activeSection !== null ? (
            <SectionSeats
              model={model}
              tiers={data.tiers}
              section={activeSection}
              selected={selected}
              mine={live.mine}
              canPick={admitted !== null}
              onToggle={toggle}
            />
          ) : null}
        </div>

        <div className={styles.seatmapSide}>
          {admitted && token ? (
            <SelectionPanel
              showtimeId={showtimeId}
              token={token}
              admission={admitted}
              live={live}
              allowance={allowance}
              heldByMe={heldByMe}
              onHeld={onHeld}
            />
          ) : null}

          <section className={`card ${styles.seatmapLegend}`} aria-labelledby="legend-title">
            <h2 id="legend-title">Prices</h2>
            <p className={`muted ${styles.legendNote}`}>Ticket price + booking fee, per seat.</p>
            <ul>
              {data.tiers.map((t, i) => (
                <li key={t.id}>
                  <span className={styles.swatch} style={{ background: t.color }} aria-hidden="true" />
                  <span className={styles.legendName}>{t.name}</span>
                  <span className={styles.legendPrice}>
                    {formatMoney(t.priceMinor, t.currency)}
                    <span className="muted"> + {formatMoney(t.feeMinor, t.currency)} fee</span>
                  </span>
                  <span className={styles.legendCount}>{fmt(model.tierCounts[i]?.available ?? 0)} left</span>
                </li>
              ))}
              <li>
                <span className={`${styles.swatch} ${styles.swatchHeld}`} style={{ borderColor: HELD }} aria-hidden="true" />
                <span className={styles.legendName}>On hold</span>
                <span className={`${styles.legendPrice} muted`}>May come back</span>
                <span className={styles.legendCount}>{fmt(counts.held)}</span>
              </li>
              <li>
                <span className={styles.swatch} style={{ background: SOLD }} aria-hidden="true" />
                <span className={styles.legendName}>Sold</span>
                <span className={`${styles.legendPrice} muted`}>Not available</span>
                <span className={styles.legendCount}>{fmt(counts.sold)}</span>
              </li>
              {admitted ? (
                <li>
                  <span className={`${styles.swatch} ${styles.swatchSelected}`} style={{ background: SELECTED_FILL }} aria-hidden="true" />
                  <span className={styles.legendName}>Your picks</span>
                  <span className={`${styles.legendPrice} muted`}>Not held yet</span>
                  <span className={styles.legendCount}>{fmt(live.selection.length)}</span>
                </li>
              ) : null}
              {admitted || heldByMe > 0 ? (
                <li>
                  <span className={`${styles.swatch} ${styles.swatchMine}`} style={{ background: MINE_FILL }} aria-hidden="true" />
                  <span className={styles.legendName}>Held for you</span>
                  <span className={`${styles.legendPrice} muted`}>Until your hold ends</span>
                  <span className={styles.legendCount}>{fmt(heldByMe)}</span>
                </li>
              ) : null}
            </ul>
          </section>

          <section className={`card ${styles.seatmapSections}`} aria-labelledby="sections-title">
            <h2 id="sections-title">Sections</h2>
            <p className={`muted ${styles.legendNote}`} id="sections-hint">
              Pick a section to zoom the map to it and list its seats.
            </p>
            <ul className={styles.sectionButtons} aria-describedby="sections-hint">
              {model.sections.map((s, i) => (
                <li key={s.id}>
                  <button
                    type="button"
                    aria-pressed={activeSection === i}
                    aria-controls="seat-canvas"
                    disabled={s.total === 0}
                    onClick={() => focusSection(i)}
                  >
                    <span className={styles.sectionName}>{sectionLabel(s.name)}</span>
                    <span className={s.available === 0 ? `${styles.sectionCount} ${styles.sectionCountNone}` : styles.sectionCount}>
                      {s.available === 0 ? "None available" : `${fmt(s.available)} available`}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        </div>
      </div>
    </div>
  );
}

function showTooltip(el: HTMLDivElement | null, live: LiveSeats, seat: number, x: number, y: number) {
  const { model, data } = live;
  if (!el || !model || !data) return;
  if (seat < 0) {
    el.hidden = true;
    return;
  }
  const id = model.ids[seat]!;
  const tier = data.tiers[model.tier[seat]!];
  const status = live.mine.has(id)
    ? "held for you"
    : live.selection.includes(id)
      ? "your pick"
      : (STATUS_WORD[model.status[seat]! as 0 | 1 | 2] ?? "unavailable");
  const parts = [seatLabel(model, seat), tier ? formatMoney(tier.priceMinor, tier.currency) : null, status];
  el.textContent = parts.filter(Boolean).join(" · ");
  el.dataset.status = status;
  el.hidden = false;
  const wrap = el.parentElement;
  const at = tooltipPosition({ x, y }, { w: el.offsetWidth, h: el.offsetHeight }, { w: wrap?.clientWidth ?? 0, h: wrap?.clientHeight ?? 0 });
  el.style.transform = `translate(${at.x}px, ${at.y}px)`;
}
