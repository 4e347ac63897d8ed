"use client";
// A new showtime: venue, times in the venue's zone, limits, price tiers and which section sells at which,
// the waiting room, and whether fans see it now. One request creates it with every seat.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useMemo, useRef, useState, type FormEvent } from "react";
import type { Currency } from "@/server/generated/prisma/enums";
import { appErrorOf } from "../../../_components/app-error";
import { formatCount } from "../../../_components/format";
import { useHydrated } from "../../../_components/use-hydrated";
import { useTRPC } from "../../../_trpc/client";
import { FormAlert, SelectField } from "../../_components/fields";
import { problemsOf, unplacedMessages, type FieldMessages } from "../../_components/form-errors";
import {
  assignSections,
  checkCreate,
  currencyOf,
  defaultShowtimeDraft,
  newTier,
  type ShowtimeDraft,
  type TierField,
} from "../../_components/showtime-draft";
import { LimitsFieldset, sectionLabel, TiersFieldset, TimesFieldset, WaitingRoomFields } from "../../_components/showtime-fields";
import { describeZone, zonedInputToUtc } from "../../_components/zoned-time";
import adminStyles from "../../_components/admin.module.css";
import styles from "./new-showtime.module.css";

export type VenueOption = {
  id: string;
  name: string;
  city: string;
  country: string;
  timezone: string;
  seatCount: number;
  sections: { id: string; name: string; seats: number }[];
};

const PLACED = [
  "venueId",
  "startsAt",
  "doorsAt",
  "presaleStartsAt",
  "presaleEndsAt",
  "generalSaleStartsAt",
  "saleEndsAt",
  "holdSeconds",
  "holdExtendSeconds",
  "perUserLimit",
  "refundCutoffHours",
  "tiers",
  "tierBySection",
  "waitingRoom",
] as const;

