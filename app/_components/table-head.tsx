// A table's header row: a column heading each, numbers right-aligned as their cells are, and an optional
// last column for row actions, named for screen readers only.
type Props = {
  columns: string[];
  /** The columns that hold numbers. */
  numeric?: string[];
  /** The class that right-aligns a number column; the plain "num" unless a table styles its own. */
  numClass?: string;
  actions?: boolean;
};

export function TableHead({ columns, numeric = [], numClass = "num", actions = false }: Props) {
  return (
    <thead>
      <tr>
        {columns.map((c) => (
          <th key={c} scope="col" className={numeric.includes(c) ? numClass : undefined}>
            {c}
          </th>
        ))}
        {actions ? (
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        ) : null}
      </tr>
    </thead>
  );
}
