// The REST API's reference, rendered on the server from the same OpenAPI document the API serves
// (/api/v1/openapi.json): nothing is fetched from anywhere else.
import type { Metadata } from "next";
import Link from "next/link";
import { buildOpenApiDocument } from "@/server/api/rest/openapi";
import styles from "./api-docs.module.css";
import { TableHead } from "../_components/table-head";

export const metadata: Metadata = { title: "API reference" };

type Schema = Record<string, unknown>;
type Parameter = { name: string; in: string; required?: boolean; description?: string; schema?: Schema };
type Operation = {
  operationId: string;
  summary: string;
  tags: string[];
  parameters?: Parameter[];
  requestBody?: { content: { "application/json": { schema: Schema } } };
  responses: Record<string, { description: string }>;
  security?: unknown[];
};

/** A schema in one short line: `integer ≥ 1`, `"KRW" | "USD"`, `string (8–100)`… */
function typeOf(schema: Schema | undefined): string {
  if (!schema) return "any";
  if (Array.isArray(schema.enum)) return (schema.enum as unknown[]).map((v) => JSON.stringify(v)).join(" | ");
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Schema[]).map(typeOf).join(" | ");
  if (schema.type === "array") return `${typeOf(schema.items as Schema)}[]`;
  const type = Array.isArray(schema.type) ? schema.type.join(" | ") : String(schema.type ?? "object");
  const bounds = [
    schema.minimum !== undefined ? `≥ ${schema.minimum}` : "",
    schema.maximum !== undefined ? `≤ ${schema.maximum}` : "",
    schema.minLength !== undefined || schema.maxLength !== undefined ? `${schema.minLength ?? 0}–${schema.maxLength ?? "…"} chars` : "",
    schema.format ? String(schema.format) : "",
  ].filter(Boolean);
  return bounds.length ? `${type} (${bounds.join(", ")})` : type;
}

export default function ApiDocsPage() {
  const doc = buildOpenApiDocument() as {
    info: { title: string; version: string; description: string };
    paths: Record<string, Record<string, Operation>>;
    tags: { name: string }[];
  };
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );
  return (
    <article className={styles.docs}>
      <header className="card">
        <p className="eyebrow">Version {doc.info.version}</p>
        <h1>{doc.info.title}</h1>
        <p>{doc.info.description}</p>
        <p className="muted">
          Base URL <code>/api/v1</code> · machine-readable document: <Link href="/api/v1/openapi.json">/api/v1/openapi.json</Link> · errors:{" "}
          <code>{`{ "error": { "code", "message", "details", "request_id", "timestamp" } }`}</code> · every answer carries{" "}
          <code>X-RateLimit-Limit</code>, <code>-Remaining</code> and <code>-Reset</code>.
        </p>
        <nav aria-label="API sections">
          <ul className={styles.toc}>
            {doc.tags.map((t) => (
              <li key={t.name}>
                <a href={`#${t.name.toLowerCase().replace(/\s+/g, "-")}`}>{t.name}</a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      {doc.tags.map((tag) => (
        <section key={tag.name} id={tag.name.toLowerCase().replace(/\s+/g, "-")} aria-labelledby={`tag-${tag.name}`}>
          <h2 id={`tag-${tag.name}`}>{tag.name}</h2>
          {operations
            .filter(({ op }) => op.tags.includes(tag.name))
            .map(({ path, method, op }) => {
              const body = op.requestBody?.content["application/json"].schema as
                | { properties?: Record<string, Schema>; required?: string[] }
                | undefined;
              return (
                <section key={`${method} ${path}`} className={`card ${styles.operation}`} aria-label={`${method.toUpperCase()} ${path}`}>
                  <h3 className={styles.signature}>
                    <span className={`${styles.method} ${styles[method] ?? ""}`}>{method.toUpperCase()}</span> <code>{path}</code>
                  </h3>
                  <p>
                    {op.summary}
                    {op.security?.length === 0 ? <span className="muted"> · no sign-in needed</span> : null}
                  </p>
                  {op.parameters?.length ? (
                    <table className={styles.table}>
                      <caption className="visually-hidden">Parameters</caption>
                      <TableHead columns={["Parameter", "In", "Type"]} />
                      <tbody>
                        {op.parameters.map((p) => (
                          <tr key={`${p.in}-${p.name}`}>
                            <td>
                              <code>{p.name}</code>
                              {p.required ? <span className={styles.required}> required</span> : null}
                            </td>
                            <td>{p.in}</td>
                            <td>{typeOf(p.schema)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  ) : null}
                  {body?.properties ? (
                    <table className={styles.table}>
                      <caption>JSON body</caption>
                      <TableHead columns={["Field", "Type"]} />
                      <tbody>
                        {Object.entries(body.properties).map(([name, schema]) => (
                          <tr key={name}>
                            <td>
                              <code>{name}</code>
                              {body.required?.includes(name) ? <span className={styles.required}> required</span> : null}
                            </td>
                            <td>{typeOf(schema)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  ) : null}
                  <p className="muted">
                    Answers:{" "}
                    {Object.entries(op.responses)
                      .map(([status, r]) => `${status} ${r.description}`)
                      .join(" · ")}
                  </p>
                </section>
              );
            })}
        </section>
      ))}
    </article>
  );
}
