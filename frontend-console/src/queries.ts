// The supervisor's and administrator's searches: their query strings, built in one place, and
// how an audit entry's details read.

import type { Key, T } from './i18n';
import { addDays, amsterdamDayStart } from './time';

export const SEARCH_PAGE = 50;

export interface SearchQuery {
  from: string;
  to: string;
  topic: string;
  outcome: string;
  agentId: string;
  state: string;
  /** Exactly this conversation (from a CRM record): found on any day, the other filters left out. */
  conversationId: string;
  /** Part of the resident's name, any case, within the period. */
  residentName: string;
}

function withOptional(p: URLSearchParams, values: Record<string, string>): void {
  for (const [k, v] of Object.entries(values)) if (v) p.set(k, v);
}

/**
 * GET /api/v1/conversations/search: Amsterdam days, both inclusive; empty filters are left out.
 * A conversation id stands alone: the service finds it whatever day it started.
 */
export function searchPath(q: SearchQuery, offset: number, limit = SEARCH_PAGE): string {
  const id = q.conversationId.trim();
  const p = id ? new URLSearchParams({ conversationId: id }) : new URLSearchParams({ from: q.from, to: q.to });
  if (!id) withOptional(p, { topic: q.topic, outcome: q.outcome, agentId: q.agentId, state: q.state, residentName: q.residentName.trim() });
  p.set('limit', String(limit));
  p.set('offset', String(offset));
  return '/api/v1/conversations/search?' + p.toString();
}

/** GET /api/v1/ratings for a period and (optionally) one topic; the CSV export uses the same URL. */
export function ratingsPath(from: string, to: string, topic: string): string {
  const p = new URLSearchParams({ from, to });
  withOptional(p, { topic });
  return '/api/v1/ratings?' + p.toString();
}

export interface AuditQuery {
  actor: string;
  action: string;
  from: string; // Amsterdam day or ''
  to: string; // Amsterdam day or '', inclusive
  conversationId: string;
  limit: string;
}

/**
 * GET /api/v1/admin/audit. The API filters on instants: a day's start for `from`, and the start of
 * the day after `to`, so that the whole last day is in.
 */
export function auditPath(q: AuditQuery): string {
  const p = new URLSearchParams();
  const from = q.from ? amsterdamDayStart(q.from) : null;
  const to = q.to ? amsterdamDayStart(addDays(q.to, 1)) : null;
  withOptional(p, {
    actor: q.actor.trim(),
    action: q.action.trim(),
    from: from ?? '',
    to: to ?? '',
    conversationId: q.conversationId.trim(),
    limit: q.limit,
  });
  const s = p.toString();
  return '/api/v1/admin/audit' + (s ? '?' + s : '');
}

/** "key: value, key: value" for the audit log's detail column; nested values as JSON. */
export function detailText(detail: Record<string, unknown> | null): string {
  if (!detail) return '';
  return Object.entries(detail)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
}

/** An audit entry's role in words ("Teamleider"); a role the console has no word for stays its code. */
export function auditRoleText(role: string, t: T): string {
  return wordOr(t, 'role_' + role, role);
}

/** An audit entry's action in words ("Transcript gelezen"); an action the console does not know stays its code. */
export function auditActionText(action: string, t: T): string {
  return wordOr(t, 'auditAction_' + action, action);
}

function wordOr(t: T, key: string, code: string): string {
  const word = t(key as Key);
  return word && word !== key ? word : code;
}
