// Data tables: the column headings every list screen writes the same way.

import type { ComponentChildren } from 'preact';

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

/**
 * The box that lets a table wider than the screen scroll sideways. Keyboard users must be able to
 * scroll it too (WCAG 2.1.1, axe's scrollable-region-focusable), so it is a region named after its
 * table that takes the focus: the arrow keys then scroll it.
 */
export function TableScroll(props: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-scroll" role="region" aria-label={props.label} tabIndex={0}>
      {props.children}
    </div>
  );
}
