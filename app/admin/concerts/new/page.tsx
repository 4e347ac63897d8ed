// A new concert (a draft until published).
import type { Metadata } from "next";
import { Breadcrumbs } from "../../../_components/breadcrumbs";
import { loadAdmin } from "../../_components/admin-api";
import { ConcertForm } from "../../_components/concert-form";
import adminStyles from "../../_components/admin.module.css";

export const metadata: Metadata = { title: "New concert" };

export default async function NewConcertPage() {
  const concerts = await loadAdmin("/admin/concerts/new", (api) => api.admin.concerts.list());
  const categories = [...new Set(concerts.map((c) => c.category))].sort();
  return (
    <>
      <Breadcrumbs trail={[{ href: "/admin/concerts", label: "Concerts" }]} current="New concert" />
      <div className={adminStyles.adminHead}>
        <div>
          <h1>New concert</h1>
          <p className="muted">After creating it, add showtimes and publish.</p>
        </div>
      </div>
      <ConcertForm mode="create" categories={categories} />
    </>
  );
}
