"use client";
// The search form: validates with the same schema as the server, then puts the query in the URL.
// It is a plain GET form underneath, so it also works before (or without) JavaScript.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { z } from "zod";
import { ZSearchConcertsInput } from "@/server/domain/catalog/schemas";
import { searchHref, sortOf, type SearchFields } from "./params";
import styles from "./search.module.css";

type FieldErrors = Partial<Record<keyof SearchFields, string>>;
const KEYS = ["q", "city", "from", "to"] as const;

// Inputs are uncontrolled: what someone types before the page finishes loading is kept.
function readFields(form: HTMLFormElement): SearchFields {
  const data = new FormData(form);
  const get = (k: keyof SearchFields) => String(data.get(k) ?? "").trim();
  return { q: get("q"), city: get("city"), from: get("from"), to: get("to"), sort: sortOf(get("sort")) };
}

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
  const [errors, setErrors] = useState<FieldErrors>(serverErrors);
  const [pending, startTransition] = useTransition();

  function onChange(e: FormEvent<HTMLFormElement>) {
    const name = (e.target as HTMLInputElement).name as keyof SearchFields;
    if (errors[name]) setErrors((er) => ({ ...er, [name]: undefined }));
  }

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const fields = readFields(e.currentTarget);
    const parsed = ZSearchConcertsInput.safeParse({
      q: fields.q || undefined,
      city: fields.city || undefined,
      from: fields.from || undefined,
      to: fields.to || undefined,
    });
    if (!parsed.success) {
      const fe = z.flattenError(parsed.error).fieldErrors as Partial<Record<string, string[]>>;
      setErrors({ q: fe.q?.[0], city: fe.city?.[0], from: fe.from?.[0], to: fe.to?.[0] });
      const firstBad = KEYS.find((k) => fe[k]?.length);
      if (firstBad) document.getElementById(`search-${firstBad}`)?.focus();
      return;
    }
    setErrors({});
    startTransition(() => router.push(searchHref(fields, { pageSize })));
  }

  const cityOptions = initial.city && !cities.includes(initial.city) ? [initial.city, ...cities] : cities;
  const a11y = (key: keyof SearchFields) => ({
    "aria-invalid": errors[key] ? true : undefined,
    "aria-describedby": errors[key] ? `search-${key}-error` : undefined,
  });

  return (
    <form
      className={`card ${styles.searchForm}`}
      role="search"
      aria-label="Search concerts"
      action="/search"
      onSubmit={onSubmit}
      onChange={onChange}
      noValidate
    >
      <div className={`field ${styles.fieldQ}`}>
        <label htmlFor="search-q">Artist, concert or venue</label>
        <input
          id="search-q"
          name="q"
          type="search"
          className="input"
          defaultValue={initial.q}
          maxLength={100}
          autoComplete="off"
          placeholder="e.g. Aurora Skies"
          {...a11y("q")}
        />
        <FieldError id="search-q-error" message={errors.q} />
      </div>
      <div className={`field ${styles.fieldCity}`}>
        <label htmlFor="search-city">City</label>
        <select id="search-city" name="city" className="select" defaultValue={initial.city} {...a11y("city")}>
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
        <input id="search-from" name="from" type="date" className="input" defaultValue={initial.from} {...a11y("from")} />
        <FieldError id="search-from-error" message={errors.from} />
      </div>
      <div className="field">
        <label htmlFor="search-to">To</label>
        <input id="search-to" name="to" type="date" className="input" defaultValue={initial.to} {...a11y("to")} />
        <FieldError id="search-to-error" message={errors.to} />
      </div>
      <div className="field field-sort">
        <label htmlFor="search-sort">Sort by</label>
        <select id="search-sort" name="sort" className="select" defaultValue={initial.sort || "date"}>
          <option value="date">Date, soonest first</option>
          <option value="price">Price, lowest first</option>
          <option value="title">Name, A to Z</option>
        </select>
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
