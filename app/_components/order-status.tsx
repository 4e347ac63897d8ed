// An order's state as a badge: paid, or refunded.
import type { OrderStatus } from "@/server/generated/prisma/enums";

export const ORDER_STATUS_LABEL: Record<OrderStatus, string> = { PAID: "Paid", REFUNDED: "Refunded" };

export function OrderStatusBadge({ status }: { status: OrderStatus }) {
  return <span className={`badge badge-order-${status.toLowerCase()}`}>{ORDER_STATUS_LABEL[status]}</span>;
}
