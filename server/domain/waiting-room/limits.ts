// Limits of the waiting room's settings that admin forms check in the browser too: nothing here may import
// the database or Redis.

/** The organiser's message to waiting fans while admission is paused, at most this many characters. */
export const PAUSE_NOTE_MAX = 280;
