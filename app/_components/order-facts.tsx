// Rows of a <dl> shared by the fan's and the admin's order pages and the ticket card.
import { formatShowDateTime, formatTime } from "./format";

/** "When" and "Where" of a showtime, in the venue's time zone. */
export function ShowtimeWhenWhere({
  startsAt,
  doorsAt,
  venue,
}: {
  startsAt: Date;
  doorsAt: Date;
  venue: { name: string; city: string; timezone: string };
}) {
  return (
    <>
      <div>
        <dt>When</dt>
        <dd>
          <time dateTime={startsAt.toISOString()}>{formatShowDateTime(startsAt, venue.timezone)}</time>
          <span className="muted"> · doors {formatTime(doorsAt, venue.timezone)}</span>
        </dd>
      </div>
      <div>
        <dt>Where</dt>
        <dd>
          {venue.name}, {venue.city}
        </dd>
      </div>
    </>
  );
}

/** "Section", "Row" and "Seat" of a ticket's seat. */
export function SeatFacts({ seat }: { seat: { section: string; row: string; number: string | number } }) {
  return (
    <>
      <div>
        <dt>Section</dt>
        <dd>{seat.section}</dd>
      </div>
      <div>
        <dt>Row</dt>
        <dd>{seat.row}</dd>
      </div>
      <div>
        <dt>Seat</dt>
        <dd>{seat.number}</dd>
      </div>
    </>
  );
}
