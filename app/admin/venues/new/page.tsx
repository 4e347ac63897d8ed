// A new venue: its details, drawing area, stage and sections, with a live preview of every seat.
import type { Metadata } from "next";
import { Breadcrumbs } from "../../../_components/breadcrumbs";
import { VenueForm } from "./venue-form";
import adminStyles from "../../_components/admin.module.css";

export const metadata: Metadata = { title: "New venue" };

/** ICU still lists some zones under their old names; admins look for today's (both work everywhere). */
const RENAMED: Record<string, string> = {
  "Asia/Calcutta": "Asia/Kolkata",
  "Asia/Katmandu": "Asia/Kathmandu",
  "Asia/Rangoon": "Asia/Yangon",
  "Asia/Saigon": "Asia/Ho_Chi_Minh",
  "Europe/Kiev": "Europe/Kyiv",
  "America/Godthab": "America/Nuuk",
  "Pacific/Enderbury": "Pacific/Kanton",
};

function timeZones(): string[] {
  const zones = Intl.supportedValuesOf("timeZone").map((tz) => RENAMED[tz] ?? tz);
  return [...new Set(zones.filter((tz) => tz.includes("/")))].sort();
}

export default function NewVenuePage() {
  return (
    <>
      <Breadcrumbs trail={[{ href: "/admin/venues", label: "Venues" }]} current="New venue" />
      <div className={adminStyles.adminHead}>
        <div>
          <h1>New venue</h1>
          <p className="muted">Lay out the sections; the preview shows every seat as it will be built.</p>
        </div>
      </div>
      {/* Read here, so the server's render and the browser's list the same zones. */}
      <VenueForm timeZones={timeZones()} />
    </>
  );
}
