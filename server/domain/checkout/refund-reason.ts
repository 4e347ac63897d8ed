// Why an admin refunds an order on a fan's behalf: shown to the fan on the order and kept in the audit log.
// Read by the admin's form too, so nothing here may import the database.
import { z } from "zod";

export const REFUND_REASON_MAX = 500;

// Counted in characters as PostgreSQL counts them (code points, not UTF-16 units), as its CHECK does.
const length = (s: string) => [...s].length;

export const ZRefundReason = z
  .string()
  .trim()
  .refine((s) => length(s) >= 3, "Say why the order is refunded: the fan sees it.")
  .refine((s) => length(s) <= REFUND_REASON_MAX, `Keep the reason to ${REFUND_REASON_MAX} characters.`);
