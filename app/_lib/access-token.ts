// The waiting-room access token, kept per tab in sessionStorage: the queue page stores it when the fan is
// admitted, the showtime page sends it with every gated call and drops it once the server refuses it.
import { useSyncExternalStore } from "react";
import type { ClientAppError } from "../_components/app-error";

/**
 * Why this tab's access ended: its time ran out (or was refused), or the fan was away and the turn went to
 * the next fan, with their place kept to take back once ("idle") or that once already used ("idle-final").
 */
export type AccessEnd = "time" | "idle" | "idle-final";

const tokenKey = (showtimeId: string) => `onsale:access:${showtimeId}`;
const endedKey = (showtimeId: string) => `onsale:access-ended:${showtimeId}`;
const CHANGE = "onsale:access-change";

// Storage can be unavailable (blocked, private modes); the page then behaves as if nothing was stored.
function read(key: string): string | null {
  try {
    return window.sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null) {
  try {
    if (value === null) window.sessionStorage.removeItem(key);
    else window.sessionStorage.setItem(key, value);
  } catch {
    // See read().
  }
}

function changed() {
  window.dispatchEvent(new Event(CHANGE));
}

export function saveAccessToken(showtimeId: string, token: string) {
  write(tokenKey(showtimeId), token);
  write(endedKey(showtimeId), null);
  changed();
}

/** The server refused the token or its time ran out: forget it, and remember to say why. */
export function endAccess(showtimeId: string, why: AccessEnd = "time") {
  write(tokenKey(showtimeId), null);
  write(endedKey(showtimeId), why);
  changed();
}

/** The gate refused a call (NOT_ADMITTED): end the access for the reason it gave. */
export function endAccessAfter(showtimeId: string, error: ClientAppError) {
  const idle = error.details?.reason === "idle";
  endAccess(showtimeId, idle ? (error.details?.reclaimable === true ? "idle" : "idle-final") : "time");
}

/** The fan's turn ended by buying (the server revoked it): forget the token without the "time ended" note. */
export function forgetAccess(showtimeId: string) {
  write(tokenKey(showtimeId), null);
  changed();
}

function subscribe(onChange: () => void) {
  window.addEventListener(CHANGE, onChange);
  window.addEventListener("storage", onChange);
  return () => {
    window.removeEventListener(CHANGE, onChange);
    window.removeEventListener("storage", onChange);
  };
}

/** The stored token; null on the server and during hydration, so the first render matches. */
export function useAccessToken(showtimeId: string): string | null {
  return useSyncExternalStore(
    subscribe,
    () => read(tokenKey(showtimeId)),
    () => null,
  );
}

/** Why this tab's access to the showtime ended, until the fan is admitted again; null while it has not. */
export function useAccessEnded(showtimeId: string): AccessEnd | null {
  return useSyncExternalStore(
    subscribe,
    () => endOf(read(endedKey(showtimeId))),
    () => null,
  );
}

function endOf(stored: string | null): AccessEnd | null {
  if (stored === null) return null;
  return stored === "idle" || stored === "idle-final" ? stored : "time";
}

// Where the fan stood when they joined, so the progress bar survives a reload.
const startKey = (showtimeId: string) => `onsale:queue-start:${showtimeId}`;

/** The position to measure progress from: the first one seen, or a later one if the fan fell back (re-joined). */
export function rememberStartPosition(showtimeId: string, position: number): number {
  const stored = Number(read(startKey(showtimeId)));
  const start = Number.isFinite(stored) && stored >= position ? stored : position;
  if (start !== stored) write(startKey(showtimeId), String(start));
  return start;
}

export function forgetStartPosition(showtimeId: string) {
  write(startKey(showtimeId), null);
}
