// The admin dashboard's shell: only administrators get past it (role read from the database, not the
// session token), and every admin page sits beside the same side navigation.
import type { Metadata } from "next";
import type { ReactNode } from "react";
import { requireAdmin } from "./_components/admin-api";
import { AdminNav } from "./_components/admin-nav";
import adminStyles from "./_components/admin.module.css";

export const metadata: Metadata = { title: { default: "Admin", template: "%s · Admin · Onsale" } };

export default async function AdminLayout({ children }: { children: ReactNode }) {
  // Layouts do not see the path; each page's own admin calls send a signed-out visitor back to that page.
  await requireAdmin("/admin");
  return (
    <div className={adminStyles.adminShell}>
      <aside className={adminStyles.adminSide}>
        <p className={adminStyles.adminSideTitle} aria-hidden="true">
          Admin
        </p>
        <AdminNav />
      </aside>
      <div className={adminStyles.adminContent}>{children}</div>
    </div>
  );
}
