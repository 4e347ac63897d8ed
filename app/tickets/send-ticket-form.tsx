"use client";
// "Send to a friend": the friend's email, checked as typed after the first try, then offered through
// `tickets.offerTransfer`. The server's word on the address (the fan's own, say) lands on the field; other
// refusals (already offered, show started) above the buttons.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState, type FormEvent } from "react";
import { appErrorOf } from "../_components/app-error";
import { useTRPC } from "../_trpc/client";
import { offerRefusal, readRecipient } from "./tickets-model";
import styles from "./tickets.module.css";

type Props = {
  ticketId: string;
  /** The seat in words, to name the form. */
  seat: string;
  /** Called as a valid offer goes out (the ticket shows its offer as soon as the lists are read again). */
  onSending: () => void;
  onSent: (offer: { toEmail: string; expiresAt: Date }) => void;
  onClose: () => void;
};

export function SendTicketForm({ ticketId, seat, onSending, onSent, onClose }: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [text, setText] = useState("");
  const [tried, setTried] = useState(false);
  const [serverField, setServerField] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  const offer = useMutation(
    trpc.tickets.offerTransfer.mutationOptions({
      // Pending until the ticket reads again with its offer, so the form never shows a stale ticket.
      onSuccess: () =>
        Promise.all([
          queryClient.invalidateQueries(trpc.tickets.list.pathFilter()),
          queryClient.invalidateQueries(trpc.tickets.transfers.queryFilter()),
        ]),
    }),
  );

  const parsed = readRecipient(text);
  const fieldError = serverField ?? (tried && !parsed.ok ? parsed.error : undefined);
  const pending = offer.isPending;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    setTried(true);
    setServerField(null);
    setFormError(null);
    if (!parsed.ok) {
      inputRef.current?.focus();
      return;
    }
    onSending();
    try {
      const sent = await offer.mutateAsync({ ticketId, toEmail: parsed.email });
      onSent({ toEmail: parsed.email, expiresAt: sent.expiresAt });
    } catch (err) {
      const refusal = offerRefusal(appErrorOf(err));
      if (refusal.field) {
        setServerField(refusal.field);
        inputRef.current?.focus();
      } else {
        setFormError(refusal.form ?? null);
      }
    }
  }

  const inputId = `${id}-email`;
  const hintId = `${inputId}-hint`;
  const errorId = `${inputId}-error`;

  return (
    <form className={styles.passSend} onSubmit={onSubmit} noValidate aria-label={`Send ${seat} to a friend`}>
      <div className="field">
        <label htmlFor={inputId}>Friend’s email</label>
        <input
          ref={inputRef}
          id={inputId}
          className="input"
          type="email"
          inputMode="email"
          autoComplete="off"
          spellCheck={false}
          // The fan just asked for this form; the address is the one thing to type.
          autoFocus
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setServerField(null);
          }}
          aria-invalid={fieldError ? true : undefined}
          aria-describedby={[fieldError ? errorId : null, hintId].filter(Boolean).join(" ")}
        />
        {fieldError ? (
          <p id={errorId} className="field-error">
            {fieldError}
          </p>
        ) : null}
        <p id={hintId} className="hint">
          They accept it on Onsale with this address. Until then the ticket stays yours; once they accept, they get a new QR code and yours
          stops working.
        </p>
      </div>
      {formError ? (
        <p className={`alert alert-error ${styles.passSendError}`} role="alert">
          {formError}
        </p>
      ) : null}
      <div className={styles.passSendActions}>
        <button type="submit" className="button button-small" disabled={pending}>
          {pending ? "Sending…" : "Send offer"}
        </button>
        <button type="button" className="button button-secondary button-small" disabled={pending} onClick={onClose}>
          Keep it
        </button>
      </div>
    </form>
  );
}
