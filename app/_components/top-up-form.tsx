"use client";
// Adding money to the wallet: on /wallet (any currency, quick amounts) and inline at checkout (the hold's
// currency, the shortfall filled in). One idempotency key per top-up; the same top-up sent again after a
// network error keeps its key, so it is added at most once.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { formatMoney } from "@/server/domain/money";
import type { Currency } from "@/server/generated/prisma/enums";
import { appErrorOf } from "./app-error";
import { useHydrated } from "./use-hydrated";
import { formatAmountInput, keyForAttempt, parseAmount, QUICK_AMOUNTS, type TopUpAttempt } from "../_lib/amount";
import { useTRPC } from "../_trpc/client";
import styles from "./top-up-form.module.css";

export const CURRENCY_NAME: Record<Currency, string> = { KRW: "Korean won", USD: "US dollars" };
const CURRENCY_HINT: Record<Currency, string> = { KRW: "Whole won, like 50,000", USD: "Dollars and cents, like 12.50" };

type Props = {
  /** Prefix for element ids, so two forms can share a page. */
  id: string;
  /** The most one top-up may add, per currency (the server's TOP_UP_MAX). */
  limits: Record<Currency, number>;
  /** Fixed currency (checkout); otherwise the fan chooses. */
  currency?: Currency;
  initialAmountMinor?: number;
  quickAmounts?: boolean;
  /** Inside another form's step (checkout): the submit button is outlined, so Pay stays the main action. */
  inline?: boolean;
  onToppedUp?: (result: { currency: Currency; amountMinor: number; balanceAfterMinor: number }) => void;
};

