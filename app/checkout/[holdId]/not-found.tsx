// A hold that does not exist, or is another fan's.
import type { Metadata } from "next";
import { StatusPage } from "../../_components/status-page";

export const metadata: Metadata = { title: "Hold not found" };

export default function HoldNotFound() {
  return (
    <StatusPage
      id="hold-missing-title"
      code="404"
      title="We couldn’t find those seats"
      actions={[
        { href: "/tickets", label: "My tickets" },
        { href: "/", label: "Browse concerts" },
      ]}
    >
      This checkout link doesn’t match any seats held for you. Your holds are on My tickets.
    </StatusPage>
  );
}
