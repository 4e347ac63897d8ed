"use client";
// Edit a showtime's times, limits and tiers. Only what changed is sent; the server refuses what would
// touch sold seats (a tier's price once any seat of it is sold or held) and says so beside the tier.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useMemo, useRef, useState, type FormEvent } from "react";
import { appErrorOf } from "../../../_components/app-error";
import { formatCount } from "../../../_components/format";
import { useHydrated } from "../../../_components/use-hydrated";
import { useTRPC } from "../../../_trpc/client";
import { FormAlert } from "../../_components/fields";
import { problemsOf, unplacedMessages, type FieldMessages } from "../../_components/form-errors";
import {
  checkEdit,
  editDraftOf,
  LIMIT_FIELDS,
  TIME_FIELDS,
  type EditDraft,
  type LimitField,
  type ShowtimeValues,
  type TierField,
  type TimeField,
} from "../../_components/showtime-draft";
import { LimitsFieldset, TiersFieldset, TimesFieldset } from "../../_components/showtime-fields";
import { describeZone, zonedInputToUtc } from "../../_components/zoned-time";
import type { TierSeats } from "./load-editable-showtime";
import adminStyles from "../../_components/admin.module.css";

type Props = {
  showtimeId: string;
  timeZone: string;
  values: ShowtimeValues;
  seatsByTier: Record<string, TierSeats>;
  readOnly: boolean;
};

const PLACED = [...TIME_FIELDS, ...LIMIT_FIELDS, "tiers"];

export function ShowtimeEditForm({ showtimeId, timeZone, values: initialValues, seatsByTier, readOnly }: Props) {
  const router = useRouter();
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const update = useMutation(trpc.admin.showtimes.update.mutationOptions());
  const [values, setValues] = useState(initialValues);
  const original = useMemo(() => editDraftOf(values, timeZone), [values, timeZone]);
  const [draft, setDraft] = useState<EditDraft>(original);
  const [submitted, setSubmitted] = useState(false);
  const [server, setServer] = useState<{ fields: FieldMessages; form?: string }>({ fields: {} });
  const [notice, setNotice] = useState<string>();
  const alertRef = useRef<HTMLDivElement>(null);

  const check = useMemo(() => checkEdit(draft, original, values, timeZone), [draft, original, values, timeZone]);
  const startsAt = zonedInputToUtc(draft.times.startsAt, timeZone);
  const zoneLabel = describeZone(timeZone, startsAt.ok ? startsAt.date : new Date());
  const currency = values.tiers[0]?.currency ?? "KRW";

  const fieldError = (f: string) => server.fields[f] || (submitted ? check.problems.fields[f] : undefined);
  const clear = (key: string) => {
    setNotice(undefined);
    if (server.fields[key]) setServer((s) => ({ ...s, fields: { ...s.fields, [key]: "" } }));
  };

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setSubmitted(true);
    setNotice(undefined);
    setServer({ fields: {} });
    if (!check.patch) {
      requestAnimationFrame(() => document.querySelector<HTMLElement>("#showtime-edit [aria-invalid='true']")?.focus());
      return;
    }
    if (check.changed === 0) {
      setNotice("Nothing to save: no field changed.");
      return;
    }
    try {
      const after = await update.mutateAsync({ showtimeId, patch: check.patch });
      const next: ShowtimeValues = {
        times: Object.fromEntries(TIME_FIELDS.map((f) => [f, after[f]])) as Record<TimeField, Date | null>,
        limits: Object.fromEntries(LIMIT_FIELDS.map((f) => [f, after[f]])) as Record<LimitField, number>,
        tiers: after.priceTiers,
      };
      setValues(next);
      setDraft(editDraftOf(next, timeZone));
      setSubmitted(false);
      setNotice("Changes saved.");
      router.refresh();
    } catch (error) {
      const problems = problemsOf(appErrorOf(error));
      setServer(problems);
      const bad = PLACED.find((f) => problems.fields[f]);
      const tierKey = Object.keys(problems.fields).find((k) => k.startsWith("tier:"));
      const target = bad
        ? document.getElementById(`st-${bad}`)
        : tierKey
          ? document.getElementById(`tier-${tierKey.slice(5)}-price`)
          : null;
      requestAnimationFrame(() => (target ?? alertRef.current)?.focus());
    }
  }

  const tierNotes = Object.fromEntries(
    draft.tiers.map((t) => {
      const refusal = t.id ? server.fields[`tier:${t.id}`] : undefined;
      const seats = t.id ? seatsByTier[t.id] : undefined;
      if (refusal) return [t.key, { text: refusal, error: true }];
      if (!seats) return [t.key, undefined];
      const counts = `${formatCount(seats.sold)} sold · ${formatCount(seats.held)} held · ${formatCount(seats.available)} available.`;
      return [t.key, { text: seats.sold + seats.held > 0 ? `${counts} Its price and fee can no longer change.` : counts }];
    }),
  );
  const extra = unplacedMessages(Object.fromEntries(Object.entries(server.fields).filter(([k, m]) => m && !k.startsWith("tier:"))), PLACED);
  const tierRefused = Object.keys(server.fields).some((k) => k.startsWith("tier:") && server.fields[k]);

  return (
    <form id="showtime-edit" className={adminStyles.adminFormStack} onSubmit={onSubmit} noValidate aria-busy={update.isPending}>
      <FormAlert
        alertRef={alertRef}
        message={
          tierRefused
            ? "Nothing was saved: a price tier can no longer change price."
            : (server.form ?? (submitted && !check.patch ? "Some fields need attention; they are marked below." : undefined))
        }
        extra={extra}
      />
      {notice ? (
        <p className={`alert ${adminStyles.adminAlertSuccess}`} role="status">
          {notice}
        </p>
      ) : null}
      <fieldset disabled={readOnly} className={`${adminStyles.adminPlainFieldset} ${adminStyles.adminFormStack}`}>
        <TimesFieldset
          times={draft.times}
          timeZone={timeZone}
          zoneLabel={zoneLabel}
          notes={check.notes}
          errors={Object.fromEntries(TIME_FIELDS.map((f) => [f, fieldError(f)]))}
          onChange={(f, value) => {
            setDraft((d) => ({ ...d, times: { ...d.times, [f]: value } }));
            clear(f);
          }}
        />
        <LimitsFieldset
          limits={draft.limits}
          errors={Object.fromEntries(LIMIT_FIELDS.map((f) => [f, fieldError(f)]))}
          onChange={(f, value) => {
            setDraft((d) => ({ ...d, limits: { ...d.limits, [f]: value } }));
            clear(f);
          }}
        />
        <TiersFieldset
          tiers={draft.tiers}
          currency={currency}
          errors={submitted ? check.problems.tiers : {}}
          groupError={fieldError("tiers")}
          notes={tierNotes}
          onChange={(key: string, f: TierField, value: string) => {
            setDraft((d) => ({ ...d, tiers: d.tiers.map((t) => (t.key === key ? { ...t, [f]: value } : t)) }));
            clear(`tier:${key}`);
            clear("tiers");
          }}
        />
      </fieldset>
      {readOnly ? null : (
        <div className={adminStyles.adminFormActions}>
          <button type="submit" className="button" disabled={!hydrated || update.isPending}>
            {update.isPending ? "Saving…" : "Save changes"}
          </button>
          <p className="hint">
            {check.changed > 0 ? `${check.changed} ${check.changed === 1 ? "change" : "changes"} to save.` : "No changes yet."}
          </p>
        </div>
      )}
    </form>
  );
}
