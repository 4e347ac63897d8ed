// The fan's signed queue token per showtime, kept in localStorage (it names the fan and the showtime, so
// another account on the same browser cannot use it). It is sent with every join and status call: if the
// waiting room's Redis restarted empty, the server gives the place it names back (docs/reliability.md).
// Forgotten once the fan is admitted (that place is spent) or leaves.
const tokenKey = (showtimeId: string) => `onsale:queue-token:${showtimeId}`;

// Storage can be unavailable (blocked, private modes); the page then works without it, as before.
export function readQueueToken(showtimeId: string): string | undefined {
  try {
    return window.localStorage.getItem(tokenKey(showtimeId)) ?? undefined;
  } catch {
    return undefined;
  }
}

export function saveQueueToken(showtimeId: string, token: string) {
  try {
    window.localStorage.setItem(tokenKey(showtimeId), token);
  } catch {
    // See readQueueToken().
  }
}

export function forgetQueueToken(showtimeId: string) {
  try {
    window.localStorage.removeItem(tokenKey(showtimeId));
  } catch {
    // See readQueueToken().
  }
}
