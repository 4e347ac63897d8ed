import type { Metadata } from "next";
import { STATUS_PAGES, StatusPage } from "./_components/status-page";

const { metadata: meta, ...page } = STATUS_PAGES.notFound;
export const metadata: Metadata = meta;

export default function NotFound() {
  return <StatusPage {...page} />;
}
