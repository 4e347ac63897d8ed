import type { Metadata } from "next";
import { StatusPage } from "./_components/status-page";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <StatusPage
      id="not-found-title"
      code="404"
      title="We couldn’t find that page"
      actions={[
        { href: "/", label: "Browse concerts" },
        { href: "/search", label: "Search" },
      ]}
    >
      The concert or page you’re looking for doesn’t exist, or is no longer on sale.
    </StatusPage>
  );
}
