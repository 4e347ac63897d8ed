// Wallet input rules and limits, free of the database so the browser's forms can use them too.
import { z } from "zod";
import type { Currency } from "../../generated/prisma/enums.ts";
import { formatMoney } from "../money.ts";

/** Largest single top-up, and largest balance, per currency (minor units). */
export const TOP_UP_MAX: Record<Currency, number> = { KRW: 2_000_000, USD: 200_000 };
export const BALANCE_MAX: Record<Currency, number> = { KRW: 20_000_000, USD: 2_000_000 };

export const ZCurrency = z.enum(["KRW", "USD"]);

/** A client-made key (a UUID, say) that makes a retried request do its work once. */
export const ZIdempotencyKey = z
  .string()
  .trim()
  .min(8, "The idempotency key must be 8 to 100 characters.")
  .max(100, "The idempotency key must be 8 to 100 characters.")
  .regex(/^[A-Za-z0-9_.:-]+$/, "The idempotency key may use letters, digits and _ . : - only.");

export const ZTopUpInput = z
  .strictObject({
    currency: ZCurrency,
    amountMinor: z.number({ error: "Enter an amount." }).int("Enter a whole amount.").positive("Enter an amount above zero."),
    idempotencyKey: ZIdempotencyKey,
  })
  .superRefine((v, ctx) => {
    if (v.amountMinor > TOP_UP_MAX[v.currency]) {
      ctx.addIssue({
        code: "custom",
        path: ["amountMinor"],
        message: `Top up at most ${formatMoney(TOP_UP_MAX[v.currency], v.currency)} at a time.`,
      });
    }
  });
export type TTopUpInput = z.infer<typeof ZTopUpInput>;
