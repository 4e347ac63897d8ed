// A hold that does not exist, or is another fan's.
import type { Metadata } from "next";
import { STATUS_PAGES, StatusPage } from "../../_components/status-page";

const { metadata: meta, ...page } = STATUS_PAGES.holdNotFound;
export const metadata: Metadata = meta;

export default function HoldNotFound() {
  return <StatusPage {...page} />;
}
