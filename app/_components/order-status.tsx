// An order's state as a badge: paid, or refunded; and an order row's last cells (tickets, amount, state).
import type { Currency, OrderStatus } from "@/server/generated/prisma/enums";
import { formatMoney } from "@/server/domain/money";

export const ORDER_STATUS_LABEL: Record<OrderStatus, string> = { PAID: "Paid", REFUNDED: "Refunded" };

export function OrderStatusBadge({ status }: { status: OrderStatus }) {
  return <span className={`badge badge-order-${status.toLowerCase()}`}>{ORDER_STATUS_LABEL[status]}</span>;
}

/** The tickets, amount and state cells that end an order's row in the fan's and the admin's lists. */
export function OrderRowCells({
  tickets,
  totalMinor,
  currency,
  status,
}: {
  tickets: number;
  totalMinor: number;
  currency: Currency;
  status: OrderStatus;
}) {
  return (
    <>
      <td data-label="Tickets" className="num">
        {tickets}
      </td>
      <td data-label="Amount" className="num">
        {formatMoney(totalMinor, currency)}
      </td>
      <td data-label="Status">
        <OrderStatusBadge status={status} />
      </td>
    </>
  );
}
