"use client";
// Create or edit a concert's details. The server's messages (by field) show next to the fields; an edit
// sends only what changed. A poster file is uploaded on its own as soon as it is chosen (the server checks
// it and answers its address), and saved with the concert like a typed address.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import Image from "next/image";
import { useRef, useState, type ChangeEvent, type FormEvent } from "react";
import type { TConcertInput } from "@/server/domain/admin/catalog";
import { POSTER_MAX_BYTES, POSTER_TOO_LARGE } from "@/server/domain/posters/poster-rules";
import { appErrorOf } from "../../_components/app-error";
import { bindFields, Field } from "../../_components/field";
import { posterSrc } from "../../_components/format";
import { useHydrated } from "../../_components/use-hydrated";
import { useTRPC } from "../../_trpc/client";
import { FormAlert, TextAreaField } from "./fields";
import { problemsOf, unplacedMessages, type FieldMessages } from "./form-errors";
import { slugify } from "./slugify";
import styles from "./admin.module.css";

type Values = { title: string; artist: string; slug: string; category: string; imageUrl: string; description: string };
const FIELDS = ["title", "artist", "slug", "category", "imageUrl", "description"] as const;

export const DEFAULT_IMAGE = "/images/concerts/default.svg";

type Props =
  | { mode: "create"; categories: string[] }
  | { mode: "edit"; categories: string[]; concertId: string; initial: Values; readOnly?: boolean };

/** Quick checks before asking the server, which has the final word (and the same wording). */
function clientProblems(v: Values): FieldMessages {
  const p: FieldMessages = {};
  if (!v.title.trim()) p.title = "Give the concert a title.";
  if (!v.artist.trim()) p.artist = "Name the artist.";
  if (!v.category.trim()) p.category = "Pick a category.";
  const slug = v.slug.trim();
  if (slug.length < 3 || slug.length > 80) p.slug = "The address needs 3 to 80 characters.";
  else if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug)) p.slug = "Use lower-case letters, digits and single dashes.";
  return p;
}

