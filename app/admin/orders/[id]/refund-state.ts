// Whether an admin may refund an order now, and if not, why: the same rules as server/domain/checkout/refund.ts
// (which decides; this only explains before anyone clicks).

export type RefundableOrder = {
  status: "PAID" | "REFUNDED";
  canRefund: boolean;
  refundableUntil: Date | null;
  tickets: { status: string; receivedByTransfer: boolean }[];
};

export type RefundState =
  | { kind: "refundable"; until: Date }
  | { kind: "refunded" }
  | { kind: "transferred"; count: number }
  | { kind: "cutoff"; cutoff: Date | null };

export function refundStateOf(order: RefundableOrder, now: number): RefundState {
  if (order.status === "REFUNDED") return { kind: "refunded" };
  // For an order's own tickets, "received by transfer" means the buyer passed it on: the owner is someone else.
  const passedOn = order.tickets.filter((t) => t.status === "VALID" && t.receivedByTransfer).length;
  if (passedOn > 0) return { kind: "transferred", count: passedOn };
  if (!order.refundableUntil || now >= order.refundableUntil.getTime() || !order.canRefund) {
    return { kind: "cutoff", cutoff: order.refundableUntil };
  }
  return { kind: "refundable", until: order.refundableUntil };
}
