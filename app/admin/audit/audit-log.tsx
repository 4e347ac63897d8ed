"use client";
// The audit entries under one filter, a page at a time, each with its before/after: the changed fields side
// by side, the unchanged ones folded away.
import { useInfiniteQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import type { AppRouter } from "@/server/api/root";
import { formatShowDateTime } from "@/app/_components/format";
import { useTRPC } from "@/app/_trpc/client";
import {
  auditHref,
  auditListInput,
  describeEntry,
  diffSnapshots,
  entityHref,
  formatValue,
  isSearched,
  type AuditFilter,
  type DiffRow,
} from "./audit-model";
import adminStyles from "../_components/admin.module.css";
import styles from "./audit.module.css";
import { LoadMore } from "../../_components/load-more";
import { TableHead } from "../../_components/table-head";
import { LoadError } from "../../_components/load-error";

type Entry = inferRouterOutputs<AppRouter>["admin"]["audit"]["items"][number];

const PAGE_SIZE = 25;
const at = new Intl.DateTimeFormat("en-US", {
  month: "short",
  day: "numeric",
  year: "numeric",
  hour: "numeric",
  minute: "2-digit",
  second: "2-digit",
});

export function AuditLog({ filter }: { filter: AuditFilter }) {
  const trpc = useTRPC();
  const log = useInfiniteQuery(
    trpc.admin.audit.infiniteQueryOptions(auditListInput(filter, PAGE_SIZE), { getNextPageParam: (page) => page.nextCursor, staleTime: 0 }),
  );

  if (log.status === "pending") {
    return (
      <div aria-busy="true">
        <p className="visually-hidden" role="status">
          Loading the audit log…
        </p>
        {[0, 1, 2, 3].map((i) => (
          <div key={i} className={`skeleton ${adminStyles.opsRowSkeleton}`} aria-hidden="true" />
        ))}
      </div>
    );
  }
  if (log.status === "error") {
    return <LoadError title="We couldn’t load the audit log" query={log} />;
  }
  const entries = log.data.pages.flatMap((p) => p.items);
  if (entries.length === 0 && isSearched(filter)) {
    return (
      <div className="empty-state">
        <h2>No entries match</h2>
        <p>
          Nothing in the log{filter.entityType ? " for this kind of entity" : ""} matches these words and dates. Try other words or a wider
          span of days.
        </p>
        <p>
          <Link href={auditHref({ entityType: filter.entityType, entityId: filter.entityId })} className="button button-secondary">
            Clear the search
          </Link>
        </p>
      </div>
    );
  }
  if (entries.length === 0) {
    return (
      <div className="empty-state">
        <h2>No entries{filter.entityType ? " here" : " yet"}</h2>
        <p>{filter.entityType ? "No admin has changed anything of this kind yet." : "Admin changes are recorded here as they happen."}</p>
      </div>
    );
  }
  return (
    <section aria-labelledby="audit-entries-title">
      <h2 id="audit-entries-title" className="visually-hidden">
        Entries
      </h2>
      <ol className={styles.auditList}>
        {entries.map((entry) => (
          <AuditEntry key={entry.id} entry={entry} />
        ))}
      </ol>
      {log.hasNextPage ? (
        <LoadMore
          pages={log}
          className={adminStyles.opsMore}
          label="Show older entries"
          errorMessage="We couldn’t load older entries. Please try again."
        />
      ) : (
        <p className={`muted ${styles.opsEnd}`}>That’s the beginning of the log.</p>
      )}
    </section>
  );
}

function AuditEntry({ entry }: { entry: Entry }) {
  const rows = diffSnapshots(entry.before, entry.after);
  const changed = rows.filter((r) => r.change !== "same");
  const unchanged = rows.filter((r) => r.change === "same");
  const hasBefore = entry.before !== null && entry.before !== undefined;
  const href = entityHref(entry.entityType, entry.entityId);
  const what = describeEntry(entry.action, entry.before, entry.after);

  return (
    <li className={`card ${styles.auditEntry}`}>
      <div className={styles.auditHead}>
        <p className={styles.auditWhat}>
          <strong>{what}</strong> <code className={`${adminStyles.opsCode} ${styles.auditAction}`}>{entry.action}</code>
        </p>
        <time className={`${styles.auditTime} muted`} dateTime={entry.createdAt.toISOString()}>
          {at.format(entry.createdAt)}
        </time>
      </div>
      <dl className={styles.auditFacts}>
        <div>
          <dt>Admin</dt>
          <dd>
            {entry.actor.name} <span className="muted">{entry.actor.email}</span>
          </dd>
        </div>
        <div>
          <dt>{entry.entityType}</dt>
          <dd>
            {entry.target ? (
              <span className="audit-target">
                <strong>{entry.target.name}</strong>
                {entry.target.detail ? <> · {entry.target.detail}</> : null}
                {entry.target.at ? (
                  <>
                    {" "}
                    ·{" "}
                    <time dateTime={entry.target.at.date.toISOString()}>
                      {formatShowDateTime(entry.target.at.date, entry.target.at.timeZone)}
                    </time>
                  </>
                ) : null}{" "}
              </span>
            ) : null}
            {href ? (
              <Link href={href} className={adminStyles.opsCode}>
                {entry.entityId}
              </Link>
            ) : (
              <code className={adminStyles.opsCode}>{entry.entityId}</code>
            )}
            {entry.entityType === "Showtime" ? (
              <>
                {" "}
                · <Link href={`/admin/showtimes/${encodeURIComponent(entry.entityId)}/live`}>live view</Link>
              </>
            ) : null}
          </dd>
        </div>
      </dl>
      {rows.length === 0 ? null : (
        <details className={styles.auditDetails}>
          <summary>
            {hasBefore
              ? `Before and after: ${changed.length} field${changed.length === 1 ? "" : "s"} changed`
              : `Recorded values (${rows.length})`}
          </summary>
          {changed.length > 0 ? (
            <DiffTable rows={changed} hasBefore={hasBefore} caption={`${what}: ${hasBefore ? "changed fields" : "values"}`} />
          ) : (
            <p className="muted">Nothing changed: the same values were saved again.</p>
          )}
          {unchanged.length > 0 ? (
            <details className={styles.auditUnchanged}>
              <summary>
                {unchanged.length} unchanged field{unchanged.length === 1 ? "" : "s"}
              </summary>
              <DiffTable rows={unchanged} hasBefore={false} caption={`${what}: unchanged fields`} />
            </details>
          ) : null}
        </details>
      )}
    </li>
  );
}

function DiffTable({ rows, hasBefore, caption }: { rows: DiffRow[]; hasBefore: boolean; caption: string }) {
  return (
    <div className={styles.auditDiffWrap}>
      <table className={styles.auditDiff}>
        <caption className="visually-hidden">{caption}</caption>
        <TableHead columns={["Field", ...(hasBefore ? ["Before", "After"] : ["Value"])]} />
        <tbody>
          {rows.map((r) => (
            <tr key={r.path} data-change={r.change}>
              <th scope="row">
                <code className={adminStyles.opsCode}>{r.path}</code>
              </th>
              {hasBefore ? <td className={styles.auditBefore}>{formatValue(r.before)}</td> : null}
              <td className={styles.auditAfter}>{formatValue(r.change === "same" ? r.before : r.after)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
