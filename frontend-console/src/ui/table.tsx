// Data tables: the column headings every list screen writes the same way.

/**
 * A table's column headings. `actions` heads the column of row buttons: screen readers name that
 * column, sighted users see the buttons themselves, so the heading is visually hidden.
 */
export function ColumnHeads(props: { columns: string[]; actions?: string }) {
  return (
    <thead>
      <tr>
        {props.columns.map((c) => (
          <th scope="col">{c}</th>
        ))}
        {props.actions !== undefined && (
          <th scope="col">
            <span class="sr-only">{props.actions}</span>
          </th>
        )}
      </tr>
    </thead>
  );
}
