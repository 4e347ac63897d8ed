"use client";
// The new-venue form: details, the drawing area and stage, and any number of sections, with a live
// preview of the whole layout. Created in one request (admin.venues.create), seats and all.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useMemo, useRef, useState, type FormEvent } from "react";
import { appErrorOf } from "../../../_components/app-error";
import { bindFields, Field } from "../../../_components/field";
import { formatCount } from "../../../_components/format";
import { useHydrated } from "../../../_components/use-hydrated";
import { useTRPC } from "../../../_trpc/client";
import { FormAlert, SelectField } from "../../_components/fields";
import { problemsOf, unplacedMessages, type FieldMessages } from "../../_components/form-errors";
import { slugify } from "../../_components/slugify";
import { LayoutPreviewCanvas } from "./layout-preview-canvas";
import type { VenueFrame } from "./layout-preview";
import {
  checkSection,
  checkVenue,
  defaultVenue,
  duplicateOf,
  sectionAfter,
  type SectionDraft,
  type SectionField,
  type SectionSpec,
  type VenueDraft,
  type VenueField,
} from "./venue-draft";
import styles from "./venue-form.module.css";
import adminStyles from "../../_components/admin.module.css";

const SHOWN_FIELDS = ["name", "slug", "city", "country", "address", "timezone", "width", "height", "stage", "sections"] as const;
const FIELD_LABELS: Record<string, string> = { stage: "Stage", sections: "Sections" };
const STAGE_FIELDS = [
  ["stageX", "stage-x", "Left (x)"],
  ["stageY", "stage-y", "Top (y)"],
  ["stageW", "stage-w", "Width"],
  ["stageH", "stage-h", "Height"],
] as const;

function toNumber(text: string): number | undefined {
  const n = Number(text);
  return text.trim() !== "" && Number.isFinite(n) ? n : undefined;
}

/** "Asia/Seoul" → grouped under "Asia", in the list's order. */
function byRegion(zones: readonly string[]): [string, string[]][] {
  const groups = new Map<string, string[]>();
  for (const tz of zones) {
    const region = tz.slice(0, tz.indexOf("/"));
    groups.set(region, [...(groups.get(region) ?? []), tz]);
  }
  return [...groups];
}

