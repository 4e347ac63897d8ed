"use client";
// The fan's saved cards, the default first: each with its expiry, and ways to make it the default or remove
// it (after a question). The list is read again after every change.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { SavedCard } from "@/server/domain/payments/methods";
import { appErrorOf } from "../../_components/app-error";
import { LoadError } from "../../_components/load-error";
import { useTRPC } from "../../_trpc/client";
import styles from "./cards.module.css";

const BRAND_NAME: Record<string, string> = {
  visa: "Visa",
  mastercard: "Mastercard",
  amex: "American Express",
  discover: "Discover",
  diners: "Diners Club",
  jcb: "JCB",
  unionpay: "UnionPay",
};

type CardFacts = Pick<SavedCard, "brand" | "last4">;

export function brandName(brand: string): string {
  return BRAND_NAME[brand] ?? (brand === "unknown" || !brand ? "Card" : brand.charAt(0).toUpperCase() + brand.slice(1));
}

/** "Visa ending in 4242": how a card is named in words (the list shows "Visa •••• 4242"). */
export function cardName(card: CardFacts): string {
  return `${brandName(card.brand)} ending in ${card.last4}`;
}

/** "08/29" */
function expiry(card: Pick<SavedCard, "expMonth" | "expYear">): string {
  return `${String(card.expMonth).padStart(2, "0")}/${String(card.expYear % 100).padStart(2, "0")}`;
}

export function SavedCards() {
  const trpc = useTRPC();
  const cards = useQuery(trpc.paymentMethods.list.queryOptions());
  const [announcement, setAnnouncement] = useState("");
  const headingRef = useRef<HTMLHeadingElement>(null);

  let body;
  if (cards.status === "pending") {
    body = (
      <div aria-busy="true">
        <p className="visually-hidden">Loading your cards…</p>
        {[0, 1].map((i) => (
          <div key={i} className={`card ${styles.cardItem}`} aria-hidden="true">
            <div className="skeleton skeleton-line" style={{ width: "45%" }} />
            <div className="skeleton skeleton-line" style={{ width: "25%" }} />
          </div>
        ))}
      </div>
    );
  } else if (cards.status === "error") {
    body = <LoadError title="We couldn’t load your cards" query={cards} />;
  } else if (cards.data.length === 0) {
    body = (
      <div className="empty-state">
        <h3>No saved cards yet…</h3>
        <p>Add a card with the form. Your first card becomes your default.</p>
      </div>
    );
  } else {
    body = (
      <ul className={styles.cardList}>
        {cards.data.map((card) => (
          <CardRow
            key={card.id}
            card={card}
            others={cards.data.length - 1}
            onChanged={setAnnouncement}
            onRemoved={(message) => {
              setAnnouncement(message);
              headingRef.current?.focus();
            }}
          />
        ))}
      </ul>
    );
  }

  return (
    <section aria-labelledby="saved-cards-title">
      <h2 id="saved-cards-title" ref={headingRef} tabIndex={-1} className={styles.cardsTitle}>
        Saved cards
      </h2>
      {body}
      <p role="status" className="visually-hidden">
        {announcement}
      </p>
    </section>
  );
}

type RowProps = {
  card: SavedCard;
  /** How many other cards the fan has: removing the default hands it to one of them. */
  others: number;
  onChanged: (message: string) => void;
  onRemoved: (message: string) => void;
};

function CardRow({ card, others, onChanged, onRemoved }: RowProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const rowRef = useRef<HTMLLIElement>(null);
  const removeRef = useRef<HTMLButtonElement>(null);
  const questionRef = useRef<HTMLDivElement>(null);
  const wasConfirming = useRef(false);
  const name = cardName(card);
  const refresh = () => queryClient.invalidateQueries(trpc.paymentMethods.list.queryFilter());

  const makeDefault = useMutation(
    trpc.paymentMethods.setDefault.mutationOptions({
      onSuccess: async () => {
        await refresh();
        onChanged(`${name} is now your default card.`);
      },
    }),
  );
  const remove = useMutation(
    trpc.paymentMethods.remove.mutationOptions({
      onSuccess: async () => {
        await refresh();
        onRemoved(`Removed your ${name}.`);
      },
    }),
  );

  // Focus follows the question: into it when it opens, back to Remove when it closes.
  useEffect(() => {
    if (confirming) questionRef.current?.focus();
    else if (wasConfirming.current) removeRef.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  const busy = makeDefault.isPending || remove.isPending;
  const failed = makeDefault.error ?? remove.error;
  const failure = failed ? appErrorOf(failed) : null;
  const nameId = `card-${card.id}-name`;

  return (
    <li ref={rowRef} tabIndex={-1} aria-labelledby={nameId} className={`card ${styles.cardItem}`}>
      <div className={styles.cardFacts}>
        <p id={nameId} className={styles.cardName}>
          <span aria-hidden="true">
            {brandName(card.brand)} •••• {card.last4}
          </span>
          <span className="visually-hidden">{name}</span>
        </p>
        {card.isDefault ? <span className={`badge ${styles.defaultBadge}`}>Default</span> : null}
        <p className={card.expired ? styles.expiredNote : `muted ${styles.cardExpiry}`}>
          {card.expired
            ? `Expired ${expiry(card)}: it can’t pay any more. Remove it, or add the card again with its new date.`
            : `Expires ${expiry(card)}`}
        </p>
      </div>

      {confirming ? null : (
        <div className={styles.cardActions}>
          {card.isDefault || card.expired ? null : (
            <button
              type="button"
              className="button button-secondary button-small"
              disabled={busy}
              aria-label={makeDefault.isPending ? undefined : `Make default: ${name}`}
              onClick={() => {
                remove.reset();
                // Its button goes and the row moves to the top: focus stays with the card.
                makeDefault.mutate({ methodId: card.id }, { onSuccess: () => rowRef.current?.focus() });
              }}
            >
              {makeDefault.isPending ? "Saving…" : "Make default"}
            </button>
          )}
          <button
            ref={removeRef}
            type="button"
            className="button button-secondary button-small"
            disabled={busy}
            aria-label={`Remove ${name}`}
            onClick={() => {
              makeDefault.reset();
              remove.reset();
              setConfirming(true);
            }}
          >
            Remove
          </button>
        </div>
      )}

      {confirming ? (
        <div ref={questionRef} tabIndex={-1} className={styles.removeQuestion} role="group" aria-labelledby={`${nameId}-question`}>
          <p id={`${nameId}-question`}>
            <strong>Remove your {name}?</strong>
            {card.isDefault && others > 0 ? " Your newest other card becomes the default." : ""} You can add it again later.
          </p>
          <div className={styles.cardActions}>
            <button
              type="button"
              className="button button-danger button-small"
              disabled={busy}
              onClick={() => remove.mutate({ methodId: card.id })}
            >
              {remove.isPending ? "Removing…" : "Yes, remove it"}
            </button>
            <button type="button" className="button button-secondary button-small" disabled={busy} onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </div>
        </div>
      ) : null}

      {failure ? (
        <p className={`alert alert-error ${styles.cardError}`} role="alert">
          {failure.code === "NETWORK" ? failure.message : `We couldn’t ${remove.error ? "remove" : "change"} this card: ${failure.message}`}
        </p>
      ) : null}
    </li>
  );
}
