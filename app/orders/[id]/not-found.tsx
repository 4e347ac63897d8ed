// An order that does not exist, or is another fan's: the same answer either way.
import type { Metadata } from "next";
import { STATUS_PAGES, StatusPage } from "../../_components/status-page";

const { metadata: meta, ...page } = STATUS_PAGES.orderNotFound;
export const metadata: Metadata = meta;

export default function OrderNotFound() {
  return <StatusPage {...page} />;
}
