// The console's notices (in the conversation shown, above its log; see useNotices in ui/Console.tsx): what each holds, how long it stays, and how
// many are shown at once. Pure, apart from NoticeTimers, which useNotices drives.

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  code?: string;
  text: string;
  ref?: string;
  /** An error the agent must act on (a close that did not happen): it stays until dismissed. */
  sticky: boolean;
  /** Epoch ms of when it (last) came: its lifetime runs from here. */
  at: number;
  /** How many times this same text came while it was shown: shown as "(3×)". */
  count: number;
}

/** How long information stays. */
export const NOTICE_INFO_MS = 6_000;
/** How long an error that needs nothing of the agent stays (a refused claim: the queue moves on). */
export const NOTICE_BRIEF_MS = 10_000;
/** At most this many notices at once; repeats of the same text are one notice with a count. */
export const NOTICES_SHOWN = 4;

/** How long this notice stays after it came, in ms; null: until the agent dismisses it. */
export function noticeLifetime(n: Notice): number | null {
  if (n.sticky) return null;
  return n.kind === 'error' ? NOTICE_BRIEF_MS : NOTICE_INFO_MS;
}

/**
 * The notices after one more came. The same kind and text already shown becomes one notice with
 * its count raised, moved to the end as the newest, its lifetime running from now (its id stays,
 * so its element and a focus on its close button stay too). Beyond NOTICES_SHOWN the oldest that
 * would have gone by itself makes room, but never the one that just came. An error the agent must
 * act on is never dropped: when every other one waits for the agent, the list grows beyond
 * NOTICES_SHOWN and noticesOnScreen says how many more wait.
 */
export function withNotice(list: Notice[], incoming: Omit<Notice, 'count'>): Notice[] {
  const same = list.find((n) => n.kind === incoming.kind && n.text === incoming.text);
  const added: Notice = same
    ? { ...same, code: incoming.code, ref: incoming.ref, sticky: same.sticky || incoming.sticky, at: incoming.at, count: same.count + 1 }
    : { ...incoming, count: 1 };
  let next = [...list.filter((n) => n !== same), added];
  while (next.length > NOTICES_SHOWN) {
    const drop = next.slice(0, -1).find((n) => !n.sticky);
    if (!drop) break;
    next = next.filter((n) => n !== drop);
  }
  return next;
}

/**
 * What the notices' place shows: at most NOTICES_SHOWN notices; with more (all but the newest wait
 * for the agent, see withNotice) the newest NOTICES_SHOWN - 1 and a line saying how many more wait.
 * Closing one brings the next back. The ones not shown all wait for the agent, so none runs out
 * unseen.
 */
export function noticesOnScreen(list: Notice[]): { shown: Notice[]; more: number } {
  if (list.length <= NOTICES_SHOWN) return { shown: list, more: 0 };
  const shown = list.slice(list.length - (NOTICES_SHOWN - 1));
  return { shown, more: list.length - shown.length };
}

/** Why a notice is held: the pointer is on it, or the keyboard focus is in it. */
export type NoticeHold = 'pointer' | 'focus';

/**
 * One timer per notice that goes by itself, set for its own lifetime from when it came: notices
 * coming and going around it do not restart it; only a repeat of it (a new `at`) does. While the
 * pointer is on a notice or the focus in it (hold), its clock stands still (WCAG 2.2.1, Timing
 * Adjustable); once both have left (release) it goes after the time it had left.
 */
export class NoticeTimers {
  private timers = new Map<number, { at: number; due: number; handle: ReturnType<typeof setTimeout> | null; left: number }>();
  private holds = new Map<number, Set<NoticeHold>>();

  constructor(private readonly dismiss: (id: number) => void) {}

  sync(notices: Notice[], now = Date.now()): void {
    const ids = new Set(notices.map((n) => n.id));
    for (const [id, t] of this.timers) {
      if (!ids.has(id)) {
        if (t.handle) clearTimeout(t.handle);
        this.timers.delete(id);
      }
    }
    for (const id of this.holds.keys()) if (!ids.has(id)) this.holds.delete(id);
    for (const n of notices) {
      const life = noticeLifetime(n);
      const existing = this.timers.get(n.id);
      if (existing && existing.at === n.at && life !== null) continue;
      if (existing) {
        if (existing.handle) clearTimeout(existing.handle);
        this.timers.delete(n.id);
      }
      if (life === null) continue;
      const left = Math.max(0, n.at + life - now);
      if (this.isHeld(n.id)) this.timers.set(n.id, { at: n.at, due: now + left, handle: null, left });
      else this.start(n.id, n.at, left, now);
    }
  }

  /** The pointer came onto this notice, or the focus into it: its clock stops. */
  hold(id: number, why: NoticeHold, now = Date.now()): void {
    const reasons = this.holds.get(id) ?? new Set<NoticeHold>();
    reasons.add(why);
    this.holds.set(id, reasons);
    const t = this.timers.get(id);
    if (t?.handle) {
      clearTimeout(t.handle);
      t.handle = null;
      t.left = Math.max(0, t.due - now);
    }
  }

  /**
   * The notice the pointer is over now (null: none), from where it last was: also a notice that
   * appeared under a pointer that has not moved since, which gets no pointerenter until it moves.
   */
  pointerAt(id: number | null, now = Date.now()): void {
    for (const [held, reasons] of [...this.holds]) if (held !== id && reasons.has('pointer')) this.release(held, 'pointer', now);
    if (id !== null && !this.holds.get(id)?.has('pointer')) this.hold(id, 'pointer', now);
  }

  /** The pointer or the focus left: once neither is on it, it goes after the time it had left. */
  release(id: number, why: NoticeHold, now = Date.now()): void {
    const reasons = this.holds.get(id);
    reasons?.delete(why);
    if (reasons && reasons.size === 0) this.holds.delete(id);
    if (this.isHeld(id)) return;
    const t = this.timers.get(id);
    if (t && !t.handle) this.start(id, t.at, t.left, now);
  }

  private isHeld(id: number): boolean {
    return (this.holds.get(id)?.size ?? 0) > 0;
  }

  private start(id: number, at: number, left: number, now: number): void {
    const handle = setTimeout(() => {
      this.timers.delete(id);
      this.holds.delete(id);
      this.dismiss(id);
    }, left);
    this.timers.set(id, { at, due: now + left, handle, left });
  }

  stop(): void {
    for (const t of this.timers.values()) if (t.handle) clearTimeout(t.handle);
    this.timers.clear();
    this.holds.clear();
  }
}
