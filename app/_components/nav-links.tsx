"use client";
// The main navigation, marking the current page for assistive technology and sight.
import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/", label: "Concerts", match: (p: string) => p === "/" || p.startsWith("/concerts") || p.startsWith("/showtimes") },
  { href: "/search", label: "Search", match: (p: string) => p.startsWith("/search") },
];

const SIGNED_IN_LINKS = [{ href: "/tickets", label: "My tickets", match: (p: string) => p.startsWith("/tickets") }];

const MONEY_LINKS = [
  { href: "/orders", label: "Orders", match: (p: string) => p.startsWith("/orders") },
  { href: "/wallet", label: "Wallet", match: (p: string) => p.startsWith("/wallet") },
];

const ADMIN_LINKS = [{ href: "/admin", label: "Admin", match: (p: string) => p === "/admin" || p.startsWith("/admin/") }];

/** `isAdmin` only decides whether the link shows; the dashboard itself checks the role on the server. */
export function NavLinks({ signedIn, isAdmin = false }: { signedIn: boolean; isAdmin?: boolean }) {
  const pathname = usePathname() ?? "/";
  return (
    <nav className="main-nav" aria-label="Main">
      <ul>
        {(signedIn ? [...LINKS, ...SIGNED_IN_LINKS, ...MONEY_LINKS, ...(isAdmin ? ADMIN_LINKS : [])] : LINKS).map((l) => (
          <li key={l.href}>
            <Link href={l.href} aria-current={l.match(pathname) ? "page" : undefined} prefetch={false}>
              {l.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
