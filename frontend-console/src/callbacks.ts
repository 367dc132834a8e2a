// What the callback view shows of the claimed requests, and when an action on one means the
// list is out of date. Kept apart from the view so it can be tested without a page.
import { ApiError } from './api';
import type { CallbackRequest } from './protocol';

export interface ClaimedLists {
  /** "Mijn terugbelverzoeken": what this agent holds. */
  mine: CallbackRequest[];
  /** What colleagues hold, longest held first: only for a team lead, who can free them; null for anyone else. */
  others: CallbackRequest[] | null;
}

/** Splits GET /api/v1/callbacks?state=claimed by who holds each request (`claimedBy` is a username). */
export function claimedLists(items: CallbackRequest[], me: string, groups: readonly string[]): ClaimedLists {
  const mine = items.filter((r) => r.claimedBy === me);
  if (!groups.includes('supervisor')) return { mine, others: null };
  const others = items
    .filter((r) => r.claimedBy !== me)
    .sort((a, b) => (a.claimedAt ?? '').localeCompare(b.claimedAt ?? ''));
  return { mine, others };
}

/**
 * Whether a refusal of an action on a claimed request means the list is out of date: the request
 * was cancelled or ended (409 already-ended), given back or freed (409 not-claimed, 403), or is
 * gone. The view then says why and reads its lists again, so the request leaves the screen.
 */
export function claimGone(e: unknown): boolean {
  return e instanceof ApiError && (e.status === 409 || e.status === 403 || e.status === 404);
}

/**
 * The references a resident may quote for this request when they phone (docs/protocol.md §7): its
 * own, and those of the same number's later requests merged into it, since each resident was
 * given their own. Empty from a service that gives none.
 */
export function references(r: CallbackRequest): string[] {
  return [r.reference, ...(r.repeats ?? []).map((x) => x.reference)].filter((x): x is string => !!x);
}
