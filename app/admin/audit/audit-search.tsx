"use client";
// The audit log's search: words and a span of days, kept in the URL (with the entity chosen above), so a
// search can be shared and reloaded. Bad days in the URL are named at their fields.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Field } from "@/app/_components/field";
import { auditFilterProblems, auditHref, isSearched, type AuditFilter } from "./audit-model";
import adminStyles from "../_components/admin.module.css";
import { FilterActions } from "../_components/fields";

export function AuditSearch({ filter }: { filter: AuditFilter }) {
  const router = useRouter();
  const [draft, setDraft] = useState(filter);
  const [problems, setProblems] = useState(() => auditFilterProblems(filter));

  const set = (key: "q" | "from" | "to", value: string) => {
    setDraft((d) => ({ ...d, [key]: value }));
    if (key !== "q") setProblems({});
  };

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const found = auditFilterProblems(draft);
    setProblems(found);
    if (found.from || found.to) {
      document.getElementById(found.from ? "audit-from" : "audit-to")?.focus();
      return;
    }
    router.push(auditHref(draft));
  };

  return (
    <form
      className={`card ${adminStyles.opsFilters} ${adminStyles.auditFilters}`}
      role="search"
      aria-label="Search the audit log"
      onSubmit={submit}
      noValidate
    >
      <Field
        id="audit-q"
        label="Search"
        type="search"
        value={draft.q}
        maxLength={200}
        autoComplete="off"
        spellCheck={false}
        placeholder="e.g. refund, an admin’s email, a concert"
        hint="Action, admin, or what was changed (concert, venue, buyer’s email…)."
        onChange={(e) => set("q", e.currentTarget.value)}
      />
      <Field
        id="audit-from"
        label="From"
        type="date"
        value={draft.from}
        error={problems.from}
        onChange={(e) => set("from", e.currentTarget.value)}
      />
      <Field id="audit-to" label="To" type="date" value={draft.to} error={problems.to} onChange={(e) => set("to", e.currentTarget.value)} />
      <FilterActions
        label="Search"
        clearHref={isSearched(filter) ? auditHref({ entityType: filter.entityType, entityId: filter.entityId }) : undefined}
      />
    </form>
  );
}
