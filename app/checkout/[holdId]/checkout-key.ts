// The idempotency key of paying for one hold, kept per tab in sessionStorage: a reload, a double click or
// a retry after a lost answer sends the same key, so the server charges once and answers with the first order.

type KeyStore = Pick<Storage, "getItem" | "setItem" | "removeItem">;

const keyOf = (holdId: string) => `onsale:checkout-key:${holdId}`;

function sessionStore(): KeyStore | null {
  try {
    return window.sessionStorage;
  } catch {
    // Storage blocked: the key then lives as long as the page (see checkoutKey).
    return null;
  }
}

const inMemory = new Map<string, string>();

/** The key for paying this hold: the stored one, or a new one stored for next time. */
export function checkoutKey(
  holdId: string,
  store: KeyStore | null = sessionStore(),
  newKey: () => string = () => crypto.randomUUID(),
): string {
  const name = keyOf(holdId);
  let stored: string | null = null;
  try {
    stored = store?.getItem(name) ?? null;
  } catch {
    // Blocked: the in-memory copy below.
  }
  stored ??= inMemory.get(name) ?? null;
  if (stored) return stored;
  const key = newKey();
  inMemory.set(name, key);
  try {
    store?.setItem(name, key);
  } catch {
    // Kept in memory above.
  }
  return key;
}

/** Paid: the key has done its work. */
export function forgetCheckoutKey(holdId: string, store: KeyStore | null = sessionStore()) {
  const name = keyOf(holdId);
  inMemory.delete(name);
  try {
    store?.removeItem(name);
  } catch {
    // Nothing stored.
  }
}
