// The trail above a page: links back up, ending with the current page (no link).
import Link from "next/link";

export type Crumb = { href: string; label: string };

export function Breadcrumbs({ trail, current }: { trail: Crumb[]; current: string }) {
  return (
    <nav aria-label="Breadcrumb" className="breadcrumbs">
      <ol>
        {trail.map((c) => (
          <li key={c.href}>
            <Link href={c.href} prefetch={false}>
              {c.label}
            </Link>
          </li>
        ))}
        <li>
          <span aria-current="page">{current}</span>
        </li>
      </ol>
    </nav>
  );
}
