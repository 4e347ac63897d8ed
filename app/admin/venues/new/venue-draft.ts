// The venue form's state as typed (strings), and its checked form: the input of `admin.venues.create`.
// Sections are checked with the server's own ZSectionSpec, so the preview draws exactly what will be built.
import { ZSectionSpec } from "@/server/domain/venues/layout";
import type { TCreateVenueInput } from "@/server/domain/venues/venues";
import { isValidTimeZone } from "../../_components/zoned-time";

export type SectionSpec = ReturnType<typeof ZSectionSpec.parse>;

export const SECTION_NUMBERS = ["rows", "seatsPerRow", "x", "y", "rotation", "curve", "seatSpacing", "rowSpacing", "aisleEvery"] as const;
type SectionNumber = (typeof SECTION_NUMBERS)[number];

export type SectionDraft = { key: string; name: string; rowLabels: "letters" | "numbers" } & Record<SectionNumber, string>;
export type SectionField = Exclude<keyof SectionDraft, "key">;

export const VENUE_FIELDS = [
  "name",
  "slug",
  "city",
  "country",
  "address",
  "timezone",
  "width",
  "height",
  "stageX",
  "stageY",
  "stageW",
  "stageH",
] as const;
export type VenueField = (typeof VENUE_FIELDS)[number];
export type VenueDraft = Record<VenueField, string> & { sections: SectionDraft[] };

/** What each limit of ZSectionSpec means, said once for the form. */
const SECTION_RULES: Record<SectionField, string> = {
  name: "Name the section (up to 40 characters).",
  rows: "Use 1 to 100 rows.",
  seatsPerRow: "Use 1 to 200 seats per row.",
  x: "Enter a position.",
  y: "Enter a position.",
  rotation: "Enter an angle in degrees.",
  curve: "Use 0 (straight) to 200.",
  seatSpacing: "Use a spacing above 0.",
  rowSpacing: "Use a spacing above 0.",
  aisleEvery: "Use 0 (no aisles) or a whole number of seats.",
  rowLabels: "Pick letters or numbers.",
};

let nextKey = 0;
export const newKey = () => `s${++nextKey}`;

export function defaultSection(overrides: Partial<SectionDraft> = {}): SectionDraft {
  return {
    key: newKey(),
    name: "Orchestra",
    rows: "20",
    seatsPerRow: "30",
    x: "400",
    y: "150",
    rotation: "0",
    curve: "0",
    seatSpacing: "10",
    rowSpacing: "12",
    aisleEvery: "0",
    rowLabels: "letters",
    ...overrides,
  };
}

export function defaultVenue(): VenueDraft {
  return {
    name: "",
    slug: "",
    city: "",
    country: "",
    address: "",
    timezone: "",
    width: "800",
    height: "600",
    stageX: "250",
    stageY: "30",
    stageW: "300",
    stageH: "60",
    sections: [defaultSection()],
  };
}

/** "Balcony" → "Balcony 2" (or 3, …): a name no other section has. */
export function uniqueSectionName(base: string, taken: readonly string[]): string {
  const used = new Set(taken.map((n) => n.trim().toLowerCase()));
  const stem = base.trim().replace(/\s+\d+$/, "") || "Section";
  if (!used.has(stem.toLowerCase())) return stem;
  for (let i = 2; ; i++) if (!used.has(`${stem} ${i}`.toLowerCase())) return `${stem} ${i}`;
}

function num(text: string): number | undefined {
  const t = text.trim();
  if (t === "") return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** The depth of a section in venue units, front row to back. */
function depthOf(d: SectionDraft): number {
  return Math.max(0, (num(d.rows) ?? 1) - 1) * (num(d.rowSpacing) ?? 12);
}

/** A new section placed below the last one, so it does not land on top of it. */
export function sectionAfter(sections: readonly SectionDraft[]): SectionDraft {
  const last = sections.at(-1);
  const names = sections.map((s) => s.name);
  if (!last) return defaultSection();
  return defaultSection({
    name: uniqueSectionName("Section", names),
    x: last.x,
    y: String(Math.round((num(last.y) ?? 0) + depthOf(last) + 40)),
  });
}

/** A copy of `source` with its own name, beside it to the right. */
export function duplicateOf(source: SectionDraft, sections: readonly SectionDraft[]): SectionDraft {
  const seats = num(source.seatsPerRow) ?? 1;
  const width = Math.max(0, seats - 1) * (num(source.seatSpacing) ?? 10);
  return {
    ...source,
    key: newKey(),
    name: uniqueSectionName(
      source.name,
      sections.map((s) => s.name),
    ),
    x: String(Math.round((num(source.x) ?? 0) + width + 40)),
  };
}

export type SectionCheck = { spec?: SectionSpec; errors: Partial<Record<SectionField, string>> };

/** A section as typed → the server's spec, or the message for each field that would be refused. */
export function checkSection(d: SectionDraft): SectionCheck {
  const errors: Partial<Record<SectionField, string>> = {};
  const values: Record<string, unknown> = { name: d.name, rowLabels: d.rowLabels };
  for (const f of SECTION_NUMBERS) {
    const n = num(d[f]);
    if (n === undefined) errors[f] = d[f].trim() === "" ? "Required." : "Enter a number.";
    else values[f] = n;
  }
  const parsed = ZSectionSpec.safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as SectionField | undefined;
      if (field && !errors[field]) errors[field] = SECTION_RULES[field] ?? issue.message;
    }
  }
  return Object.keys(errors).length > 0 || !parsed.success ? { errors } : { spec: parsed.data, errors };
}

