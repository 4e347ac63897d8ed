"use client";
// The sandbox processor's card form, as Stripe Elements is Stripe's: the number, expiry and CVC are checked
// here and a test card becomes the sandbox's token in the browser (../_lib/sandbox-card.ts). Only the token
// leaves, through `onToken`; the inputs have no `name`, so no form submission can ever carry what was typed.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { CARD_FIELDS, formatCardNumber, TEST_CARDS, tokenizeCard, type CardField, type CardValues } from "../_lib/sandbox-card";
import { bindFields, Field } from "./field";
import { useHydrated } from "./use-hydrated";
import styles from "./sandbox-card-form.module.css";

const EMPTY: CardValues = { number: "", expiry: "", cvc: "" };

type Props = {
  /** Prefix for element ids. */
  id: string;
  submitLabel: string;
  pendingLabel: string;
  /** The token is being used (saved): the button shows it and the form waits. */
  pending: boolean;
  /** What the server answered to the last token, in words: shown beside the button. */
  error?: string;
  /** Gets the token; resolves true once it was used, and the form empties. */
  onToken: (token: string) => Promise<boolean>;
};

export function SandboxCardForm({ id, submitLabel, pendingLabel, pending, error, onToken }: Props) {
  const hydrated = useHydrated();
  const [values, setValues] = useState<CardValues>(EMPTY);
  // Shown after the first submit; from then on they follow what the fan types.
  const [showErrors, setShowErrors] = useState(false);
  // Counts the tokens the server refused: each one moves the focus to its message.
  const [refusals, setRefusals] = useState(0);
  const alertRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (refusals) alertRef.current?.focus();
  }, [refusals]);

  const checked = tokenizeCard(values, new Date());
  const errors = showErrors && !checked.ok ? checked.errors : {};
  const set = (key: CardField, value: string) => setValues((v) => ({ ...v, [key]: value }));
  const field = bindFields(id, values, set, (key) => errors[key]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    setShowErrors(true);
    if (!checked.ok) {
      const first = CARD_FIELDS.find((f) => checked.errors[f]);
      document.getElementById(`${id}-${first}`)?.focus();
      return;
    }
    if (await onToken(checked.token)) {
      setValues(EMPTY);
      setShowErrors(false);
    } else {
      setRefusals((n) => n + 1);
    }
  }

  return (
    <form className={styles.cardForm} onSubmit={onSubmit} noValidate aria-describedby={`${id}-sandbox`} aria-busy={pending}>
      <p id={`${id}-sandbox`} className="alert alert-info">
        <strong>Test processor.</strong> No real card is charged here: use a test card number below, any future expiry date and any 3 digits
        for the CVC.
      </p>
      <Field
        {...field("number")}
        label="Card number"
        type="text"
        inputMode="numeric"
        autoComplete="cc-number"
        placeholder="1234 1234 1234 1234"
        spellCheck={false}
        maxLength={30}
        onBlur={() => set("number", formatCardNumber(values.number))}
      />
      <div className={styles.cardRow}>
        <Field
          {...field("expiry")}
          label="Expiry (MM / YY)"
          type="text"
          inputMode="numeric"
          autoComplete="cc-exp"
          placeholder="MM / YY"
          maxLength={9}
        />
        <Field {...field("cvc")} label="CVC" type="text" inputMode="numeric" autoComplete="cc-csc" placeholder="123" maxLength={4} />
      </div>

      <details className={styles.testCards}>
        <summary>Test card numbers</summary>
        <p>Each one is saved; this is what it does when it pays.</p>
        <ul>
          {TEST_CARDS.map((card) => (
            <li key={card.token}>
              <code>{formatCardNumber(card.number)}</code>: {card.brand}, {card.outcome}
            </li>
          ))}
        </ul>
        <p className="muted">The test processor gives every test card an expiry date of its own.</p>
      </details>

      {error ? (
        <div ref={alertRef} className="alert alert-error" role="alert" tabIndex={-1}>
          {error}
        </div>
      ) : null}

      <button type="submit" className={`button ${styles.cardSubmit}`} disabled={!hydrated || pending}>
        {pending ? (
          <>
            <span className={styles.spinner} aria-hidden="true" />
            {pendingLabel}
          </>
        ) : (
          submitLabel
        )}
      </button>
    </form>
  );
}
