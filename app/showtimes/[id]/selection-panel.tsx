"use client";
// The admitted fan's picks: seats with prices, the totals, "Hold N seats", and "find me N seats" (best
// available). Both holds answer the same way; errors are read by their code.
import { useMutation } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import type { Currency } from "@/server/generated/prisma/enums";
import { formatMoney } from "@/server/domain/money";
import { appErrorOf, type ClientAppError } from "../../_components/app-error";
import { endAccessAfter } from "../../_lib/access-token";
import { useTRPC } from "../../_trpc/client";
import type { LiveSeats } from "./live-seats";
import { seatLabel } from "./seat-map-model";
import { listWords, priceSeats, seatsWord, type PriceTotals } from "./seat-selection";
import type { Admission, HoldResult } from "./use-admission";
import styles from "./showtime.module.css";

export type HoldVia = "picked" | "best";

type Props = {
  showtimeId: string;
  token: string;
  admission: Admission;
  live: LiveSeats;
  /** Seats the fan may still pick: the limit less what they hold. */
  allowance: number;
  heldByMe: number;
  /** A hold was taken: resolves once the page shows it. */
  onHeld: (hold: HoldResult, via: HoldVia) => void;
};

type Message = { tone: "error" | "info"; text: string };

export function SelectionPanel({ showtimeId, token, admission, live, allowance, heldByMe, onHeld }: Props) {
  const trpc = useTRPC();
  const model = live.model!;
  const tiers = live.data!.tiers;
  const [message, setMessage] = useState<Message | null>(null);
  const names = (seatIds: readonly number[]) =>
    seatIds.flatMap((id) => {
      const i = model.index.get(id);
      return i === undefined ? [] : [seatLabel(model, i)];
    });

  const failed = (error: unknown, via: HoldVia, quantity: number, tierName: string | null) => {
    const e = appErrorOf(error);
    if (e.code === "NOT_ADMITTED") endAccessAfter(showtimeId, e);
    if (e.code === "SEATS_UNAVAILABLE" && via === "picked") {
      const taken = seatIdsOf(e);
      const label = listWords(names(taken));
      live.removeFromSelection(taken);
      setMessage({
        tone: "error",
        text: taken.length
          ? `${label} ${taken.length === 1 ? "was" : "were"} just taken by someone else, so we took ${taken.length === 1 ? "it" : "them"} out of your selection. Nothing was held: check your seats and try again.`
          : e.message,
      });
      return;
    }
    setMessage({ tone: "error", text: holdErrorText(e, quantity, tierName) });
  };

  const create = useMutation(
    trpc.holds.create.mutationOptions({
      onMutate: ({ seatIds }) => {
        live.setPending(seatIds);
        setMessage(null);
      },
      onSuccess: (hold) => {
        live.setStatus(hold.seatIds, 1);
        onHeld(hold, "picked");
        live.removeFromSelection(hold.seatIds);
      },
      onError: (error) => failed(error, "picked", 0, null),
      onSettled: () => live.setPending([]),
    }),
  );

  const picked = live.selection.flatMap((id) => {
    const i = model.index.get(id);
    return i === undefined ? [] : [{ id, i }];
  });
  const totals = priceSeats(
    picked.map((p) => model.tier[p.i]!),
    tiers,
  );
  const over = picked.length > allowance;
  const busy = create.isPending;

  // The narrow-screen bar stands in for the Hold button only while that button is out of sight.
  const actionsRef = useRef<HTMLDivElement>(null);
  const [actionsInView, setActionsInView] = useState(false);
  const hasPicks = picked.length > 0;
  useEffect(() => {
    const el = actionsRef.current;
    if (!el || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver(([entry]) => setActionsInView(entry?.isIntersecting ?? false));
    observer.observe(el);
    return () => observer.disconnect();
  }, [hasPicks]);

  return (
    <section className={`card ${styles.selectionPanel}`} aria-labelledby="selection-title">
      <h2 id="selection-title">Your seats</h2>
      {picked.length === 0 ? (
        <p className={`muted ${styles.selectionEmpty}`}>
          Click or tap seats on the map, or pick a section below to choose seats from a list.{" "}
          {allowance > 0
            ? `You can choose up to ${seatsWord(allowance)}${heldByMe ? ` more (you hold ${heldByMe})` : ""}.`
            : `You already hold the most seats allowed (${admission.perUserLimit}).`}
        </p>
      ) : (
        <>
          <ul className={styles.seatLines}>
            {picked.map(({ id, i }) => {
              const tier = tiers[model.tier[i]!];
              const label = seatLabel(model, i);
              return (
                <li key={id}>
                  <span className={styles.seatLineName} data-testid="seat-line-name">
                    {label}
                  </span>
                  <span className={styles.seatLinePrice}>
                    {tier ? (
                      <>
                        <span className="muted">{tier.name}</span> {formatMoney(tier.priceMinor, tier.currency)}
                      </>
                    ) : null}
                  </span>
                  <button
                    type="button"
                    className={styles.seatLineRemove}
                    aria-label={`Remove ${label}`}
                    disabled={busy}
                    onClick={() => live.removeFromSelection([id])}
                  >
                    <span aria-hidden="true">×</span>
                  </button>
                </li>
              );
            })}
          </ul>
          {totals ? <PriceLines totals={totals} /> : null}
          {over ? (
            <p className="alert alert-warning">
              You can hold {seatsWord(allowance)} more; remove {picked.length - allowance} to continue.
            </p>
          ) : null}
          {totals && !actionsInView ? (
            // Phones: the panel sits below the map and the seat list; this bar keeps the picks in sight.
            <a className={styles.selectionBar} href="#selection-title">
              <span>
                {seatsWord(picked.length)} picked · <strong>{formatMoney(totals.totalMinor, totals.currency)}</strong>
              </span>
              <span className={styles.selectionBarAction}>Review and hold</span>
            </a>
          ) : null}
          <div className={styles.selectionActions} ref={actionsRef}>
            <button
              type="button"
              className="button"
              disabled={busy || over}
              onClick={() => create.mutate({ showtimeId, accessToken: token, seatIds: picked.map((p) => p.id) })}
            >
              {busy ? "Holding…" : `Hold ${seatsWord(picked.length)}`}
            </button>
            <button type="button" className="link-button" disabled={busy} onClick={() => live.clearSelection()}>
              Clear selection
            </button>
          </div>
        </>
      )}
      <div role="alert" className={styles.selectionMessage}>
        {message ? <p className={message.tone === "error" ? "alert alert-error" : "alert alert-info"}>{message.text}</p> : null}
      </div>

      <BestAvailable
        showtimeId={showtimeId}
        token={token}
        live={live}
        allowance={allowance}
        disabled={busy}
        onStart={() => setMessage(null)}
        onHeld={onHeld}
        onFailed={failed}
      />
    </section>
  );
}

function BestAvailable({
  showtimeId,
  token,
  live,
  allowance,
  disabled,
  onStart,
  onHeld,
  onFailed,
}: {
  showtimeId: string;
  token: string;
  live: LiveSeats;
  allowance: number;
  disabled: boolean;
  onStart: () => void;
  onHeld: Props["onHeld"];
  onFailed: (error: unknown, via: HoldVia, quantity: number, tierName: string | null) => void;
}) {
  const trpc = useTRPC();
  const id = useId();
  const tiers = live.data!.tiers;
  const tierCounts = live.model!.tierCounts;
  const [wanted, setWanted] = useState(2);
  const [tierId, setTierId] = useState("");
  const quantity = Math.max(1, Math.min(wanted, allowance));
  const tier = tiers.find((t) => t.id === tierId) ?? null;

  const best = useMutation(
    trpc.holds.bestAvailable.mutationOptions({
      onMutate: onStart,
      onSuccess: (hold) => {
        live.setStatus(hold.seatIds, 1);
        onHeld(hold, "best");
      },
      onError: (error, input) => onFailed(error, "best", input.quantity, tiers.find((t) => t.id === input.priceTierId)?.name ?? null),
    }),
  );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    best.mutate({ showtimeId, accessToken: token, quantity, ...(tier ? { priceTierId: tier.id } : {}) });
  };

  const none = allowance === 0;
  return (
    <form className={styles.bestAvailable} onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Best available</h3>
      <p className={`muted ${styles.legendNote}`}>We find the best seats next to each other and hold them for you.</p>
      <div className={styles.bestFields}>
        <label htmlFor={`${id}-qty`}>Find me</label>
        <select
          id={`${id}-qty`}
          className="select"
          value={quantity}
          disabled={none}
          onChange={(e) => setWanted(Number(e.target.value))}
          aria-describedby={`${id}-seats`}
        >
          {Array.from({ length: Math.max(1, allowance) }, (_, k) => k + 1).map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
        <span id={`${id}-seats`}>{quantity === 1 ? "seat" : "seats"}</span>
        <label htmlFor={`${id}-tier`}>in</label>
        <select id={`${id}-tier`} className="select" value={tierId} disabled={none} onChange={(e) => setTierId(e.target.value)}>
          <option value="">any price</option>
          {tiers.map((t, i) => (
            <option key={t.id} value={t.id} disabled={(tierCounts[i]?.available ?? 0) === 0}>
              {t.name} · {formatMoney(t.priceMinor, t.currency)}
              {(tierCounts[i]?.available ?? 0) === 0 ? " (none left)" : ""}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button button-secondary" disabled={none || disabled || best.isPending}>
        {best.isPending ? "Finding seats…" : `Find ${seatsWord(quantity)}`}
      </button>
    </form>
  );
}

/** Tickets, fees and total, as a description list. */
export function PriceLines({ totals }: { totals: PriceTotals }) {
  const money = (minor: number, currency: Currency) => formatMoney(minor, currency);
  return (
    <dl className={styles.priceLines}>
      <div>
        <dt>Tickets</dt>
        <dd>{money(totals.subtotalMinor, totals.currency)}</dd>
      </div>
      <div>
        <dt>Booking fees</dt>
        <dd>{money(totals.feesMinor, totals.currency)}</dd>
      </div>
      <div className={styles.priceTotal}>
        <dt>Total</dt>
        <dd>{money(totals.totalMinor, totals.currency)}</dd>
      </div>
    </dl>
  );
}

function seatIdsOf(e: ClientAppError): number[] {
  const ids = e.details?.seatIds;
  return Array.isArray(ids) ? ids.filter((id): id is number => typeof id === "number") : [];
}

/** What went wrong with a hold, in the fan's words. SEATS_UNAVAILABLE of picked seats is told by the caller. */
export function holdErrorText(e: ClientAppError, quantity: number, tierName: string | null): string {
  switch (e.code) {
    case "SEATS_UNAVAILABLE":
      return `There aren’t ${seatsWord(quantity)} together free ${tierName ? `in ${tierName}` : "anywhere"} right now. Try fewer seats${tierName ? " or another price" : ""}.`;
    case "LIMIT_EXCEEDED": {
      const limit = Number(e.details?.limit);
      const held = Number(e.details?.held);
      if (!Number.isFinite(limit) || !Number.isFinite(held)) return e.message;
      const left = Math.max(0, limit - held);
      return `You can have at most ${limit} tickets for this showtime and you already hold ${held}, so you can ${left === 0 ? "add no more" : `add only ${left} more`}. Nothing was held.`;
    }
    case "NOT_ADMITTED":
      return "Your time to choose seats has ended, so nothing was held. Join the waiting room again to get back in.";
    case "NOT_ON_SALE":
      return `${e.message} Nothing was held.`;
    default:
      return e.message;
  }
}
