// One order seen by an admin: the fan, tickets with seats, payment and refund state, and a refund on the
// fan's behalf. The admin layout checks the role; the browser reads the order (admin.orders.byId).
import type { Metadata } from "next";
import { AdminOrder } from "./admin-order";

export const metadata: Metadata = { title: "Order" };

export default async function AdminOrderPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <AdminOrder orderId={id} />;
}
