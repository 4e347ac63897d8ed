// Labelled selects and text areas wired like app/_components/field.tsx (hint, error, aria-describedby),
// a form-level alert, and a filter form's buttons.
import type { ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";
import Link from "next/link";
import styles from "./admin.module.css";

function describedBy(id: string, hint?: ReactNode, error?: string) {
  return [error ? `${id}-error` : "", hint ? `${id}-hint` : ""].filter(Boolean).join(" ") || undefined;
}

function Messages({ id, hint, error }: { id: string; hint?: ReactNode; error?: string }) {
  return (
    <>
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : null}
      {hint ? (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
    </>
  );
}

type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, "id"> & { id: string; label: string; hint?: ReactNode; error?: string };

export function SelectField({ id, label, hint, error, children, ...select }: SelectProps) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        className="select"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...select}
      >
        {children}
      </select>
      <Messages id={id} hint={hint} error={error} />
    </div>
  );
}

type TextAreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "id"> & {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
};

export function TextAreaField({ id, label, hint, error, ...area }: TextAreaProps) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        className={`input ${styles.adminTextarea}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...area}
      />
      <Messages id={id} hint={hint} error={error} />
    </div>
  );
}

/** The alert at the top of a form: the server's message, and any field messages with no field below. */
export function FormAlert({ message, extra = [], alertRef }: { message?: string; extra?: string[]; alertRef?: React.Ref<HTMLDivElement> }) {
  if (!message && extra.length === 0) return null;
  return (
    <div ref={alertRef} className="alert alert-error" role="alert" tabIndex={-1}>
      {message ? <p className={styles.adminAlertTitle}>{message}</p> : null}
      {extra.length > 0 ? (
        <ul className={styles.adminAlertList}>
          {extra.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** A search or filter form's buttons: submit, and a way back to everything once something is filtered. */
export function FilterActions({ label, clearHref }: { label: string; clearHref: string | undefined }) {
  return (
    <div className={styles.opsFilterActions}>
      <button type="submit" className="button">
        {label}
      </button>
      {clearHref ? (
        <Link href={clearHref} className="button button-secondary">
          Clear
        </Link>
      ) : null}
    </div>
  );
}
