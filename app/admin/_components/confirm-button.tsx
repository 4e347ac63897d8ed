"use client";
// A button whose action needs a second, deliberate yes (publish, cancel): a modal dialog says what will
// happen, and only its confirm button acts. Escape or "Keep it" closes it with nothing done.
import { useId, useRef, useState, type ReactNode } from "react";
import styles from "./admin.module.css";

type Props = {
  label: string;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  danger?: boolean;
  disabled?: boolean;
  className?: string;
};

export function ConfirmButton({ label, title, children, confirmLabel, onConfirm, danger = false, disabled, className }: Props) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const titleId = useId();
  const tone = danger ? "button button-danger" : "button";

  async function confirm() {
    setBusy(true);
    try {
      await onConfirm();
    } finally {
      setBusy(false);
      dialogRef.current?.close();
    }
  }

  return (
    <>
      <button
        type="button"
        className={className ?? `${tone} button-small`}
        disabled={disabled || busy}
        onClick={() => dialogRef.current?.showModal()}
      >
        {label}
      </button>
      <dialog ref={dialogRef} className={`card ${styles.adminDialog}`} aria-labelledby={titleId}>
        <h2 id={titleId}>{title}</h2>
        <div className="admin-dialog-body">{children}</div>
        <div className={styles.adminDialogActions}>
          <button type="button" className={tone} onClick={confirm} disabled={busy}>
            {busy ? "Working…" : confirmLabel}
          </button>
          <button type="button" className="button button-secondary" onClick={() => dialogRef.current?.close()} disabled={busy}>
            Keep it
          </button>
        </div>
      </dialog>
    </>
  );
}
