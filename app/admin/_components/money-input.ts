// Prices typed in major units ("129.50") ↔ the integer minor units the server takes (12950), by the
// currency's exponent from server/domain/money.ts.
import { CURRENCY_EXPONENT } from "@/server/domain/money";
import type { Currency } from "@/server/generated/prisma/enums";

export type MoneyParse = { ok: true; minor: number } | { ok: false; message: string };

/** "129.50" USD → 12950; "95,000" KRW → 95000. Thousands separators and spaces are ignored. */
export function parseMoneyInput(text: string, currency: Currency): MoneyParse {
  const clean = text.replace(/[\s,_]/g, "");
  if (clean === "") return { ok: false, message: "Enter an amount." };
  if (clean.startsWith("-")) return { ok: false, message: "An amount cannot be negative." };
  const m = /^(\d+)(?:\.(\d*))?$/.exec(clean);
  if (!m) return { ok: false, message: "Enter a number, like 129.50." };
  const exponent = CURRENCY_EXPONENT[currency];
  const fraction = (m[2] ?? "").replace(/0+$/, "");
  if (fraction.length > exponent) {
    return { ok: false, message: exponent === 0 ? `${currency} has no minor units; enter a whole amount.` : `Use at most ${exponent} decimals.` };
  }
  const minor = Number(m[1]) * 10 ** exponent + Number(fraction.padEnd(exponent, "0") || "0");
  if (!Number.isSafeInteger(minor)) return { ok: false, message: "That amount is too large." };
  return { ok: true, minor };
}

/** 12950 USD → "129.50"; 95000 KRW → "95000": what an input shows for an amount. */
export function minorToInput(minor: number, currency: Currency): string {
  const exponent = CURRENCY_EXPONENT[currency];
  if (exponent === 0) return String(minor);
  const sign = minor < 0 ? "-" : "";
  const abs = String(Math.abs(minor)).padStart(exponent + 1, "0");
  return `${sign}${abs.slice(0, -exponent)}.${abs.slice(-exponent)}`;
}
