// Department reachability as agents need it: which notices apply to a conversation's topic now.

import type { Department, DepartmentNotice, NoticeKind } from './protocol';

/** Worst first: what an agent must not miss comes on top. */
const SEVERITY: Record<NoticeKind, number> = { unreachable: 0, appointment_only: 1, reduced: 2, normal: 3 };

/** How far the browser's clock may be behind the server's before a just-started notice would hide. */
export const CLOCK_SKEW_MS = 2 * 60_000;

/**
 * In force now: started, not ended, not past its end. The server lists only current ones, but a
 * poll is up to 30 s old, so one that runs out in between goes at once; one that the server calls
 * started is believed even when this browser's clock lags a little.
 */
export function isCurrent(n: DepartmentNotice, now: number): boolean {
  if (n.endedAt && Date.parse(n.endedAt) <= now) return false;
  if (Date.parse(n.from) > now + CLOCK_SKEW_MS) return false;
  return !n.until || Date.parse(n.until) > now;
}

export interface TopicNotice {
  department: string;
  notice: DepartmentNotice;
}

export function noticesForTopic(departments: readonly Department[], topic: string, now: number): TopicNotice[] {
  const out: TopicNotice[] = [];
  for (const d of departments) {
    if (!d.topics.includes(topic)) continue;
    for (const n of d.notices) if (isCurrent(n, now)) out.push({ department: d.name, notice: n });
  }
  return out.sort(
    (a, b) => SEVERITY[a.notice.kind] - SEVERITY[b.notice.kind] || a.department.localeCompare(b.department, 'nl'),
  );
}

export type NoticeStatus = 'scheduled' | 'current' | 'ended' | 'expired';

/** Where a notice stands in the history: still to come, in force, ended by hand, or run out. */
export function noticeStatus(n: DepartmentNotice, now: number): NoticeStatus {
  if (n.endedAt && Date.parse(n.endedAt) <= now) return 'ended';
  if (n.until && Date.parse(n.until) <= now) return 'expired';
  if (Date.parse(n.from) > now) return 'scheduled';
  return 'current';
}
