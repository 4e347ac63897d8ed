import { SeatMapSkeleton } from "./seat-map";

export default function Loading() {
  return (
    <>
      <div className="skeleton skeleton-line" style={{ width: "14rem" }} />
      <div className="skeleton" style={{ height: "7rem", borderRadius: "var(--radius)", margin: "1rem 0 1.5rem" }} />
      <SeatMapSkeleton />
    </>
  );
}
