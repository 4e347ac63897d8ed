import { ConcertGridSkeleton } from "./_components/concert-card";

export default function Loading() {
  return (
    <div>
      <div className="skeleton" style={{ height: "2.2rem", width: "40%", marginBottom: "1.5rem" }} />
      <ConcertGridSkeleton count={6} label="Loading" />
    </div>
  );
}