export function ShowtimeCreateForm({ concertId, venues }: { concertId: string; venues: VenueOption[] }) {
  const router = useRouter();
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const create = useMutation(trpc.admin.showtimes.create.mutationOptions());
  const [draft, setDraft] = useState<ShowtimeDraft>(() => {
    const first = venues.length === 1 ? venues[0] : undefined;
    const d = defaultShowtimeDraft(first?.timezone ?? "UTC", { venueId: first?.id, currency: currencyOf(first?.country) });
    return { ...d, tierBySection: assignSections(first?.sections.map((s) => s.name) ?? [], d.tiers, {}) };
  });
  const [currencyPicked, setCurrencyPicked] = useState(false);
  const [timesTouched, setTimesTouched] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const [server, setServer] = useState<{ fields: FieldMessages; form?: string }>({ fields: {} });
  const alertRef = useRef<HTMLDivElement>(null);

  const venue = useMemo(() => venues.find((v) => v.id === draft.venueId), [venues, draft.venueId]);
  const timeZone = venue?.timezone ?? "UTC";
  const check = useMemo(() => checkCreate(draft, concertId, venue), [draft, concertId, venue]);
  const startsAt = zonedInputToUtc(draft.times.startsAt, timeZone);
  const zoneLabel = venue ? describeZone(timeZone, startsAt.ok ? startsAt.date : new Date()) : "pick a venue first (UTC until then)";

  // Server messages win (they are the rule); the form's own show after the first submit.
  const fieldError = (f: string) => server.fields[f] || (submitted ? check.problems.fields[f] : undefined);
  const tierErrors = submitted ? check.problems.tiers : {};
  const clearServer = (f: string) => server.fields[f] && setServer((s) => ({ ...s, fields: { ...s.fields, [f]: "" } }));

  function update(change: (d: ShowtimeDraft) => ShowtimeDraft) {
    setDraft((d) => {
      const next = change(d);
      const sections = venues.find((v) => v.id === next.venueId)?.sections.map((s) => s.name) ?? [];
      return { ...next, tierBySection: assignSections(sections, next.tiers, next.tierBySection) };
    });
  }

  const setTier = (key: string, f: TierField, value: string) => {
    update((d) => ({ ...d, tiers: d.tiers.map((t) => (t.key === key ? { ...t, [f]: value } : t)) }));
    clearServer("tiers");
  };

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setSubmitted(true);
    setServer({ fields: {} });
    if (!check.input) {
      requestAnimationFrame(() => document.querySelector<HTMLElement>("#showtime-form [aria-invalid='true']")?.focus());
      return;
    }
    try {
      const created = await create.mutateAsync(check.input);
      router.push(`/admin/showtimes/${created.id}?created=${created.seatCount}`);
      router.refresh();
    } catch (error) {
      const problems = problemsOf(appErrorOf(error));
      setServer(problems);
      const bad = document.querySelector<HTMLElement>(`#showtime-form [name="${PLACED.find((f) => problems.fields[f]) ?? "-"}"]`);
      requestAnimationFrame(() => (bad ?? alertRef.current)?.focus());
    }
  }

  const extra = unplacedMessages(Object.fromEntries(Object.entries(server.fields).filter(([, m]) => m)), PLACED);
  const unassignedNote = fieldError("tierBySection");

  return (
    <form id="showtime-form" className={adminStyles.adminFormStack} onSubmit={onSubmit} noValidate aria-busy={create.isPending}>
      <FormAlert
        alertRef={alertRef}
        message={server.form ?? (submitted && !check.input ? "Some fields need attention; they are marked below." : undefined)}
        extra={extra}
      />

      <fieldset className={`card ${adminStyles.adminPanel} ${adminStyles.adminFieldset}`}>
        <legend>Where</legend>
        <SelectField
          id="st-venue"
          name="venueId"
          label="Venue"
          value={draft.venueId}
          onChange={(e) => {
            const id = e.target.value;
            // Until the admin picks a currency, it follows the venue's country.
            const picked = venues.find((v) => v.id === id);
            const local = currencyPicked ? undefined : currencyOf(picked?.country);
            // Untouched default times are restated for the new zone (a sale opening "now" stays now);
            // times the admin typed keep their wall clock, read in the new zone.
            const times = timesTouched || !picked ? undefined : defaultShowtimeDraft(picked.timezone).times;
            update((d) => ({ ...d, venueId: id, currency: local ?? d.currency, times: times ?? d.times }));
            clearServer("venueId");
          }}
          error={fieldError("venueId")}
          hint={
            venue
              ? `${formatCount(venue.seatCount)} seats in ${venue.sections.length} sections · ${venue.timezone}`
              : "The seat layout and time zone come from the venue."
          }
        >
          <option value="">Choose a venue…</option>
          {venues.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name} · {v.city} ({formatCount(v.seatCount)} seats, {v.timezone})
            </option>
          ))}
        </SelectField>
      </fieldset>

      <TimesFieldset
        times={draft.times}
        timeZone={timeZone}
        zoneLabel={zoneLabel}
        notes={check.notes}
        errors={Object.fromEntries(Object.keys(draft.times).map((f) => [f, fieldError(f)]))}
        onChange={(f, value) => {
          setTimesTouched(true);
          update((d) => ({ ...d, times: { ...d.times, [f]: value } }));
          clearServer(f);
        }}
        intro={
          timesTouched ? (
            <p className={`hint ${adminStyles.adminFieldsetHint}`}>
              Changing the venue keeps these wall-clock times and reads them in the new venue’s zone.
            </p>
          ) : null
        }
      />

      <LimitsFieldset
        limits={draft.limits}
        errors={Object.fromEntries(Object.keys(draft.limits).map((f) => [f, fieldError(f)]))}
        onChange={(f, value) => {
          update((d) => ({ ...d, limits: { ...d.limits, [f]: value } }));
          clearServer(f);
        }}
      />

      <TiersFieldset
        tiers={draft.tiers}
        currency={draft.currency}
        errors={tierErrors}
        groupError={fieldError("tiers")}
        onChange={setTier}
        onCurrencyChange={(c: Currency) => {
          setCurrencyPicked(true);
          update((d) => ({ ...d, currency: c }));
        }}
        onAdd={() => update((d) => ({ ...d, tiers: [...d.tiers, newTier(d.tiers.length)] }))}
        onRemove={(key) => update((d) => ({ ...d, tiers: d.tiers.filter((t) => t.key !== key) }))}
      />

      <fieldset
        className={`card ${adminStyles.adminPanel} ${adminStyles.adminFieldset}`}
        aria-describedby={unassignedNote ? "sections-error" : undefined}
      >
        <legend>Sections and tiers</legend>
        {!venue ? (
          <p className="muted">Pick a venue to assign its sections to price tiers.</p>
        ) : (
          <>
            <p className={`hint ${adminStyles.adminFieldsetHint}`}>
              Every seat of a section sells at the section’s tier. You can move a section to another tier later, until its seats sell.
            </p>
            {unassignedNote ? (
              <p id="sections-error" className="field-error" role="alert">
                {unassignedNote}
              </p>
            ) : null}
            <SetAllTiers
              tiers={draft.tiers}
              onPick={(key) =>
                update((d) => ({ ...d, tierBySection: Object.fromEntries(Object.keys(d.tierBySection).map((s) => [s, key])) }))
              }
            />
            <ul className={adminStyles.adminSectionTiers}>
              {venue.sections.map((s) => (
                <li key={s.id}>
                  <SelectField
                    id={`sec-tier-${s.id}`}
                    label={sectionLabel(s.name, s.seats)}
                    value={draft.tierBySection[s.name] ?? ""}
                    onChange={(e) => {
                      const key = e.target.value;
                      update((d) => ({ ...d, tierBySection: { ...d.tierBySection, [s.name]: key } }));
                      clearServer("tierBySection");
                    }}
                  >
                    {draft.tiers.map((t, i) => (
                      <option key={t.key} value={t.key}>
                        {t.name.trim() || `Tier ${i + 1}`}
                      </option>
                    ))}
                  </SelectField>
                </li>
              ))}
            </ul>
          </>
        )}
      </fieldset>

      <fieldset className={`card ${adminStyles.adminPanel} ${adminStyles.adminFieldset}`}>
        <legend>Waiting room</legend>
        <WaitingRoomFields
          wr={draft.waitingRoom}
          errors={submitted ? check.problems.waitingRoom : {}}
          serverError={server.fields.waitingRoom || undefined}
          onChange={(f, value) => update((d) => ({ ...d, waitingRoom: { ...d.waitingRoom, [f]: value } }))}
        />
      </fieldset>

      <fieldset className={`card ${adminStyles.adminPanel} ${adminStyles.adminFieldset}`}>
        <legend>Publishing</legend>
        <label className={adminStyles.adminCheck}>
          <input type="radio" name="publish" checked={draft.publish} onChange={() => update((d) => ({ ...d, publish: true }))} />
          <span>
            <strong>Publish now</strong>
            <span className="hint">Fans see it once the concert is published; sales follow the windows above.</span>
          </span>
        </label>
        <label className={adminStyles.adminCheck}>
          <input type="radio" name="publish" checked={!draft.publish} onChange={() => update((d) => ({ ...d, publish: false }))} />
          <span>
            <strong>Keep as a draft</strong>
            <span className="hint">Hidden from fans until you publish it from its page.</span>
          </span>
        </label>
      </fieldset>

      <div className={adminStyles.adminFormActions}>
        <button type="submit" className="button" disabled={!hydrated || create.isPending}>
          {create.isPending
            ? `Creating ${venue ? formatCount(venue.seatCount) : ""} seats…`
            : draft.publish
              ? "Create and publish showtime"
              : "Create draft showtime"}
        </button>
        <p className="hint">The showtime, its price tiers and one seat per venue seat are created in one step.</p>
      </div>
    </form>
  );
}

function SetAllTiers({ tiers, onPick }: { tiers: ShowtimeDraft["tiers"]; onPick: (key: string) => void }) {
  if (tiers.length < 2) return null;
  return (
    <div className={`${adminStyles.adminInlineActions} ${styles.adminSetAll}`}>
      <span className="hint">Set every section to:</span>
      {tiers.map((t, i) => (
        <button key={t.key} type="button" className="button button-secondary button-small" onClick={() => onPick(t.key)}>
          {t.name.trim() || `Tier ${i + 1}`}
        </button>
      ))}
    </div>
  );
}
