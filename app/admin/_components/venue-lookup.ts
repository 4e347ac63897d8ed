// The concerts list names a showtime's venue by name and city only (no id, no timezone), so pages find
// the venue in `admin.venues.list` by that pair. Two venues sharing both would be ambiguous: then no match,
// and times show in UTC, saying so.

type VenueLike = { name: string; city: string };

const keyOf = (v: VenueLike) => `${v.name.trim().toLowerCase()}\u0000${v.city.trim().toLowerCase()}`;

export function venueFinder<V extends VenueLike>(venues: readonly V[]): (ref: VenueLike) => V | undefined {
  const byKey = new Map<string, V | null>();
  for (const v of venues) byKey.set(keyOf(v), byKey.has(keyOf(v)) ? null : v);
  return (ref) => byKey.get(keyOf(ref)) ?? undefined;
}