export function TopUpForm({
  id,
  limits,
  currency: fixedCurrency,
  initialAmountMinor,
  quickAmounts = false,
  inline = false,
  onToppedUp,
}: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const hydrated = useHydrated();
  const [chosen, setChosen] = useState<Currency>(fixedCurrency ?? "KRW");
  const currency = fixedCurrency ?? chosen;
  const [text, setText] = useState(initialAmountMinor ? formatAmountInput(initialAmountMinor, currency) : "");
  // Shown after the first submit; from then on it follows what the fan types.
  const [showErrors, setShowErrors] = useState(false);
  const [serverError, setServerError] = useState<{ message: string; network: boolean } | null>(null);
  const [done, setDone] = useState("");
  // The last top-up that got no answer at all: sending it again reuses its key.
  const [unanswered, setUnanswered] = useState<TopUpAttempt | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  const topUp = useMutation(trpc.wallet.topUp.mutationOptions());
  const parsed = parseAmount(text, currency, { maxMinor: limits[currency] });
  const fieldError = showErrors && !parsed.ok ? parsed.error : undefined;

  async function send(request: { currency: Currency; amountMinor: number }) {
    const attempt: TopUpAttempt = { ...request, idempotencyKey: keyForAttempt(request, unanswered) };
    setServerError(null);
    setDone("");
    try {
      const entry = await topUp.mutateAsync(attempt);
      setUnanswered(null);
      setText("");
      setShowErrors(false);
      setDone(
        `Added ${formatMoney(entry.amountMinor, entry.currency)}. Your ${CURRENCY_NAME[entry.currency]} balance is now ${formatMoney(entry.balanceAfterMinor, entry.currency)}.`,
      );
      await Promise.all([
        queryClient.invalidateQueries(trpc.wallet.balances.pathFilter()),
        queryClient.invalidateQueries(trpc.wallet.ledger.pathFilter()),
      ]);
      onToppedUp?.({ currency: entry.currency, amountMinor: entry.amountMinor, balanceAfterMinor: entry.balanceAfterMinor });
    } catch (err) {
      const e = appErrorOf(err);
      setUnanswered(e.code === "NETWORK" ? attempt : null);
      const fields = (e.details?.fieldErrors ?? {}) as Record<string, string[] | undefined>;
      setServerError({
        network: e.code === "NETWORK",
        message:
          e.code === "NETWORK"
            ? "We couldn’t reach Onsale, so we don’t know whether the money was added. Trying again is safe: it is added only once."
            : (fields.amountMinor?.[0] ?? e.message),
      });
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (topUp.isPending) return;
    setShowErrors(true);
    if (!parsed.ok) {
      inputRef.current?.focus();
      return;
    }
    void send({ currency, amountMinor: parsed.minor });
  }

  const amountId = `${id}-amount`;
  const hintId = `${amountId}-hint`;
  const errorId = `${amountId}-error`;
  const pending = topUp.isPending;
  const retry = serverError?.network ? unanswered : null;

  return (
    <form className={styles.topupForm} onSubmit={onSubmit} noValidate aria-describedby={`${id}-limit`}>
      {fixedCurrency ? null : (
        <fieldset className={styles.topupCurrency}>
          <legend>Currency</legend>
          <div className={styles.segmented}>
            {(["KRW", "USD"] as const).map((c) => (
              <label key={c} className={styles.segmentedOption}>
                <input
                  type="radio"
                  name={`${id}-currency`}
                  value={c}
                  checked={currency === c}
                  onChange={() => {
                    setChosen(c);
                    setText("");
                    setShowErrors(false);
                    setServerError(null);
                    setDone("");
                  }}
                />
                <span className={styles.segmentedLabel}>
                  {c} <span className={styles.segmentedSub}>{CURRENCY_NAME[c]}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
      )}

      <div className="field">
        <label htmlFor={amountId}>Amount in {CURRENCY_NAME[currency]}</label>
        <div className={styles.topupAmount}>
          <span className={styles.topupSymbol} aria-hidden="true">
            {currency === "KRW" ? "₩" : "$"}
          </span>
          <input
            ref={inputRef}
            id={amountId}
            className="input"
            type="text"
            inputMode={currency === "KRW" ? "numeric" : "decimal"}
            autoComplete="off"
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setDone("");
            }}
            aria-invalid={fieldError ? true : undefined}
            aria-describedby={[fieldError ? errorId : null, hintId].filter(Boolean).join(" ")}
          />
        </div>
        {fieldError ? (
          <p id={errorId} className="field-error">
            {fieldError}
          </p>
        ) : null}
        <p id={hintId} className="hint">
          {CURRENCY_HINT[currency]}.
        </p>
      </div>

      {quickAmounts ? (
        <div className={styles.topupQuick} role="group" aria-label="Quick amounts">
          {QUICK_AMOUNTS[currency].map((minor) => (
            <button
              key={minor}
              type="button"
              className={styles.chip}
              aria-pressed={parsed.ok && parsed.minor === minor}
              onClick={() => {
                setText(formatAmountInput(minor, currency));
                setDone("");
              }}
            >
              {formatMoney(minor, currency)}
            </button>
          ))}
        </div>
      ) : null}

      <p id={`${id}-limit`} className={`hint ${styles.topupLimit}`}>
        Up to {formatMoney(limits[currency], currency)} per top-up.
      </p>

      {serverError ? (
        <div className="alert alert-error" role="alert">
          <p>{serverError.message}</p>
          {retry ? (
            <button type="button" className="button button-small" disabled={pending} onClick={() => void send(retry)}>
              Try again
            </button>
          ) : null}
        </div>
      ) : null}

      <button
        type="submit"
        className={inline ? `button ${styles.topupSubmit} ${styles.topupInline}` : `button ${styles.topupSubmit}`}
        disabled={!hydrated || pending}
      >
        {pending ? "Adding money…" : parsed.ok ? `Top up ${formatMoney(parsed.minor, currency)}` : "Top up"}
      </button>

      <p role="status" className={done ? `alert alert-success ${styles.topupDone}` : "visually-hidden"}>
        {done}
      </p>
    </form>
  );
}
