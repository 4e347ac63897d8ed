// The 403 page: signed in, but without the role a page needs (Next sends status 403 with it).
import type { Metadata } from "next";
import { STATUS_PAGES, StatusPage } from "./_components/status-page";

const { metadata: meta, ...page } = STATUS_PAGES.forbidden;
export const metadata: Metadata = meta;

export default function Forbidden() {
  return <StatusPage {...page} />;
}
