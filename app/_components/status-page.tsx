// The page for a refusal or a missing thing (404, 403): a code, what happened, and where to go next.
import Link from "next/link";
import type { ReactNode } from "react";

type Props = {
  id: string;
  code: string;
  title: string;
  children: ReactNode;
  /** The first is the main way on; the rest are secondary. */
  actions: { href: string; label: string }[];
};

export function StatusPage({ id, code, title, children, actions }: Props) {
  return (
    <section className="card status-page" aria-labelledby={id}>
      <p className="status-code">{code}</p>
      <h1 id={id}>{title}</h1>
      <p className="muted">{children}</p>
      <div className="actions">
        {actions.map((a, i) => (
          <Link key={a.href} href={a.href} className={i === 0 ? "button" : "button button-secondary"}>
            {a.label}
          </Link>
        ))}
      </div>
    </section>
  );
}
