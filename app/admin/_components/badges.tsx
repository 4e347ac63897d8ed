// Lifecycle badges for concerts and showtimes (draft, published, cancelled): the admin's view of an item,
// beside the fans' sale status (app/_components/sale-badge.tsx); and an order's state.

export type Lifecycle = "DRAFT" | "PUBLISHED" | "CANCELLED";

const LABEL: Record<Lifecycle, string> = { DRAFT: "Draft", PUBLISHED: "Published", CANCELLED: "Cancelled" };

export function LifecycleBadge({ status, label }: { status: Lifecycle; label?: string }) {
  return <span className={`badge admin-badge-${status.toLowerCase()}`}>{label ?? LABEL[status]}</span>;
}

/** An order as the admin sees it: paid, or refunded. */
