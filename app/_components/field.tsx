// A labelled input with its hint and error wired up for assistive technology.
import type { ChangeEvent, InputHTMLAttributes } from "react";
import { EMAIL_MAX } from "@/server/domain/auth/schemas";

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, "id"> & {
  id: string;
  label: string;
  hint?: string;
  error?: string;
};

export function Field({ id, label, hint, error, ...input }: Props) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} className="input" aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : null}
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** The account email input of the sign-in and sign-up forms. */
export function EmailField({ error }: { error: string | undefined }) {
  return (
    <Field
      id="email"
      name="email"
      type="email"
      label="Email"
      autoComplete="email"
      inputMode="email"
      spellCheck={false}
      error={error}
      maxLength={EMAIL_MAX}
      required
    />
  );
}

/**
 * What ties a form's fields to its draft: `field(key)` gives the field's id (`prefix-key`, which the form
 * focuses when that field has a problem), its value, its change handler and its error.
 */
export function bindFields<K extends string>(
  prefix: string,
  values: Record<K, string>,
  set: (key: K, value: string) => void,
  errorOf: (key: K) => string | undefined,
) {
  return (key: K) => ({
    id: `${prefix}-${key}`,
    value: values[key],
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) => set(key, e.target.value),
    error: errorOf(key),
  });
}
