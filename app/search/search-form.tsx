"use client";
// The search form: validates with the same schema as the server, then puts the query in the URL.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { z } from "zod";
import { ZSearchConcertsInput } from "@/server/domain/catalog/schemas";
import { searchHref, type SearchFields } from "./params";

type FieldErrors = Partial<Record<keyof SearchFields, string>>;

export function SearchForm({
  initial,
  cities,
  pageSize,
  serverErrors,
}: {
  initial: SearchFields;
  cities: string[];
  pageSize: number | undefined;
  serverErrors: FieldErrors;
}) {
  const router = useRouter();
  const [fields, setFields] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>(serverErrors);
  const [pending, startTransition] = useTransition();

  const set = (key: keyof SearchFields) => (e: { target: { value: string } }) => {
    setFields((f) => ({ ...f, [key]: e.target.value }));
    if (errors[key]) setErrors((er) => ({ ...er, [key]: undefined }));
  };

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const parsed = ZSearchConcertsInput.safeParse({
      q: fields.q.trim() || undefined,
      city: fields.city || undefined,
      from: fields.from || undefined,
      to: fields.to || undefined,
    });
    if (!parsed.success) {
      const fe = z.flattenError(parsed.error).fieldErrors as Partial<Record<string, string[]>>;
      setErrors({ q: fe.q?.[0], city: fe.city?.[0], from: fe.from?.[0], to: fe.to?.[0] });
      const firstBad = (["q", "city", "from", "to"] as const).find((k) => fe[k]?.length);
      if (firstBad) document.getElementById(`search-${firstBad}`)?.focus();
      return;
    }
    setErrors({});
    startTransition(() => router.push(searchHref(fields, { pageSize })));
  }

  const cityOptions = fields.city && !cities.includes(fields.city) ? [fields.city, ...cities] : cities;
  const describedBy = (key: keyof SearchFields) => (errors[key] ? `search-${key}-error` : undefined);

  return (
    <form className="card search-form" role="search" aria-label="Search concerts" action="/search" onSubmit={onSubmit} noValidate>
      <div className="field field-q">
        <label htmlFor="search-q">Artist, concert or venue</label>
        <input
          id="search-q"
          name="q"
          type="search"
          className="input"
          value={fields.q}
          onChange={set("q")}
          maxLength={100}
          autoComplete="off"
          placeholder="e.g. Aurora Skies"
          aria-invalid={errors.q ? true : undefined}
          aria-describedby={describedBy("q")}
        />
        <FieldError id="search-q-error" message={errors.q} />
      </div>
      <div className="field field-city">
        <label htmlFor="search-city">City</label>
        <select
          id="search-city"
          name="city"
          className="select"
          value={fields.city}
          onChange={set("city")}
          aria-invalid={errors.city ? true : undefined}
          aria-describedby={describedBy("city")}
        >
          <option value="">Any city</option>
          {cityOptions.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <FieldError id="search-city-error" message={errors.city} />
      </div>
      <div className="field">
        <label htmlFor="search-from">From</label>
        <input
          id="search-from"
          name="from"
          type="date"
          className="input"
          value={fields.from}
          onChange={set("from")}
          aria-invalid={errors.from ? true : undefined}
          aria-describedby={describedBy("from")}
        />
        <FieldError id="search-from-error" message={errors.from} />
      </div>
      <div className="field">
        <label htmlFor="search-to">To</label>
        <input
          id="search-to"
          name="to"
          type="date"
          className="input"
          value={fields.to}
          min={fields.from || undefined}
          onChange={set("to")}
          aria-invalid={errors.to ? true : undefined}
          aria-describedby={describedBy("to")}
        />
        <FieldError id="search-to-error" message={errors.to} />
      </div>
      {pageSize ? <input type="hidden" name="pageSize" value={pageSize} /> : null}
      <div className="actions">
        <button type="submit" className="button" disabled={pending}>
          {pending ? "Searching…" : "Search"}
        </button>
        <Link href="/search" className="button button-secondary">
          Clear
        </Link>
      </div>
    </form>
  );
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} className="field-error">
      {message}
    </p>
  );
}
