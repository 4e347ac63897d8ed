// A time of day as checkout says it ("7:05 PM"), in the fan's own time zone: how long they have left to act.
const clock = new Intl.DateTimeFormat("en-US", { hour: "numeric", minute: "2-digit" });

export const formatClock = (date: Date) => clock.format(date);
