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

const BROWSE = { href: "/", label: "Browse concerts" };

/** The refusals and missing things, each with its page title (the tab's), its words and its ways on. */
export const STATUS_PAGES = {
  notFound: {
    metadata: { title: "Page not found" },
    id: "not-found-title",
    code: "404",
    title: "We couldn’t find that page",
    children: "The concert or page you’re looking for doesn’t exist, or is no longer on sale.",
    actions: [BROWSE, { href: "/search", label: "Search" }],
  },
  forbidden: {
    metadata: { title: "Not allowed" },
    id: "forbidden-title",
    code: "403 · Forbidden",
    title: "This page is for administrators",
    children:
      "You’re signed in, but your account doesn’t have access to the admin dashboard. If you should have it, ask an Onsale administrator to give your account the admin role.",
    actions: [BROWSE, { href: "/tickets", label: "My tickets" }],
  },
  holdNotFound: {
    metadata: { title: "Hold not found" },
    id: "hold-missing-title",
    code: "404",
    title: "We couldn’t find those seats",
    children: "This checkout link doesn’t match any seats held for you. Your holds are on My tickets.",
    actions: [{ href: "/tickets", label: "My tickets" }, BROWSE],
  },
  orderNotFound: {
    metadata: { title: "Order not found" },
    id: "order-missing-title",
    code: "404",
    title: "We couldn’t find that order",
    children: "It doesn’t exist, or it belongs to another account. Your own orders are all on the Orders page.",
    actions: [{ href: "/orders", label: "Your orders" }, BROWSE],
  },
} satisfies Record<string, Props & { metadata: { title: string } }>;

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
