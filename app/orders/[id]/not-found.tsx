// An order that does not exist, or is another fan's: the same answer either way.
import type { Metadata } from "next";
import { StatusPage } from "../../_components/status-page";

export const metadata: Metadata = { title: "Order not found" };

export default function OrderNotFound() {
  return (
    <StatusPage
      id="order-missing-title"
      code="404"
      title="We couldn’t find that order"
      actions={[
        { href: "/orders", label: "Your orders" },
        { href: "/", label: "Browse concerts" },
      ]}
    >
      It doesn’t exist, or it belongs to another account. Your own orders are all on the Orders page.
    </StatusPage>
  );
}
