// Search: the query lives in the URL, so back/forward and shared links show the same results.
import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { z } from "zod";
import { serverApi } from "@/server/api/server";
import { ZSearchConcertsInput, type TSearchConcertsInput } from "@/server/domain/catalog/schemas";
import { ConcertGrid, ConcertGridSkeleton } from "../_components/concert-card";
import { formatCount } from "../_components/format";
import { readSearchParams, searchHref, type SearchFields, type SearchParams } from "./params";
import { SearchError } from "./search-error";
import { SearchForm } from "./search-form";
import styles from "./search.module.css";

export async function generateMetadata({ searchParams }: { searchParams: Promise<SearchParams> }): Promise<Metadata> {
  const { fields } = readSearchParams(await searchParams);
  return { title: fields.q ? `“${fields.q}” — search` : "Search concerts" };
}

export default async function SearchPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { fields, pageSize, input } = readSearchParams(await searchParams);
  const parsed = ZSearchConcertsInput.safeParse(input);
  const fieldErrors: Partial<Record<keyof SearchFields, string>> = {};
  if (!parsed.success) {
    const fe = z.flattenError(parsed.error).fieldErrors as Partial<Record<string, string[]>>;
    for (const k of ["q", "city", "from", "to"] as const) fieldErrors[k] = fe[k]?.[0];
  }
  const cities = await (await serverApi()).catalog.cities();

  return (
    <>
      <h1>Search concerts</h1>
      <SearchForm key={searchHref(fields, { pageSize })} initial={fields} cities={cities} pageSize={pageSize} serverErrors={fieldErrors} />
      {parsed.success ? (
        <Suspense key={JSON.stringify(parsed.data)} fallback={<ResultsSkeleton />}>
          <Results input={parsed.data} fields={fields} pageSize={pageSize} />
        </Suspense>
      ) : (
        <p className="alert alert-error" role="alert" style={{ marginTop: "1.5rem" }}>
          Check the highlighted fields, then search again.
        </p>
      )}
    </>
  );
}

function ResultsSkeleton() {
  return (
    <section aria-label="Results" aria-busy="true">
      <div className={styles.resultsMeta}>
        <div className="skeleton skeleton-line" style={{ width: "12rem" }} />
      </div>
      <ConcertGridSkeleton count={6} label="Searching" />
    </section>
  );
}

async function Results({ input, fields, pageSize }: { input: TSearchConcertsInput; fields: SearchFields; pageSize: number | undefined }) {
  let result;
  try {
    result = await (await serverApi()).catalog.search(input);
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "BAD_REQUEST" || error.code === "UNPROCESSABLE_CONTENT")) {
      return (
        <p className="alert alert-error" role="alert" style={{ marginTop: "1.5rem" }}>
          {error.message}
        </p>
      );
    }
    console.error(error);
    return <SearchError />;
  }

  const { items, total, page, pageCount } = result;
  const filtered = Boolean(fields.q || fields.city || fields.from || fields.to);
  const first = (page - 1) * result.pageSize + 1;
  const last = first + items.length - 1;

  if (total === 0) {
    return (
      <section aria-labelledby="results-title" className="section">
        <h2 id="results-title" className="visually-hidden">
          Results
        </h2>
        <div className="empty-state" role="status">
          <h3>{fields.q ? `No concerts match “${fields.q}”` : "No concerts match these filters"}</h3>
          <p>Try fewer words, another city or wider dates.</p>
          {filtered ? (
            <p>
              <Link href={searchHref({}, { pageSize })}>Clear the search and see every concert</Link>
            </p>
          ) : null}
        </div>
      </section>
    );
  }

  return (
    <section aria-labelledby="results-title">
      <div className={styles.resultsMeta}>
        <h2 id="results-title" className="visually-hidden">
          Results
        </h2>
        <p role="status">
          {items.length > 0
            ? `Showing ${formatCount(first)}–${formatCount(last)} of ${formatCount(total)} concert${total === 1 ? "" : "s"}`
            : `${formatCount(total)} concert${total === 1 ? "" : "s"} found`}
        </p>
        {pageCount > 1 ? (
          <p>
            Page {page} of {pageCount}
          </p>
        ) : null}
      </div>
      {items.length > 0 ? (
        <ConcertGrid concerts={items} eagerCount={4} />
      ) : (
        <div className="empty-state">
          <h3>This page is past the last result</h3>
          <p>
            <Link href={searchHref(fields, { page: pageCount, pageSize })}>Go to the last page</Link>
          </p>
        </div>
      )}
      {pageCount > 1 ? <Pagination fields={fields} page={page} pageCount={pageCount} pageSize={pageSize} /> : null}
    </section>
  );
}

/** Page numbers with the current one, its neighbours, and both ends; gaps become "…". */
function pageWindow(page: number, pageCount: number): (number | "gap")[] {
  const wanted = new Set([1, pageCount, page - 1, page, page + 1].filter((p) => p >= 1 && p <= pageCount));
  const sorted = [...wanted].sort((a, b) => a - b);
  const out: (number | "gap")[] = [];
  for (const p of sorted) {
    const prev = out.at(-1);
    if (typeof prev === "number" && p - prev > 1) out.push("gap");
    out.push(p);
  }
  return out;
}

function Pagination({
  fields,
  page,
  pageCount,
  pageSize,
}: {
  fields: SearchFields;
  page: number;
  pageCount: number;
  pageSize: number | undefined;
}) {
  const href = (p: number) => searchHref(fields, { page: p, pageSize });
  return (
    <nav aria-label="Pagination">
      <ul className={styles.pagination}>
        <li>
          {page > 1 ? (
            <Link href={href(page - 1)} rel="prev">
              ‹ Previous
            </Link>
          ) : (
            <span aria-disabled="true">‹ Previous</span>
          )}
        </li>
        {pageWindow(page, pageCount).map((p, i) =>
          p === "gap" ? (
            <li key={`gap-${i}`}>
              <span aria-hidden="true">…</span>
            </li>
          ) : (
            <li key={p}>
              <Link href={href(p)} aria-current={p === page ? "page" : undefined} aria-label={`Page ${p}`}>
                {p}
              </Link>
            </li>
          ),
        )}
        <li>
          {page < pageCount ? (
            <Link href={href(page + 1)} rel="next">
              Next ›
            </Link>
          ) : (
            <span aria-disabled="true">Next ›</span>
          )}
        </li>
      </ul>
    </nav>
  );
}
