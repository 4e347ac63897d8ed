// A new venue: its details, drawing area, stage and sections, with a live preview of every seat.
import type { Metadata } from "next";
import { Breadcrumbs } from "../../../_components/breadcrumbs";
import { VenueForm } from "./venue-form";

export const metadata: Metadata = { title: "New venue" };

export default function NewVenuePage() {
  return (
    <>
      <Breadcrumbs trail={[{ href: "/admin/venues", label: "Venues" }]} current="New venue" />
      <div className="admin-head">
        <div>
          <h1>New venue</h1>
          <p className="muted">Lay out the sections; the preview shows every seat as it will be built.</p>
        </div>
      </div>
      {/* Read here, so the server's render and the browser's list the same zones. */}
      <VenueForm timeZones={Intl.supportedValuesOf("timeZone").filter((tz) => tz.includes("/"))} />
    </>
  );
}
