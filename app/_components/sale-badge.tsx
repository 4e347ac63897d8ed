import { SALE_STATUS_LABEL, type SaleStatus } from "@/server/domain/catalog/sale-status";

export function SaleBadge({ status }: { status: SaleStatus }) {
  return <span className={`badge badge-${status.toLowerCase()}`}>{SALE_STATUS_LABEL[status]}</span>;
}
