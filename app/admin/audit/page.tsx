// The audit log of admin actions: who did what to which entity, when, with the before/after of each change.
// The admin layout checks the role; the filter (entity, words, days) lives in the URL and the browser reads
// the log (admin.audit).
import type { Metadata } from "next";
import Link from "next/link";
import { AuditLog } from "./audit-log";
import { auditFilterProblems, auditHref, ENTITY_TYPES, readAuditFilter } from "./audit-model";
import { AuditSearch } from "./audit-search";
import adminStyles from "../_components/admin.module.css";
import styles from "./audit.module.css";
import tabs from "../../_components/filter-tabs.module.css";

export const metadata: Metadata = { title: "Audit log" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AuditPage({ searchParams }: Props) {
  const filter = readAuditFilter(await searchParams);
  const problems = auditFilterProblems(filter);
  const typeLabel = ENTITY_TYPES.find((t) => t.value === filter.entityType)?.label ?? filter.entityType;

  return (
    <>
      <header className={adminStyles.adminHead}>
        <div>
          <h1>Audit log</h1>
          <p className="muted">Every change an admin made, newest first: who, what, when, and the values before and after.</p>
        </div>
      </header>

      <nav aria-label="Show entries for" className={`${tabs.filterTabs} ${styles.opsFilter}`}>
        <ul>
          <li>
            <Link
              href={auditHref({ ...filter, entityType: "", entityId: "" })}
              aria-current={filter.entityType === "" ? "page" : undefined}
              scroll={false}
            >
              All
            </Link>
          </li>
          {ENTITY_TYPES.map((t) => (
            <li key={t.value}>
              <Link
                href={auditHref({ ...filter, entityType: t.value, entityId: "" })}
                aria-current={filter.entityType === t.value && !filter.entityId ? "page" : undefined}
                scroll={false}
              >
                {t.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {filter.entityId ? (
        <p className={styles.opsFilterNote}>
          Only {filter.entityType} <code className={adminStyles.opsCode}>{filter.entityId}</code> ·{" "}
          <Link href={auditHref({ ...filter, entityId: "" })}>Show all {typeLabel.toLowerCase()}</Link>
        </p>
      ) : null}

      {/* A new search remounts the form and the list, so going back restores both. */}
      <AuditSearch key={`search:${auditHref(filter)}`} filter={filter} />
      {problems.from || problems.to ? (
        <div className="empty-state" role="alert">
          <h2>Those dates can’t be used</h2>
          <p>{problems.from ?? problems.to}</p>
          <p>
            <Link href={auditHref({ ...filter, from: "", to: "" })} className="button button-secondary">
              Search without dates
            </Link>
          </p>
        </div>
      ) : (
        <AuditLog key={auditHref(filter)} filter={filter} />
      )}
    </>
  );
}
