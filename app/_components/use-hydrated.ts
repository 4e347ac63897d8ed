// True once React runs in the browser. Forms that must not submit natively (passwords in a URL) stay
// disabled until then; useSyncExternalStore gives the server's `false` during hydration without an effect.
import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