export function VenueForm({ timeZones }: { timeZones: readonly string[] }) {
  const router = useRouter();
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const create = useMutation(trpc.admin.venues.create.mutationOptions());
  const [draft, setDraft] = useState<VenueDraft>(defaultVenue);
  const [slugEdited, setSlugEdited] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const [server, setServer] = useState<{ fields: FieldMessages; form?: string }>({ fields: {} });
  const alertRef = useRef<HTMLDivElement>(null);

  // Live checks (shown after the first submit); the preview uses the sections that are valid already.
  const check = useMemo(() => checkVenue(draft), [draft]);
  const sectionChecks = useMemo(() => draft.sections.map((s) => ({ key: s.key, name: s.name, ...checkSection(s) })), [draft.sections]);
  const specs = useMemo(() => sectionChecks.flatMap((c) => (c.spec ? [c.spec] : [])) as SectionSpec[], [sectionChecks]);
  const skipped = useMemo(() => sectionChecks.flatMap((c, i) => (c.spec ? [] : [c.name.trim() || `section ${i + 1}`])), [sectionChecks]);
  const { width, height, stageX, stageY, stageW, stageH } = draft;
  const frame = useMemo<VenueFrame>(() => {
    const [x, y, w, h] = [stageX, stageY, stageW, stageH].map(toNumber);
    return {
      width: Math.max(1, toNumber(width) ?? 1),
      height: Math.max(1, toNumber(height) ?? 1),
      stage: x !== undefined && y !== undefined && w !== undefined && h !== undefined && w > 0 && h > 0 ? { x, y, w, h } : null,
    };
  }, [width, height, stageX, stageY, stageW, stageH]);
  const plannedSeats = specs.reduce((n, s) => n + s.rows * s.seatsPerRow, 0);

  const errorOf = (f: VenueField | "sections" | "stage"): string | undefined => {
    if (server.fields[f]) return server.fields[f];
    if (!submitted) return undefined;
    if (f === "stage") return check.errors.stageX ?? check.errors.stageY ?? check.errors.stageW ?? check.errors.stageH;
    return check.errors[f];
  };
  const field = bindFields("venue", draft, setField, errorOf);
  const sectionError = (key: string, f: SectionField) => (submitted ? check.sectionErrors[key]?.[f] : undefined);

  function setField(f: VenueField, value: string) {
    setDraft((d) => {
      const next = { ...d, [f]: value };
      if (f === "name" && !slugEdited) next.slug = slugify(value);
      return next;
    });
    if (server.fields[f] || (f === "name" && server.fields.slug)) setServer((s) => ({ ...s, fields: { ...s.fields, [f]: "" } }));
  }

  function setSection(key: string, f: SectionField, value: string) {
    setDraft((d) => ({ ...d, sections: d.sections.map((s) => (s.key === key ? { ...s, [f]: value } : s)) }));
  }

  const addSection = () => setDraft((d) => ({ ...d, sections: [...d.sections, sectionAfter(d.sections)] }));
  const duplicate = (key: string) =>
    setDraft((d) => {
      const i = d.sections.findIndex((s) => s.key === key);
      const copy = duplicateOf(d.sections[i]!, d.sections);
      return { ...d, sections: [...d.sections.slice(0, i + 1), copy, ...d.sections.slice(i + 1)] };
    });
  const remove = (key: string) => setDraft((d) => ({ ...d, sections: d.sections.filter((s) => s.key !== key) }));

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setSubmitted(true);
    setServer({ fields: {} });
    if (!check.input) {
      // Focus the first field with a problem, in the form's order.
      requestAnimationFrame(() => document.querySelector<HTMLElement>("#venue-form [aria-invalid='true']")?.focus());
      return;
    }
    try {
      const created = await create.mutateAsync(check.input);
      router.push(`/admin/venues?created=${encodeURIComponent(created.id)}`);
      router.refresh();
    } catch (error) {
      const problems = problemsOf(appErrorOf(error));
      setServer(problems);
      requestAnimationFrame(() => alertRef.current?.focus());
    }
  }

  const extra = unplacedMessages(server.fields, SHOWN_FIELDS, FIELD_LABELS).filter((m) => !m.endsWith(": "));
  const clientProblems = submitted && !check.input;

  return (
    <form id="venue-form" className={styles.adminVenueForm} onSubmit={onSubmit} noValidate aria-busy={create.isPending}>
      <div className={styles.adminVenueFields}>
        <FormAlert
          alertRef={alertRef}
          message={server.form ?? (clientProblems ? "Some fields need attention; they are marked below." : undefined)}
          extra={extra}
        />

        <fieldset className={`card ${adminStyles.adminPanel} ${adminStyles.adminFieldset}`}>
          <legend>Venue</legend>
          <div className={`${adminStyles.adminGrid} ${adminStyles.adminGrid2}`}>
            <Field label="Name" {...field("name")} maxLength={120} required />
            <Field
              label="Address (slug)"
              {...field("slug")}
              onChange={(e) => {
                setSlugEdited(true);
                setField("slug", e.target.value);
              }}
              hint="Lower-case letters, digits and dashes."
              spellCheck={false}
              autoCapitalize="none"
              required
            />
            <Field label="City" {...field("city")} maxLength={80} required />
            <Field
              label="Country code"
              {...field("country")}
              onChange={(e) => setField("country", e.target.value.toUpperCase())}
              hint="Two letters, e.g. KR or US."
              maxLength={2}
              autoCapitalize="characters"
              required
            />
          </div>
          <Field label="Street address" {...field("address")} maxLength={200} required />
          <SelectField label="Time zone" {...field("timezone")} hint="Showtimes at this venue are entered and shown in this zone." required>
            <option value="">Choose the venue’s time zone</option>
            {byRegion(timeZones).map(([region, zones]) => (
              <optgroup key={region} label={region}>
                {zones.map((tz) => (
                  <option key={tz} value={tz}>
                    {tz
                      .slice(region.length + 1)
                      .replaceAll("_", " ")
                      .replaceAll("/", " / ")}
                  </option>
                ))}
              </optgroup>
            ))}
          </SelectField>
        </fieldset>

        <fieldset className={`card ${adminStyles.adminPanel} ${adminStyles.adminFieldset}`}>
          <legend>Drawing area and stage</legend>
          <p className={`hint ${adminStyles.adminFieldsetHint}`}>
            In venue units; seat spacing is in the same units. Seats should fall inside the area.
          </p>
          <div className={`${adminStyles.adminGrid} ${adminStyles.adminGrid2}`}>
            <Field label="Width" {...field("width")} inputMode="numeric" required />
            <Field label="Height" {...field("height")} inputMode="numeric" required />
          </div>
          <div
            className={`${adminStyles.adminGrid} ${styles.adminGrid4}`}
            role="group"
            aria-labelledby="stage-label"
            aria-describedby={errorOf("stage") ? "stage-error" : undefined}
          >
            <p id="stage-label" className={styles.adminGroupLabel}>
              Stage rectangle
            </p>
            {STAGE_FIELDS.map(([f, id, label]) => (
              <Field
                key={f}
                id={id}
                label={label}
                inputMode="numeric"
                value={draft[f]}
                onChange={(e) => setField(f, e.target.value)}
                aria-invalid={submitted && check.errors[f] ? true : undefined}
              />
            ))}
          </div>
          {errorOf("stage") ? (
            <p id="stage-error" className="field-error">
              {errorOf("stage")}
            </p>
          ) : null}
        </fieldset>

        <section className={styles.adminSections} aria-labelledby="sections-title">
          <div className="section-head">
            <h2 id="sections-title">Sections</h2>
            <p>
              {draft.sections.length} {draft.sections.length === 1 ? "section" : "sections"} · {formatCount(plannedSeats)} seats
            </p>
          </div>
          {errorOf("sections") ? (
            <p className="field-error" role="alert">
              {errorOf("sections")}
            </p>
          ) : null}
          <ol className={styles.adminSectionList}>
            {draft.sections.map((s, i) => (
              <li key={s.key}>
                <SectionEditor
                  index={i}
                  section={s}
                  error={(f) => sectionError(s.key, f)}
                  onChange={(f, v) => setSection(s.key, f, v)}
                  onDuplicate={() => duplicate(s.key)}
                  onRemove={draft.sections.length > 1 ? () => remove(s.key) : undefined}
                />
              </li>
            ))}
          </ol>
          <button type="button" className="button button-secondary" onClick={addSection} disabled={draft.sections.length >= 200}>
            Add section
          </button>
        </section>

        <div className={adminStyles.adminFormActions}>
          <button type="submit" className="button" disabled={!hydrated || create.isPending}>
            {create.isPending ? `Creating ${formatCount(plannedSeats)} seats…` : "Create venue"}
          </button>
          <p className="hint">The venue, its sections and every seat are created in one step.</p>
        </div>
      </div>

      <div className={styles.adminVenuePreview}>
        <h2 className={styles.adminPreviewTitle}>Preview</h2>
        <LayoutPreviewCanvas frame={frame} specs={specs} skipped={skipped} />
      </div>
    </form>
  );
}