export type VenueCheck = {
  input?: TCreateVenueInput;
  errors: Partial<Record<VenueField | "sections", string>>;
  sectionErrors: Record<string, Partial<Record<SectionField, string>>>;
};

function positiveInt(text: string, what: string): [number | undefined, string | undefined] {
  const n = num(text);
  if (n === undefined || !Number.isInteger(n) || n <= 0) return [undefined, `${what} must be a whole number above 0.`];
  return [n, undefined];
}

function anyInt(text: string, what: string): [number | undefined, string | undefined] {
  const n = num(text);
  if (n === undefined || !Number.isInteger(n)) return [undefined, `${what} must be a whole number.`];
  return [n, undefined];
}

/** The whole form → the create input, with the same limits the server applies and clearer messages. */
export function checkVenue(draft: VenueDraft): VenueCheck {
  const errors: VenueCheck["errors"] = {};
  const text = (f: VenueField, max: number, message: string) => {
    const v = draft[f].trim();
    if (v.length < 1 || v.length > max) errors[f] = message;
    return v;
  };
  const name = text("name", 120, "Name the venue (up to 120 characters).");
  const city = text("city", 80, "Name the city (up to 80 characters).");
  const address = text("address", 200, "Give the street address (up to 200 characters).");
  const slug = draft.slug.trim();
  if (!/^[a-z0-9-]+$/.test(slug)) errors.slug = "Use lower-case letters, digits and dashes, e.g. rolling-hall.";
  const country = draft.country.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(country)) errors.country = "Use the two-letter country code, e.g. KR or US.";
  const timezone = draft.timezone.trim();
  if (!isValidTimeZone(timezone) || !timezone.includes("/")) errors.timezone = "Pick a time zone like Asia/Seoul or America/New_York.";

  const [width, widthError] = positiveInt(draft.width, "The width");
  const [height, heightError] = positiveInt(draft.height, "The height");
  const [stageX, sxError] = anyInt(draft.stageX, "The stage's x");
  const [stageY, syError] = anyInt(draft.stageY, "The stage's y");
  const [stageW, swError] = positiveInt(draft.stageW, "The stage's width");
  const [stageH, shError] = positiveInt(draft.stageH, "The stage's height");
  for (const [f, e] of [
    ["width", widthError],
    ["height", heightError],
    ["stageX", sxError],
    ["stageY", syError],
    ["stageW", swError],
    ["stageH", shError],
  ] as const) {
    if (e) errors[f] = e;
  }

  const sectionErrors: VenueCheck["sectionErrors"] = {};
  const specs: SectionSpec[] = [];
  const seen = new Map<string, string>();
  for (const d of draft.sections) {
    const { spec, errors: e } = checkSection(d);
    const lower = d.name.trim().toLowerCase();
    if (lower && seen.has(lower)) e.name = "Another section already has this name.";
    seen.set(lower, d.key);
    if (Object.keys(e).length > 0) sectionErrors[d.key] = e;
    else if (spec) specs.push(spec);
  }
  if (draft.sections.length === 0) errors.sections = "Add at least one section.";
  if (draft.sections.length > 200) errors.sections = "A venue can have at most 200 sections.";

  const ok = Object.keys(errors).length === 0 && Object.keys(sectionErrors).length === 0;
  if (!ok) return { errors, sectionErrors };
  return {
    errors,
    sectionErrors,
    input: {
      slug,
      name,
      city,
      country,
      address,
      timezone,
      width: width!,
      height: height!,
      stage: { x: stageX!, y: stageY!, w: stageW!, h: stageH! },
      sections: specs,
    },
  };
}
