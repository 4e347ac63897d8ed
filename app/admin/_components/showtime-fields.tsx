// The field groups the new-showtime and edit-showtime forms share: times (in the venue's zone), limits,
// price tiers and waiting-room settings. Each shows its own messages; the forms own the state.
import type { ReactNode } from "react";
import type { Currency } from "@/server/generated/prisma/enums";
import { Field } from "../../_components/field";
import { formatCount } from "../../_components/format";
import { SelectField } from "./fields";
import type { LimitField, TierDraft, TierField, TimeField, TimeNotes, WaitingRoomDraft, WaitingRoomField } from "./showtime-draft";
import { zonedInputToUtc } from "./zoned-time";
import styles from "./admin.module.css";

const TIME_LABELS: Record<TimeField, string> = {
  startsAt: "Show starts",
  doorsAt: "Doors open",
  presaleStartsAt: "Presale opens",
  presaleEndsAt: "Presale closes",
  generalSaleStartsAt: "General sale opens",
  saleEndsAt: "Sales close",
};

const UTC_FMT = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** "= 23 Dec 2026, 11:00 UTC": what a wall-clock value means, so the zone is never a guess. */
function utcHint(value: string, timeZone: string): string | undefined {
  const r = zonedInputToUtc(value, timeZone);
  return r.ok ? `= ${UTC_FMT.format(r.date)} UTC` : undefined;
}

type TimesProps = {
  times: Record<TimeField, string>;
  onChange: (f: TimeField, value: string) => void;
  errors: Partial<Record<string, string>>;
  notes: TimeNotes;
  timeZone: string;
  zoneLabel: string;
  intro?: ReactNode;
};

function TimeInput({ f, props }: { f: TimeField; props: TimesProps }) {
  const { times, onChange, errors, notes, timeZone } = props;
  const optional = f === "presaleStartsAt" || f === "presaleEndsAt";
  const hint = [notes[f], utcHint(times[f], timeZone) ?? (optional ? "Optional." : undefined)].filter(Boolean).join(" ");
  return (
    <Field
      id={`st-${f}`}
      name={f}
      type="datetime-local"
      step={60}
      label={`${TIME_LABELS[f]}${optional ? " (optional)" : ""}`}
      value={times[f]}
      onChange={(e) => onChange(f, e.target.value)}
      error={errors[f]}
      hint={hint || undefined}
    />
  );
}

export function TimesFieldset(props: TimesProps) {
  return (
    <fieldset className={`card ${styles.adminPanel} ${styles.adminFieldset}`}>
      <legend>Dates and sale windows</legend>
      <p className={styles.adminZone} id="st-zone">
        Times are local to the venue: <strong>{props.zoneLabel}</strong>
      </p>
      {props.intro}
      <div className={`${styles.adminGrid} ${styles.adminGrid2}`}>
        <TimeInput f="startsAt" props={props} />
        <TimeInput f="doorsAt" props={props} />
        <TimeInput f="presaleStartsAt" props={props} />
        <TimeInput f="presaleEndsAt" props={props} />
        <TimeInput f="generalSaleStartsAt" props={props} />
        <TimeInput f="saleEndsAt" props={props} />
      </div>
    </fieldset>
  );
}

const LIMITS: { f: LimitField; label: string; hint: string }[] = [
  { f: "holdSeconds", label: "Hold time (seconds)", hint: "How long picked seats wait while the fan pays; 300 = 5 minutes." },
  { f: "holdExtendSeconds", label: "Hold extension (seconds)", hint: "Added once, at checkout." },
  { f: "perUserLimit", label: "Tickets per fan", hint: "Held and bought together." },
  { f: "refundCutoffHours", label: "Refund cutoff (hours)", hint: "Fans can cancel for a refund until this long before the show." },
];

export function LimitsFieldset({
  limits,
  onChange,
  errors,
}: {
  limits: Record<LimitField, string>;
  onChange: (f: LimitField, value: string) => void;
  errors: Partial<Record<string, string>>;
}) {
  return (
    <fieldset className={`card ${styles.adminPanel} ${styles.adminFieldset}`}>
      <legend>Holds and limits</legend>
      <div className={`${styles.adminGrid} ${styles.adminGrid2}`}>
        {LIMITS.map(({ f, label, hint }) => (
          <Field
            key={f}
            id={`st-${f}`}
            name={f}
            label={label}
            inputMode="numeric"
            value={limits[f]}
            onChange={(e) => onChange(f, e.target.value)}
            error={errors[f]}
            hint={hint}
          />
        ))}
      </div>
    </fieldset>
  );
}

type TiersProps = {
  tiers: TierDraft[];
  currency: Currency;
  onChange: (key: string, f: TierField, value: string) => void;
  errors: Record<string, Partial<Record<TierField, string>>>;
  /** A message for the tiers as a whole (e.g. the server's "Add at least one price tier."). */
  groupError?: string;
  /** Extra lines per tier, e.g. the server's refusal to reprice it, or its sold seats. */
  notes?: Record<string, { text: string; error?: boolean } | undefined>;
  onCurrencyChange?: (c: Currency) => void;
  onAdd?: () => void;
  onRemove?: (key: string) => void;
  children?: ReactNode;
};

