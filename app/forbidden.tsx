// The 403 page: signed in, but without the role a page needs (Next sends status 403 with it).
import type { Metadata } from "next";
import { StatusPage } from "./_components/status-page";

export const metadata: Metadata = { title: "Not allowed" };

export default function Forbidden() {
  return (
    <StatusPage
      id="forbidden-title"
      code="403 · Forbidden"
      title="This page is for administrators"
      actions={[
        { href: "/", label: "Browse concerts" },
        { href: "/tickets", label: "My tickets" },
      ]}
    >
      You’re signed in, but your account doesn’t have access to the admin dashboard. If you should have it, ask an Onsale administrator to
      give your account the admin role.
    </StatusPage>
  );
}
