"use client";
// The dashboard's side navigation; part 2's pages (orders, channels, audit) hang off it too.
import Link from "next/link";
import { usePathname } from "next/navigation";
import styles from "./admin.module.css";

const LINKS = [
  { href: "/admin", label: "Dashboard", match: (p: string) => p === "/admin" || /^\/admin\/showtimes\/[^/]+\/live/.test(p) },
  { href: "/admin/venues", label: "Venues", match: (p: string) => p.startsWith("/admin/venues") },
  {
    href: "/admin/concerts",
    label: "Concerts",
    match: (p: string) => p.startsWith("/admin/concerts") || (p.startsWith("/admin/showtimes") && !/\/live/.test(p)),
  },
  { href: "/admin/orders", label: "Orders", match: (p: string) => p.startsWith("/admin/orders") },
  { href: "/admin/channels", label: "Channels & keys", match: (p: string) => p.startsWith("/admin/channels") },
  { href: "/admin/audit", label: "Audit log", match: (p: string) => p.startsWith("/admin/audit") },
];

export function AdminNav() {
  const pathname = usePathname() ?? "/admin";
  return (
    <nav className={styles.adminNav} aria-label="Admin">
      <ul>
        {LINKS.map((l) => (
          <li key={l.href}>
            <Link href={l.href} aria-current={l.match(pathname) ? "page" : undefined}>
              {l.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