export function TiersFieldset({
  tiers,
  currency,
  onChange,
  errors,
  groupError,
  notes = {},
  onCurrencyChange,
  onAdd,
  onRemove,
  children,
}: TiersProps) {
  return (
    <fieldset className={`card ${styles.adminPanel} ${styles.adminFieldset}`} aria-describedby={groupError ? "tiers-error" : undefined}>
      <legend>Price tiers</legend>
      {onCurrencyChange ? (
        <div className={styles.adminCurrency}>
          <SelectField
            id="st-currency"
            label="Currency (all tiers)"
            value={currency}
            onChange={(e) => onCurrencyChange(e.target.value as Currency)}
            hint="A showtime sells in one currency. Prices are in major units (129.50 USD; 95000 KRW)."
          >
            <option value="KRW">KRW — Korean won</option>
            <option value="USD">USD — US dollar</option>
          </SelectField>
        </div>
      ) : (
        <p className={`hint ${styles.adminFieldsetHint}`}>
          Prices are in {currency}, in major units. The currency is fixed once a showtime exists.
        </p>
      )}
      {groupError ? (
        <p id="tiers-error" className="field-error" role="alert">
          {groupError}
        </p>
      ) : null}
      <ol className={styles.adminTiers}>
        {tiers.map((t, i) => {
          const e = errors[t.key] ?? {};
          const note = notes[t.key];
          const title = t.name.trim() || `Tier ${i + 1}`;
          return (
            <li key={t.key} className={styles.adminTier} style={{ borderLeftColor: /^#[0-9a-f]{6}$/i.test(t.color) ? t.color : undefined }}>
              <fieldset className={styles.adminPlainFieldset}>
                <legend className="visually-hidden">Price tier {i + 1}</legend>
                <div className={styles.adminTierGrid}>
                  <Field
                    id={`tier-${t.key}-name`}
                    label="Tier name"
                    value={t.name}
                    onChange={(ev) => onChange(t.key, "name", ev.target.value)}
                    error={e.name}
                    maxLength={40}
                  />
                  <Field
                    id={`tier-${t.key}-price`}
                    label={`Price (${currency})`}
                    inputMode="decimal"
                    placeholder={currency === "USD" ? "e.g. 129.50" : "e.g. 95000"}
                    value={t.price}
                    onChange={(ev) => onChange(t.key, "price", ev.target.value)}
                    error={e.price}
                  />
                  <Field
                    id={`tier-${t.key}-fee`}
                    label={`Fee (${currency})`}
                    inputMode="decimal"
                    value={t.fee}
                    onChange={(ev) => onChange(t.key, "fee", ev.target.value)}
                    error={e.fee}
                  />
                  <Field
                    id={`tier-${t.key}-color`}
                    label="Colour"
                    type="color"
                    className={`input ${styles.adminColor}`}
                    value={/^#[0-9a-f]{6}$/i.test(t.color) ? t.color.toLowerCase() : "#000000"}
                    onChange={(ev) => onChange(t.key, "color", ev.target.value)}
                    error={e.color}
                  />
                  {onRemove ? (
                    <button
                      type="button"
                      className={`button button-secondary button-small ${styles.adminTierRemove}`}
                      onClick={() => onRemove(t.key)}
                      disabled={tiers.length <= 1}
                    >
                      Remove<span className="visually-hidden"> {title}</span>
                    </button>
                  ) : null}
                </div>
                {note ? (
                  <p className={note.error ? "field-error" : "hint"} role={note.error ? "alert" : undefined}>
                    {note.text}
                  </p>
                ) : null}
              </fieldset>
            </li>
          );
        })}
      </ol>
      {onAdd ? (
        <button type="button" className="button button-secondary button-small" onClick={onAdd} disabled={tiers.length >= 12}>
          Add price tier
        </button>
      ) : null}
      {children}
    </fieldset>
  );
}

const WAITING_ROOM: { f: WaitingRoomField; label: string; hint?: string }[] = [
  { f: "batchSize", label: "Fans admitted per tick" },
  { f: "intervalMs", label: "Tick interval (ms)", hint: "At least 200 ms." },
  { f: "maxActive", label: "Most shoppers at once" },
  { f: "accessSeconds", label: "Access window (seconds)", hint: "How long an admitted fan may shop." },
  {
    f: "idleSeconds",
    label: "Release idle shoppers after (seconds)",
    hint: "A fan with no seats held who does nothing this long gives the turn to the next fan, and may take it back once. 0: never.",
  },
];

export function WaitingRoomFields({
  wr,
  onChange,
  errors,
  serverError,
}: {
  wr: WaitingRoomDraft;
  onChange: (f: WaitingRoomField | "enabled", value: string | boolean) => void;
  errors: Partial<Record<WaitingRoomField, string>>;
  serverError?: string;
}) {
  return (
    <>
      <label className={styles.adminCheck}>
        <input type="checkbox" checked={wr.enabled} onChange={(e) => onChange("enabled", e.target.checked)} />
        <span>
          <strong>Use the waiting room</strong>
          <span className="hint">Fans queue in arrival order and are admitted in batches. Off: they go straight to the seat map.</span>
        </span>
      </label>
      {serverError ? (
        <p className="field-error" role="alert">
          {serverError}
        </p>
      ) : null}
      <div className={`${styles.adminGrid} ${styles.adminGrid2}`} aria-disabled={!wr.enabled || undefined}>
        {WAITING_ROOM.map(({ f, label, hint }) => (
          <Field
            key={f}
            id={`wr-${f}`}
            label={label}
            inputMode="numeric"
            value={wr[f]}
            onChange={(e) => onChange(f, e.target.value)}
            error={errors[f]}
            hint={hint}
            disabled={!wr.enabled}
          />
        ))}
      </div>
    </>
  );
}

/** "Floor · 500 seats" for a section row. */
export function sectionLabel(name: string, seats: number): string {
  return `${name} · ${formatCount(seats)} ${seats === 1 ? "seat" : "seats"}`;
}