export function ConcertForm(props: Props) {
  const router = useRouter();
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const create = useMutation(trpc.admin.concerts.create.mutationOptions());
  const update = useMutation(trpc.admin.concerts.update.mutationOptions());
  const upload = useMutation(trpc.admin.concerts.uploadPoster.mutationOptions());
  const [poster, setPoster] = useState<{ error?: string; note?: string }>({});
  const initial: Values =
    props.mode === "edit" ? props.initial : { title: "", artist: "", slug: "", category: "", imageUrl: DEFAULT_IMAGE, description: "" };
  const [values, setValues] = useState<Values>(initial);
  const [saved, setSaved] = useState<Values>(initial);
  const [slugEdited, setSlugEdited] = useState(props.mode === "edit");
  const [problems, setProblems] = useState<{ fields: FieldMessages; form?: string }>({ fields: {} });
  const [notice, setNotice] = useState<string>();
  const alertRef = useRef<HTMLDivElement>(null);
  const readOnly = props.mode === "edit" && props.readOnly;
  const pending = create.isPending || update.isPending || upload.isPending;
  const changed = FIELDS.filter((f) => values[f] !== saved[f]);

  function set(f: keyof Values, value: string) {
    setNotice(undefined);
    setValues((v) => ({ ...v, [f]: value, ...(f === "title" && !slugEdited ? { slug: slugify(value) } : {}) }));
    if (problems.fields[f]) setProblems((p) => ({ ...p, fields: { ...p.fields, [f]: "" } }));
  }

  async function onPosterChosen(e: ChangeEvent<HTMLInputElement>) {
    const input = e.currentTarget;
    const file = input.files?.[0];
    input.value = ""; // the same file may be chosen again after a fix
    if (!file) return;
    if (file.size > POSTER_MAX_BYTES) {
      setPoster({ error: POSTER_TOO_LARGE });
      return;
    }
    setPoster({});
    try {
      const stored = await upload.mutateAsync(file);
      set("imageUrl", stored.path);
      setPoster({
        note: `${stored.reused ? "Uploaded before: the same poster is used." : "Poster uploaded."} ${props.mode === "create" ? "It is saved with the concert." : "Save the changes to use it."}`,
      });
    } catch (error) {
      const appError = appErrorOf(error);
      setPoster({ error: problemsOf(appError).fields.poster ?? appError.message });
    }
  }

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setNotice(undefined);
    const found = clientProblems(values);
    if (Object.keys(found).length > 0) {
      setProblems({ fields: found, form: "Some fields need attention." });
      requestAnimationFrame(() => document.getElementById(`concert-${FIELDS.find((f) => found[f])}`)?.focus());
      return;
    }
    setProblems({ fields: {} });
    try {
      if (props.mode === "create") {
        const input: TConcertInput = { ...values, imageUrl: values.imageUrl.trim() || DEFAULT_IMAGE };
        const concert = await create.mutateAsync(input);
        router.push(`/admin/concerts/${concert.id}?created=1`);
        router.refresh();
        return;
      }
      if (changed.length === 0) {
        setNotice("Nothing to save: no field changed.");
        return;
      }
      const patch = Object.fromEntries(changed.map((f) => [f, values[f]])) as Partial<TConcertInput>;
      const after = await update.mutateAsync({ concertId: props.concertId, patch });
      const next = {
        title: after.title,
        artist: after.artist,
        slug: after.slug,
        category: after.category,
        imageUrl: after.imageUrl,
        description: after.description,
      };
      setValues(next);
      setSaved(next);
      setNotice("Changes saved.");
      router.refresh();
    } catch (error) {
      const p = problemsOf(appErrorOf(error));
      setProblems(p);
      const bad = FIELDS.find((f) => p.fields[f]);
      requestAnimationFrame(() => (bad ? document.getElementById(`concert-${bad}`)?.focus() : alertRef.current?.focus()));
    }
  }

  const field = bindFields("concert", values, set, (f) => problems.fields[f] || undefined);
  const extra = unplacedMessages(Object.fromEntries(Object.entries(problems.fields).filter(([, m]) => m)), FIELDS);

  return (
    <form className={`card ${styles.adminPanel} ${styles.adminForm}`} onSubmit={onSubmit} noValidate aria-busy={pending}>
      <FormAlert alertRef={alertRef} message={problems.form} extra={extra} />
      {notice ? (
        <p className={`alert ${styles.adminAlertSuccess}`} role="status">
          {notice}
        </p>
      ) : null}
      <fieldset disabled={readOnly} className={styles.adminPlainFieldset}>
        <div className={`${styles.adminGrid} ${styles.adminGrid2}`}>
          <Field label="Title" {...field("title")} maxLength={160} required />
          <Field label="Artist" {...field("artist")} maxLength={120} required />
          <Field
            label="Address (slug)"
            {...field("slug")}
            onChange={(e) => {
              setSlugEdited(true);
              set("slug", e.target.value);
            }}
            hint={`Fans find it at /concerts/${values.slug || "…"}`}
            spellCheck={false}
            autoCapitalize="none"
            required
          />
          <Field label="Category" {...field("category")} list="concert-categories" maxLength={40} required />
          <datalist id="concert-categories">
            {props.categories.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
        </div>
        <div className={styles.adminPoster}>
          <Image
            className={styles.adminPosterPreview}
            src={posterSrc(values.imageUrl)}
            alt="Poster preview"
            width={120}
            height={160}
            unoptimized
          />
          <div>
            <div className="field">
              <label htmlFor="concert-poster">Upload a poster</label>
              <input
                id="concert-poster"
                className="input"
                type="file"
                accept="image/jpeg,image/png,image/webp"
                onChange={(e) => void onPosterChosen(e)}
                aria-invalid={poster.error ? true : undefined}
                aria-describedby={poster.error ? "concert-poster-error concert-poster-hint" : "concert-poster-hint"}
              />
              {poster.error ? (
                <p id="concert-poster-error" className="field-error">
                  {poster.error}
                </p>
              ) : null}
              <p id="concert-poster-hint" className="hint">
                JPEG, PNG or WebP, up to 5 MB.
              </p>
              <p className="hint" role="status">
                {upload.isPending ? "Uploading the poster…" : poster.note}
              </p>
            </div>
            <Field
              label="Poster image address"
              {...field("imageUrl")}
              hint={`Filled in by an upload, or a path on this site, e.g. ${DEFAULT_IMAGE}.`}
              spellCheck={false}
              autoCapitalize="none"
            />
          </div>
        </div>
        <TextAreaField label="Description" {...field("description")} rows={5} maxLength={5000} />
      </fieldset>
      {readOnly ? null : (
        <div className={styles.adminFormActions}>
          <button type="submit" className="button" disabled={!hydrated || pending}>
            {props.mode === "create" ? (create.isPending ? "Creating…" : "Create concert") : update.isPending ? "Saving…" : "Save changes"}
          </button>
          {props.mode === "create" ? <p className="hint">It starts as a draft; publish it when it’s ready for fans.</p> : null}
        </div>
      )}
    </form>
  );
}
