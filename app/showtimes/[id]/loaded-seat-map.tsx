"use client";
// The live map once its data is in: the summary, the fan's holds, the canvas with the chosen section's
// seats below it, and beside it the picks, the legend and the sections. It holds what the parts share (the
// chosen section, the notice and what a screen reader is told) and turns taps and holds into words.
import { useEffect, useState } from "react";
import { formatCount as fmt } from "../../_components/format";
import { sectionLabel } from "../../_lib/seat-name";
import { HoldPanels } from "./hold-panel";
import type { LiveSeats } from "./live-seats";
import { SeatMapCanvas } from "./seat-map-canvas";
import { SeatMapLegend } from "./seat-map-legend";
import { seatLabel } from "./seat-map-model";
import { SeatMapSummary } from "./seat-map-summary";
import { allowanceOf, listWords, seatsWord } from "./seat-selection";
import { SectionList } from "./section-list";
import { SectionSeats } from "./section-seats";
import { SelectionPanel, type HoldVia } from "./selection-panel";
import { useAdmission, type HoldResult, type MyHold } from "./use-admission";
import type { LiveState } from "./use-live-seat-map";
import { useMyHolds } from "./use-my-holds";
import { useSeatCanvas } from "./use-seat-canvas";
import styles from "./showtime.module.css";

type Props = {
  showtimeId: string;
  signedIn: boolean;
  live: LiveSeats;
  liveState: LiveState;
  refreshing: boolean;
  refreshFailed: boolean;
  onRefresh: () => void;
};

export function LoadedSeatMap({ showtimeId, signedIn, live, liveState, refreshing, refreshFailed, onRefresh }: Props) {
  const model = live.model!;
  const data = live.data!;
  const { token, admitted } = useAdmission(showtimeId);
  const holds = useMyHolds(showtimeId, signedIn, live);
  const allowance = admitted ? allowanceOf(admitted.perUserLimit, holds.heldByMe) : 0;
  const [activeSection, setActiveSection] = useState<number | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const [notice, setNotice] = useState<string | null>(null);

  // Access over: what was picked can no longer be held.
  useEffect(() => {
    if (!admitted) live.clearSelection();
  }, [live, admitted]);

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
        holds.heldByMe > 0
          ? `You can have at most ${admitted.perUserLimit} tickets for this showtime, and you hold ${holds.heldByMe}: you can pick ${seatsWord(outcome.allowance)} more. ${label} wasn’t added.`
          : `You can pick at most ${seatsWord(outcome.allowance)} for this showtime. ${label} wasn’t added.`,
      );
    }
  };

  const canvas = useSeatCanvas(live, admitted !== null, {
    onActivate: toggle,
    onTaken: (seatIds) => {
      const one = seatIds.length === 1;
      setNotice(
        `${listWords(labelsOf(seatIds))} ${one ? "was" : "were"} just taken by someone else, so we took ${one ? "it" : "them"} out of your selection.`,
      );
    },
  });

  const focusSection = (i: number, announce = true) => {
    const s = model.sections[i];
    if (!s) return;
    canvas.controller.current?.focusSection(i);
    // On narrow screens the list sits below the map: bring the map into view (focus stays on the button).
    canvas.canvasRef.current?.scrollIntoView({ block: "nearest", behavior: "smooth" });
    setActiveSection(i);
    if (announce)
      setAnnouncement(
        `Showing ${sectionLabel(s.name)}: ${fmt(s.available)} of ${fmt(s.total)} seats available. Its seats are listed below the map.`,
      );
  };

  const reset = () => {
    canvas.controller.current?.reset();
    setActiveSection(null);
    setAnnouncement("Showing the whole venue.");
  };

  const onHeld = (hold: HoldResult, via: HoldVia) => {
    holds.add(hold);
    setNotice(null);
    setAnnouncement(
      `${via === "best" ? "We found and held" : "Held"} ${seatsWord(hold.seatIds.length)}: ${listWords(labelsOf(hold.seatIds))}. The countdown is above the map.`,
    );
    const first = model.index.get(hold.seatIds[0] ?? -1);
    if (via === "best" && first !== undefined) focusSection(model.section[first]!, false);
  };

  const onReleased = (hold: MyHold) => {
    holds.release(hold);
    setNotice(null);
    setAnnouncement(`You released ${seatsWord(hold.seats.length)}; ${hold.seats.length === 1 ? "it is" : "they are"} back on sale.`);
  };

  return (
    <div className={styles.seatmap} data-testid="seatmap" data-live={liveState === "on" ? "on" : liveState}>
      <SeatMapSummary
        counts={model.counts}
        liveState={liveState}
        refreshing={refreshing}
        refreshFailed={refreshFailed}
        onRefresh={onRefresh}
      />

      <HoldPanels
        showtimeId={showtimeId}
        token={token}
        holds={holds.holds}
        ended={holds.ended}
        onEnded={holds.end}
        onDismiss={holds.dismiss}
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
          <SeatMapCanvas {...canvas} model={model} venueName={data.venue.name} canPick={admitted !== null} onReset={reset} />
          {activeSection !== null ? (
            <SectionSeats
              model={model}
              tiers={data.tiers}
              section={activeSection}
              selected={new Set(live.selection)}
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
              heldByMe={holds.heldByMe}
              onHeld={onHeld}
            />
          ) : null}
          <SeatMapLegend
            tiers={data.tiers}
            model={model}
            canPick={admitted !== null}
            picked={live.selection.length}
            heldByMe={holds.heldByMe}
          />
          <SectionList model={model} active={activeSection} onPick={(i) => focusSection(i)} />
        </div>
      </div>
    </div>
  );
}
