// Where and when a showtime is, in the venue's time zone; shared by the showtime and waiting pages.
import { formatShowDateTime, formatTime } from "./format";
import { CalendarIcon, PinIcon } from "./icons";

const ICON = { display: "inline", verticalAlign: "-2px", marginRight: 4 } as const;

export function ShowtimeFacts({
  venue,
  startsAt,
  doorsAt,
}: {
  venue: { name: string; city: string; timezone: string };
  startsAt: Date;
  /** Shown as "· doors 7:00 PM" when given. */
  doorsAt?: Date;
}) {
  const tz = venue.timezone;
  return (
    <ul className="facts">
      <li>
        <PinIcon style={ICON} />
        {venue.name}, {venue.city}
      </li>
      <li>
        <CalendarIcon style={ICON} />
        <time dateTime={startsAt.toISOString()}>{formatShowDateTime(startsAt, tz)}</time>
        {doorsAt ? ` · doors ${formatTime(doorsAt, tz)}` : null}
      </li>
    </ul>
  );
}