type EditorProps = {
  index: number;
  section: SectionDraft;
  error: (f: SectionField) => string | undefined;
  onChange: (f: SectionField, value: string) => void;
  onDuplicate: () => void;
  onRemove?: () => void;
};

const NUMBER_INPUTS: { f: SectionField; label: string; hint?: string }[] = [
  { f: "rows", label: "Rows" },
  { f: "seatsPerRow", label: "Seats per row" },
  { f: "x", label: "Centre x", hint: "Of the front row" },
  { f: "y", label: "Front row y" },
  { f: "rotation", label: "Rotation (°)", hint: "0 faces up" },
  { f: "curve", label: "Curve", hint: "0 = straight" },
  { f: "seatSpacing", label: "Seat spacing" },
  { f: "rowSpacing", label: "Row spacing" },
  { f: "aisleEvery", label: "Aisle every", hint: "Seats; 0 = none" },
];

function SectionEditor({ index, section: s, error, onChange, onDuplicate, onRemove }: EditorProps) {
  const id = (f: string) => `sec-${s.key}-${f}`;
  const title = s.name.trim() || `Section ${index + 1}`;
  return (
    <fieldset className={`card ${adminStyles.adminPanel} ${adminStyles.adminFieldset} ${styles.adminSectionEditor}`}>
      <legend>
        <span className="visually-hidden">Section {index + 1}: </span>
        {title}
      </legend>
      <div className={`${adminStyles.adminGrid} ${adminStyles.adminGrid2}`}>
        <Field
          id={id("name")}
          label="Section name"
          value={s.name}
          onChange={(e) => onChange("name", e.target.value)}
          error={error("name")}
          maxLength={40}
        />
        <SelectField
          id={id("rowLabels")}
          label="Row labels"
          value={s.rowLabels}
          onChange={(e) => onChange("rowLabels", e.target.value)}
          error={error("rowLabels")}
        >
          <option value="letters">Letters (A, B, … AA)</option>
          <option value="numbers">Numbers (1, 2, 3)</option>
        </SelectField>
      </div>
      <div className={`${adminStyles.adminGrid} ${styles.adminGridAuto}`}>
        {NUMBER_INPUTS.map(({ f, label, hint }) => (
          <Field
            key={f}
            id={id(f)}
            label={label}
            hint={hint}
            inputMode={f === "rows" || f === "seatsPerRow" || f === "aisleEvery" ? "numeric" : "decimal"}
            value={s[f]}
            onChange={(e) => onChange(f, e.target.value)}
            error={error(f)}
          />
        ))}
      </div>
      <div className={adminStyles.adminInlineActions}>
        <button type="button" className="button button-secondary button-small" onClick={onDuplicate}>
          Duplicate<span className="visually-hidden"> {title}</span>
        </button>
        {onRemove ? (
          <button type="button" className="button button-secondary button-small" onClick={onRemove}>
            Remove<span className="visually-hidden"> {title}</span>
          </button>
        ) : null}
      </div>
    </fieldset>
  );
}
