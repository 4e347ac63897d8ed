import { describe, expect, it } from "vitest";
import { checkoutKey, forgetCheckoutKey } from "./checkout-key";

function fakeStorage() {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  };
}

describe("checkoutKey", () => {
  it("keeps one key per hold, so a retry or a reload sends the same one", () => {
    const store = fakeStorage();
    let n = 0;
    const make = () => `key-${++n}`;
    const first = checkoutKey("hold_a", store, make);
    expect(checkoutKey("hold_a", store, make)).toBe(first);
    expect(store.data.get("onsale:checkout-key:hold_a")).toBe(first);
    expect(checkoutKey("hold_b", store, make)).not.toBe(first);
  });

  it("starts afresh once the hold is paid", () => {
    const store = fakeStorage();
    const first = checkoutKey("hold_c", store);
    forgetCheckoutKey("hold_c", store);
    expect(store.data.has("onsale:checkout-key:hold_c")).toBe(false);
    expect(checkoutKey("hold_c", store)).not.toBe(first);
  });

  it("still keeps the key for the page's life when storage is blocked", () => {
    const blocked = {
      getItem: () => {
        throw new Error("blocked");
      },
      setItem: () => {
        throw new Error("blocked");
      },
      removeItem: () => {},
    };
    const first = checkoutKey("hold_d", blocked);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(checkoutKey("hold_d", blocked)).toBe(first);
    expect(checkoutKey("hold_d", null)).toBe(first);
  });
});
