// Who sees which part of the console, from the token's `groups`. The server checks every call
// again; this only decides what is shown.

export type View = 'conversations' | 'callbacks' | 'supervisor' | 'admin' | 'departments';

/** The views in the order of the main navigation. */
export const VIEW_ORDER: View[] = ['conversations', 'callbacks', 'supervisor', 'admin', 'departments'];

export function viewsFor(groups: readonly string[]): View[] {
  const has = (r: string) => groups.includes(r);
  const views = new Set<View>();
  if (has('agent')) {
    views.add('conversations');
    views.add('callbacks');
  }
  if (has('supervisor')) views.add('supervisor');
  if (has('admin')) views.add('admin');
  if (has('supervisor') || has('admin') || has('department')) views.add('departments');
  return VIEW_ORDER.filter((v) => views.has(v));
}

/** Only agents (and supervisors, whose tokens also carry `agent`) open the agent WebSocket. */
export function usesAgentSocket(groups: readonly string[]): boolean {
  return groups.includes('agent');
}

export function canUseConsole(groups: readonly string[]): boolean {
  return viewsFor(groups).length > 0;
}

/** The view to open: the one kept from before a reload if still allowed, else the first allowed one. */
export function initialView(groups: readonly string[], stored: unknown): View | null {
  const views = viewsFor(groups);
  return views.includes(stored as View) ? (stored as View) : (views[0] ?? null);
}

/**
 * May this person write notices for this department? Supervisors and admins for every one; the
 * department role for its own only. When the token does not say which department (the claim is
 * optional), the server decides and answers 403 for a wrong one.
 */
export function mayWriteNotices(groups: readonly string[], ownDepartment: string | null | undefined, departmentId: string): boolean {
  if (groups.includes('supervisor') || groups.includes('admin')) return true;
  if (!groups.includes('department')) return false;
  return !ownDepartment || ownDepartment === departmentId;
}
