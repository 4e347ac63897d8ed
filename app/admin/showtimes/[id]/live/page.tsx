// The live on-sale view of one showtime. The admin layout checks the role; every figure is read by the
// browser (admin.showtimes.live, polled), so this page only hands over the id.
import type { Metadata } from "next";
import { LiveView } from "./live-view";

export const metadata: Metadata = { title: "Live on-sale" };

export default async function LiveOnSalePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <LiveView showtimeId={id} />;
}
