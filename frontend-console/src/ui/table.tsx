// Data tables: the column headings every list screen writes the same way.

import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

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

/**
 * Where the focus goes once a list has been read again after an action on one of its rows: the
 * same row's button, found by `selector`. The lists are sorted (users by name and active, topics by
 * order, replies by title), so an edit or a disable can move the row; the dialog gave the focus back
 * to the button where the row had been, which then belonged to another row ("Uitschakelen:
 * Beheerder" after disabling Ali), one Enter away from acting on the wrong one.
 */
export function useFocusAfterReload(data: unknown, error: string | null): (selector: string) => void {
  const pending = useRef<string | null>(null);
  useEffect(() => {
    if (!pending.current) return;
    const target = document.querySelector<HTMLElement>(pending.current);
    pending.current = null;
    target?.focus();
  }, [data]);
  // a read that failed moves no row: the focus stays where the dialog left it, and a later read must not take it
  useEffect(() => {
    if (error) pending.current = null;
  }, [error]);
  return (selector) => {
    pending.current = selector;
  };
}

/** The selector of a row's button for useFocusAfterReload: the row by its data attribute, the button by its `data-action`. */
export function rowButton(rowAttribute: string, value: string, action: string): string {
  return `tr[${rowAttribute}="${CSS.escape(value)}"] [data-action="${action}"]`;
}
