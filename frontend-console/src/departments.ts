// Department reachability as agents need it: which notices apply to a conversation's topic now.

import type { T } from './i18n';
import type { Department, DepartmentNotice, NoticeKind, ServerFrame } from './protocol';
import { Refresher } from './refresher';

/** Worst first: what an agent must not miss comes on top. */
const SEVERITY: Record<NoticeKind, number> = { unreachable: 0, appointment_only: 1, reduced: 2, normal: 3 };

/** How far the browser's clock may be behind the server's before a just-started notice would hide. */
export const CLOCK_SKEW_MS = 2 * 60_000;

/**
 * In force now: started, not ended, not past its end. The server lists only current ones, but the
 * list read may be minutes old, so one that runs out in between goes at once; one that the server calls
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

/**
 * The line an administrator reads under a department whose name another department has too
 * (`nameSharedWith`, pairs stored before names were unique): only they can rename one. Null for
 * everyone else and for a name of its own.
 */
export function sharedNameNote(d: Department, isAdmin: boolean, t: T): string | null {
  return isAdmin && (d.nameSharedWith?.length ?? 0) > 0 ? t('departmentNameShared') : null;
}

export type NoticeStatus = 'scheduled' | 'current' | 'ended' | 'expired';

/** Where a notice stands in the history: still to come, in force, ended by hand, or run out. */
export function noticeStatus(n: DepartmentNotice, now: number): NoticeStatus {
  if (n.endedAt && Date.parse(n.endedAt) <= now) return 'ended';
  if (n.until && Date.parse(n.until) <= now) return 'expired';
  if (Date.parse(n.from) > now) return 'scheduled';
  return 'current';
}

/**
 * With the agent socket, a change is pushed (`departments_changed`): this poll only catches a frame
 * that was lost. An older service sends none, and its consoles see a change within this time.
 */
export const DEPARTMENTS_FALLBACK_POLL_MS = 5 * 60_000;
/** Without the socket (administrators, departments, team leads' other tabs have one) the list is polled as before. */
export const DEPARTMENTS_POLL_MS = 30_000;
/** Changes close together (a department ending one notice and placing the next) are read once. */
export const DEPARTMENTS_THROTTLE_MS = 1_000;

/**
 * When the console reads the departments' board (`GET /api/v1/departments`): at once; after
 * every `hello` (the socket came (back): a change may have gone by unheard); on every
 * `departments_changed`, throttled; and on a slow poll in case a frame was lost. An agent must not
 * answer a resident against a notice already placed or ended, so half a minute of polling was too
 * slow for them.
 */
export class DepartmentsReader {
  private readonly refresher: Refresher<Department[]>;
  private poll: ReturnType<typeof setInterval> | null = null;

  constructor(
    load: () => Promise<Department[]>,
    show: (list: Department[]) => void,
    private readonly pollMs: number,
  ) {
    this.refresher = new Refresher({ load, show, fail: () => undefined, throttleMs: DEPARTMENTS_THROTTLE_MS });
  }

  start(): void {
    this.refresher.load();
    this.poll = setInterval(() => this.refresher.load(), this.pollMs);
  }

  /** Every frame of the agent socket; only two concern the departments. */
  frame(f: ServerFrame): void {
    if (f.type === 'hello' || f.type === 'departments_changed') this.refresher.changed();
  }

  /** Now: after this console's own save. */
  load(): void {
    this.refresher.load();
  }

  stop(): void {
    if (this.poll !== null) clearInterval(this.poll);
    this.poll = null;
    this.refresher.stop();
  }
}
